"""Customers and their services, for the agent console."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from tortoise.expressions import Q

from helpdesk.actors import AgentActor
from helpdesk.errors import CustomerNotFound
from helpdesk.models import Customer
from helpdesk.presenters import customer_json, service_json
from helpdesk.schemas import CustomerQuery
from helpdesk.services import queries
from helpdesk.web import ApiRoute, agent_route, json_response, parse_query, path_int


async def list_customers(request: Request, actor: AgentActor) -> Response:
    filters = parse_query(request, CustomerQuery)
    query = Customer.all()
    if filters.q:
        text = filters.q.strip()
        query = query.filter(
            Q(email__icontains=text) | Q(name__icontains=text) | Q(company__icontains=text)
        )
    total = await query.count()
    items = (
        await query.order_by("id")
        .offset((filters.page - 1) * filters.per_page)
        .limit(filters.per_page)
    )
    return json_response({"items": [customer_json(c) for c in items], "total": total})


async def get_customer(request: Request, actor: AgentActor) -> Response:
    customer = await Customer.get_or_none(id=path_int(request, "customer_id"))
    if customer is None:
        raise CustomerNotFound()
    services = await queries.customer_services(customer.id)
    return json_response(
        {
            **customer_json(customer),
            "services": [service_json(s, [r.value for r in s.resources]) for s in services],
        }
    )


routes: list[ApiRoute] = [
    agent_route(
        "/api/customers",
        list_customers,
        method="GET",
        summary="Search customers",
        tag="customers",
        query=CustomerQuery,
    ),
    agent_route(
        "/api/customers/{customer_id:int}",
        get_customer,
        method="GET",
        summary="A customer with their services",
        tag="customers",
    ),
]
