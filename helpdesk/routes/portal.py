"""The customer portal: sign-in by e-mailed link, and the customer's own tickets."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from helpdesk.actors import CustomerActor
from helpdesk.auth import throttle as limits
from helpdesk.auth.sessions import csrf_token, end_customer_session, start_customer_session
from helpdesk.auth.tokens import read_login_token, read_ticket_token
from helpdesk.errors import CustomerNotFound, InvalidToken
from helpdesk.models.enums import Channel
from helpdesk.presenters import (
    customer_json,
    message_json,
    page_json,
    service_json,
    ticket_view_json,
)
from helpdesk.routes.context import (
    client_ip,
    mail_settings_of,
    screener_of,
    settings_of,
    throttle_of,
)
from helpdesk.schemas import LoginLinkIn, PortalMessageIn, PortalTicketIn, TicketQuery
from helpdesk.services import queries
from helpdesk.services.portal import customer_for_login, request_login_link
from helpdesk.services.tickets import NewTicket, add_customer_message, open_ticket
from helpdesk.web import (
    ApiRoute,
    customer_route,
    json_response,
    parse_json,
    path_int,
    public_route,
)


async def login_link(request: Request) -> Response:
    data = await parse_json(request, LoginLinkIn)
    throttle = throttle_of(request)
    await throttle.hit(limits.PUBLIC_PER_IP, "portal-link-ip", client_ip(request))
    await throttle.hit(limits.LINK_REQUEST_PER_ADDRESS, "portal-link", data.email.lower())
    await request_login_link(data.email, mail=mail_settings_of(request))
    # Same answer whether or not the address is known: no account enumeration.
    return json_response({"ok": True}, 202)


async def login_with_link(request: Request) -> Response:
    try:
        customer_id = read_login_token(
            settings_of(request).secret_key, request.path_params["token"]
        )
        customer = await customer_for_login(customer_id)
    except (InvalidToken, CustomerNotFound):
        return RedirectResponse("/portal/?error=invalid_link", status_code=303)
    start_customer_session(request, customer)
    return RedirectResponse("/portal/", status_code=303)


async def open_ticket_link(request: Request) -> Response:
    try:
        ticket_id, customer_id = read_ticket_token(
            settings_of(request).secret_key, request.path_params["token"]
        )
        customer = await customer_for_login(customer_id)
    except (InvalidToken, CustomerNotFound):
        return RedirectResponse("/portal/?error=invalid_link", status_code=303)
    start_customer_session(request, customer)
    return RedirectResponse(f"/portal/#/tickets/{ticket_id}", status_code=303)


async def me(request: Request, actor: CustomerActor) -> Response:
    services = await queries.customer_services(actor.customer.id)
    return json_response(
        {
            "customer": customer_json(actor.customer),
            "services": [service_json(s, [r.value for r in s.resources]) for s in services],
            "csrf_token": csrf_token(request),
        }
    )


async def logout(request: Request, actor: CustomerActor) -> Response:
    end_customer_session(request)
    return json_response({"ok": True})


async def my_tickets(request: Request, actor: CustomerActor) -> Response:
    page = await queries.list_tickets(actor, TicketQuery(per_page=200))
    data = page_json(page)
    for item in data["items"]:
        item.pop("assignee", None)
        item.pop("tags", None)
    return json_response(data)


async def new_ticket(request: Request, actor: CustomerActor) -> Response:
    data = await parse_json(request, PortalTicketIn)
    await throttle_of(request).hit(limits.PUBLIC_PER_IP, "portal-ticket", str(actor.customer.id))
    screening = screener_of(request).screen(f"{data.subject}\n{data.body}")
    new = NewTicket(
        subject=data.subject,
        body=data.body,
        channel=Channel.WEB,
        category=data.category,
        service_id=data.service_id,
    )
    ticket = await open_ticket(
        actor, actor.customer, new, mail=mail_settings_of(request), screening=screening
    )
    view = await queries.ticket_view(actor, ticket.id)
    return json_response(ticket_view_json(view, for_customer=True), 201)


async def my_ticket(request: Request, actor: CustomerActor) -> Response:
    view = await queries.ticket_view(actor, path_int(request, "ticket_id"))
    return json_response(ticket_view_json(view, for_customer=True))


async def post_message(request: Request, actor: CustomerActor) -> Response:
    data = await parse_json(request, PortalMessageIn)
    screening = screener_of(request).screen(data.body)
    message = await add_customer_message(
        actor, path_int(request, "ticket_id"), data.body, screening=screening
    )
    return json_response(message_json(message, for_customer=True), 201)


P = "/api/portal/tickets/{ticket_id:int}"
routes: list[ApiRoute | Route] = [
    public_route(
        "/api/portal/login-link",
        login_link,
        method="POST",
        tag="portal",
        summary="E-mail a sign-in link to a customer",
        body=LoginLinkIn,
        success_status=202,
    ),
    customer_route(
        "/api/portal/me", me, method="GET", summary="The signed-in customer", tag="portal"
    ),
    customer_route("/api/portal/logout", logout, method="POST", summary="Sign out", tag="portal"),
    customer_route(
        "/api/portal/tickets", my_tickets, method="GET", summary="My tickets", tag="portal"
    ),
    customer_route(
        "/api/portal/tickets",
        new_ticket,
        method="POST",
        summary="Open a ticket",
        tag="portal",
        body=PortalTicketIn,
        success_status=201,
    ),
    customer_route(P, my_ticket, method="GET", summary="One of my tickets", tag="portal"),
    customer_route(
        P + "/messages",
        post_message,
        method="POST",
        tag="portal",
        summary="Write in one of my tickets",
        body=PortalMessageIn,
        success_status=201,
    ),
    Route("/portal/login/{token}", login_with_link, methods=["GET"]),
    Route("/portal/t/{token}", open_ticket_link, methods=["GET"]),
]
