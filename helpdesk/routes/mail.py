"""Mail pages of the agent console: failed outbox mails and the embedded mail catcher."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from helpdesk.actors import AgentActor
from helpdesk.errors import MailNotFound
from helpdesk.mail.parse import attachment_bytes
from helpdesk.models import CaughtMail, InboundMail, OutboxMail
from helpdesk.models.enums import AgentRole
from helpdesk.presenters import caught_json, inbound_json, outbox_json
from helpdesk.routes.context import intake_policy_of
from helpdesk.schemas import MailListQuery
from helpdesk.services.inbound import make_ticket_from_inbound
from helpdesk.services.outbox import retry_failed_mail
from helpdesk.web import ApiRoute, agent_route, json_response, parse_query, path_int


async def list_outbox(request: Request, actor: AgentActor) -> Response:
    filters = parse_query(request, MailListQuery)
    query = OutboxMail.all()
    if filters.status:
        query = query.filter(status=filters.status)
    total = await query.count()
    items = (
        await query.order_by("-id")
        .offset((filters.page - 1) * filters.per_page)
        .limit(filters.per_page)
    )
    failed = await OutboxMail.filter(status="failed").count()
    return json_response(
        {"items": [outbox_json(m) for m in items], "total": total, "failed": failed}
    )


async def retry_outbox(request: Request, actor: AgentActor) -> Response:
    mail = await retry_failed_mail(path_int(request, "mail_id"))
    return json_response(outbox_json(mail))


async def list_caught(request: Request, actor: AgentActor) -> Response:
    filters = parse_query(request, MailListQuery)
    total = await CaughtMail.all().count()
    items = (
        await CaughtMail.all()
        .order_by("-id")
        .offset((filters.page - 1) * filters.per_page)
        .limit(filters.per_page)
    )
    return json_response({"items": [caught_json(m) for m in items], "total": total})


async def get_caught(request: Request, actor: AgentActor) -> Response:
    mail = await CaughtMail.get_or_none(id=path_int(request, "mail_id"))
    if mail is None:
        raise MailNotFound()
    return json_response(
        {**caught_json(mail), "raw": mail.raw_bytes.decode("utf-8", errors="replace")}
    )


async def list_inbound(request: Request, actor: AgentActor) -> Response:
    filters = parse_query(request, MailListQuery)
    query = InboundMail.all()
    if filters.status:
        query = query.filter(status=filters.status)
    if filters.outcome:
        query = query.filter(outcome=filters.outcome)
    total = await query.count()
    items = (
        await query.order_by("-id")
        .offset((filters.page - 1) * filters.per_page)
        .limit(filters.per_page)
        .only(
            "id",
            "received_at",
            "from_address",
            "subject",
            "size",
            "status",
            "outcome",
            "detail",
            "ticket_id",
        )
    )
    return json_response({"items": [inbound_json(m) for m in items], "total": total})


async def _inbound(request: Request) -> InboundMail:
    mail = await InboundMail.get_or_none(id=path_int(request, "mail_id"))
    if mail is None:
        raise MailNotFound()
    return mail


async def inbound_raw(request: Request, actor: AgentActor) -> Response:
    mail = await _inbound(request)
    # Served as an attachment of an inert type: never rendered by the browser.
    return Response(
        mail.raw_bytes,
        media_type="application/octet-stream",
        headers={"content-disposition": f'attachment; filename="inbound-{mail.id}.eml"'},
    )


async def inbound_attachment(request: Request, actor: AgentActor) -> Response:
    mail = await _inbound(request)
    found = attachment_bytes(mail.raw_bytes, path_int(request, "index"))
    if found is None:
        raise MailNotFound("No such attachment.")
    _, _, payload = found
    filename = f"inbound-{mail.id}-part-{request.path_params['index']}"
    return Response(
        payload,
        media_type="application/octet-stream",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


async def inbound_to_ticket(request: Request, actor: AgentActor) -> Response:
    ticket = await make_ticket_from_inbound(
        actor, path_int(request, "mail_id"), intake_policy_of(request)
    )
    return json_response({"ticket_id": ticket.id, "number": ticket.number}, 201)


routes: list[ApiRoute] = [
    agent_route(
        "/api/mail/inbound",
        list_inbound,
        method="GET",
        tag="mail",
        summary="Inbound mails and what became of each",
        query=MailListQuery,
    ),
    agent_route(
        "/api/mail/inbound/{mail_id:int}/raw",
        inbound_raw,
        method="GET",
        tag="mail",
        summary="The raw bytes of an inbound mail (.eml)",
    ),
    agent_route(
        "/api/mail/inbound/{mail_id:int}/parts/{index:int}",
        inbound_attachment,
        method="GET",
        tag="mail",
        summary="Download one part of an inbound mail",
    ),
    agent_route(
        "/api/mail/inbound/{mail_id:int}/ticket",
        inbound_to_ticket,
        method="POST",
        tag="mail",
        summary="Open a ticket from a recorded non-ticket mail",
        success_status=201,
    ),
    agent_route(
        "/api/mail/outbox",
        list_outbox,
        method="GET",
        tag="mail",
        summary="Outgoing mails (filter status=failed for the ones that need a look)",
        query=MailListQuery,
    ),
    agent_route(
        "/api/mail/outbox/{mail_id:int}/retry",
        retry_outbox,
        method="POST",
        tag="mail",
        summary="Send a failed mail again",
    ),
    # The catcher holds every mail sent in development, sign-in links included: admins only.
    agent_route(
        "/api/mail/catcher",
        list_caught,
        roles=(AgentRole.ADMIN,),
        method="GET",
        tag="mail",
        summary="Mails caught by the embedded mail catcher",
        query=MailListQuery,
    ),
    agent_route(
        "/api/mail/catcher/{mail_id:int}",
        get_caught,
        roles=(AgentRole.ADMIN,),
        method="GET",
        tag="mail",
        summary="One caught mail, raw",
    ),
]
