"""Customers and their services, for the agent console."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from tortoise.expressions import Q

from helpdesk.actors import AgentActor
from helpdesk.errors import CustomerNotFound
from helpdesk.models import Customer
from helpdesk.models.enums import AgentRole
from helpdesk.presenters import customer_json, service_json
from helpdesk.schemas import CustomerIn, CustomerQuery, ServiceIn
from helpdesk.services import people, queries
from helpdesk.web import ApiRoute, agent_route, json_response, parse_json, parse_query, path_int


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


async def create_customer(request: Request, actor: AgentActor) -> Response:
    data = await parse_json(request, CustomerIn)
    customer = await people.create_customer(
        data.email, name=data.name, company=data.company, language=data.language, actor=actor
    )
    return json_response({**customer_json(customer), "services": []}, 201)


async def create_service(request: Request, actor: AgentActor) -> Response:
    data = await parse_json(request, ServiceIn)
    service = await people.create_service(
        path_int(request, "customer_id"),
        kind=data.kind,
        label=data.label,
        resources=[people.ResourceSpec(r.kind, r.value) for r in data.resources],
        actor=actor,
    )
    [created] = [
        s for s in await queries.customer_services(service.customer_id) if s.id == service.id
    ]
    return json_response(service_json(created, [r.value for r in created.resources]), 201)


routes: list[ApiRoute] = [
    agent_route(
        "/api/customers",
        create_customer,
        method="POST",
        tag="customers",
        summary="Create a customer (admins)",
        roles=(AgentRole.ADMIN,),
        body=CustomerIn,
        success_status=201,
    ),
    agent_route(
        "/api/customers/{customer_id:int}/services",
        create_service,
        method="POST",
        tag="customers",
        summary="Add a service with its domains and IPs (admins)",
        roles=(AgentRole.ADMIN,),
        body=ServiceIn,
        success_status=201,
    ),
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
