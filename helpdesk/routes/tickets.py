"""The agents' ticket API: queue, view, reply, note, update, merge, audit."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from helpdesk.actors import AgentActor
from helpdesk.models import Agent
from helpdesk.models.enums import Channel, Language
from helpdesk.presenters import (
    agent_json,
    audit_json,
    message_json,
    page_json,
    ticket_view_json,
)
from helpdesk.routes.context import mail_settings_of
from helpdesk.schemas import (
    AgentTicketIn,
    MergeIn,
    NoteIn,
    ReplyIn,
    TicketPatchIn,
    TicketQuery,
)
from helpdesk.services import people, queries
from helpdesk.services.ticket_changes import TicketChanges, merge_tickets, update_ticket
from helpdesk.services.tickets import NewTicket, add_internal_note, open_ticket, reply_to_ticket
from helpdesk.web import ApiRoute, agent_route, json_response, parse_json, parse_query, path_int


async def list_tickets(request: Request, actor: AgentActor) -> Response:
    filters = parse_query(request, TicketQuery, lists=("status", "priority", "category"))
    return json_response(page_json(await queries.list_tickets(actor, filters)))


async def create_ticket(request: Request, actor: AgentActor) -> Response:
    data = await parse_json(request, AgentTicketIn)
    customer = await people.find_customer_by_email(data.customer_email)
    if customer is None:
        customer = await people.create_customer(
            data.customer_email, language=Language.FR, provisional=True, actor=actor
        )
    new = NewTicket(
        subject=data.subject,
        body=data.body,
        channel=Channel.PHONE,
        category=data.category,
        priority=data.priority,
        service_id=data.service_id,
    )
    ticket = await open_ticket(actor, customer, new, mail=mail_settings_of(request))
    view = await queries.ticket_view(actor, ticket.id)
    return json_response(ticket_view_json(view), 201)


async def get_ticket(request: Request, actor: AgentActor) -> Response:
    view = await queries.ticket_view(actor, path_int(request, "ticket_id"))
    return json_response(ticket_view_json(view))


async def reply(request: Request, actor: AgentActor) -> Response:
    data = await parse_json(request, ReplyIn)
    message = await reply_to_ticket(
        actor,
        path_int(request, "ticket_id"),
        data.body,
        mail=mail_settings_of(request),
        status_after=data.status_after,
    )
    return json_response(message_json(message), 201)


async def note(request: Request, actor: AgentActor) -> Response:
    data = await parse_json(request, NoteIn)
    message = await add_internal_note(actor, path_int(request, "ticket_id"), data.body)
    return json_response(message_json(message), 201)


async def patch_ticket(request: Request, actor: AgentActor) -> Response:
    data = await parse_json(request, TicketPatchIn)
    changes = TicketChanges(
        status=data.status,
        priority=data.priority,
        category=data.category,
        assign="assignee_id" in data.model_fields_set,
        assignee_id=data.assignee_id,
        tags=tuple(data.tags) if data.tags is not None else None,
        clear_screening_flag="screening_flag" in data.model_fields_set,
    )
    ticket_id = path_int(request, "ticket_id")
    await update_ticket(actor, ticket_id, changes)
    return json_response(ticket_view_json(await queries.ticket_view(actor, ticket_id)))


async def merge(request: Request, actor: AgentActor) -> Response:
    data = await parse_json(request, MergeIn)
    target = await merge_tickets(actor, path_int(request, "ticket_id"), data.into_ticket_id)
    return json_response(ticket_view_json(await queries.ticket_view(actor, target.id)))


async def audit(request: Request, actor: AgentActor) -> Response:
    events = await queries.ticket_audit(actor, path_int(request, "ticket_id"))
    return json_response({"items": [audit_json(e) for e in events]})


async def list_agents(request: Request, actor: AgentActor) -> Response:
    agents = await Agent.filter(is_active=True).order_by("name")
    return json_response({"items": [agent_json(a) for a in agents]})


T = "/api/tickets/{ticket_id:int}"
routes: list[ApiRoute] = [
    agent_route(
        "/api/tickets",
        list_tickets,
        method="GET",
        summary="The ticket queue",
        tag="tickets",
        query=TicketQuery,
    ),
    agent_route(
        "/api/tickets",
        create_ticket,
        method="POST",
        tag="tickets",
        summary="Open a ticket on a customer's behalf (phone, walk-in)",
        body=AgentTicketIn,
        success_status=201,
    ),
    agent_route(T, get_ticket, method="GET", summary="A ticket with its thread", tag="tickets"),
    agent_route(
        T,
        patch_ticket,
        method="PATCH",
        tag="tickets",
        summary="Change status, priority, category, assignee or tags",
        body=TicketPatchIn,
    ),
    agent_route(
        T + "/replies",
        reply,
        method="POST",
        summary="Reply to the customer (e-mailed)",
        tag="tickets",
        body=ReplyIn,
        success_status=201,
    ),
    agent_route(
        T + "/notes",
        note,
        method="POST",
        summary="Add an internal note",
        tag="tickets",
        body=NoteIn,
        success_status=201,
    ),
    agent_route(
        T + "/merge",
        merge,
        method="POST",
        tag="tickets",
        summary="Merge this ticket into another ticket of the same customer",
        body=MergeIn,
    ),
    agent_route(
        T + "/audit", audit, method="GET", summary="The ticket's audit history", tag="tickets"
    ),
    agent_route("/api/agents", list_agents, method="GET", summary="Active agents", tag="agents"),
]
