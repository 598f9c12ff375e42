"""Reads for the queue and the ticket view. Permission-checked like the writes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from helpdesk.actors import Actor, AgentActor, CustomerActor
from helpdesk.models import AuditEvent, Customer, Message, Ticket
from helpdesk.models.enums import AgentRole, Category, Visibility
from helpdesk.schemas import TicketQuery
from helpdesk.services.access import get_ticket_for

_NUMBER = re.compile(r"^\s*#?T?0*(\d{1,9})\s*$", re.IGNORECASE)
_PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


@dataclass(frozen=True)
class Page:
    tickets: list[Ticket]
    total: int
    page: int
    per_page: int


def _visible_tickets(actor: Actor) -> QuerySet[Ticket]:
    query = Ticket.all()
    if isinstance(actor, CustomerActor):
        return query.filter(customer_id=actor.customer.id)
    if isinstance(actor, AgentActor) and not actor.has_role(AgentRole.ABUSE):
        return query.exclude(category=Category.ABUSE)
    return query


async def list_tickets(actor: Actor, filters: TicketQuery) -> Page:
    query = _visible_tickets(actor)
    if filters.status:
        query = query.filter(status__in=filters.status)
    if filters.priority:
        query = query.filter(priority__in=filters.priority)
    if filters.category:
        query = query.filter(category__in=filters.category)
    if filters.assignee == "me" and isinstance(actor, AgentActor):
        query = query.filter(assignee_id=actor.agent.id)
    elif filters.assignee == "none":
        query = query.filter(assignee_id__isnull=True)
    elif filters.assignee is not None and filters.assignee.isdigit():
        query = query.filter(assignee_id=int(filters.assignee))
    if filters.tag:
        query = query.filter(tags__name=filters.tag.strip().lower())
    if filters.customer_id is not None:
        query = query.filter(customer_id=filters.customer_id)
    if filters.q and filters.q.strip():
        query = query.filter(_text_search(filters.q.strip()))
    query = query.distinct()
    total = await query.count()
    order = {
        "updated": ("updated_at", "id"),
        "-updated": ("-updated_at", "-id"),
        "created": ("id",),
        "-created": ("-id",),
        "priority": ("-updated_at", "-id"),
    }[filters.sort]
    offset = (filters.page - 1) * filters.per_page
    tickets = await (
        query.order_by(*order)
        .offset(offset)
        .limit(filters.per_page)
        .prefetch_related("customer", "assignee", "tags")
    )
    if filters.sort == "priority":
        tickets.sort(key=lambda t: _PRIORITY_ORDER[t.priority.value])
    return Page(tickets=tickets, total=total, page=filters.page, per_page=filters.per_page)


def _text_search(text: str) -> Q:
    condition = (
        Q(subject__icontains=text)
        | Q(customer__email__icontains=text)
        | Q(customer__name__icontains=text)
        | Q(messages__body__icontains=text)
    )
    number = _NUMBER.match(text)
    if number:
        condition |= Q(id=int(number.group(1)))
    return condition


@dataclass(frozen=True)
class TicketView:
    ticket: Ticket
    customer: Customer
    messages: list[Message]
    tags: list[str]


async def ticket_view(actor: Actor, ticket_id: int) -> TicketView:
    ticket = await get_ticket_for(actor, ticket_id)
    await ticket.fetch_related("customer", "assignee", "service", "tags")
    messages = Message.filter(ticket_id=ticket.id).order_by("id")
    if isinstance(actor, CustomerActor):
        messages = messages.filter(visibility=Visibility.PUBLIC)
    return TicketView(
        ticket=ticket,
        customer=ticket.customer,
        messages=await messages,
        tags=sorted(t.name for t in ticket.tags),
    )


async def ticket_audit(actor: Actor, ticket_id: int) -> list[AuditEvent]:
    ticket = await get_ticket_for(actor, ticket_id)
    return await AuditEvent.filter(object_type="ticket", object_id=ticket.id).order_by("id")
