"""Reads for the queue and the ticket view. Permission-checked like the writes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tortoise.expressions import Case, Q, When
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from helpdesk.actors import Actor, AgentActor, CustomerActor
from helpdesk.models import AuditEvent, Customer, Message, Service, Ticket
from helpdesk.models.enums import AgentRole, Category, Priority, TicketStatus, Visibility
from helpdesk.schemas import TicketQuery
from helpdesk.services.access import get_ticket_for

_NUMBER = re.compile(r"^\s*#?T?0*(\d{1,9})\s*$", re.IGNORECASE)
_PRIORITY_RANK = Case(
    When(priority=Priority.URGENT, then="0"),
    When(priority=Priority.HIGH, then="1"),
    When(priority=Priority.NORMAL, then="2"),
    default="3",
)


@dataclass(frozen=True)
class Page:
    tickets: list[Ticket]
    total: int
    page: int
    per_page: int
    # How many tickets each status holds under the same filters, status filter aside.
    counts_by_status: dict[str, int]


def _visible_tickets(actor: Actor) -> QuerySet[Ticket]:
    query = Ticket.all()
    if isinstance(actor, CustomerActor):
        return query.filter(customer_id=actor.customer.id)
    if isinstance(actor, AgentActor) and not actor.has_role(AgentRole.ABUSE):
        return query.exclude(category=Category.ABUSE)
    return query


async def list_tickets(actor: Actor, filters: TicketQuery) -> Page:
    query = _filtered(actor, filters)
    counts = await _counts_by_status(query)
    if filters.status:
        query = query.filter(status__in=filters.status)
    query = query.distinct()
    total = await query.count()
    if filters.sort == "priority":
        query = query.annotate(priority_rank=_PRIORITY_RANK)
    order = {
        "updated": ("updated_at", "id"),
        "-updated": ("-updated_at", "-id"),
        "created": ("id",),
        "-created": ("-id",),
        "priority": ("priority_rank", "-updated_at", "-id"),
    }[filters.sort]
    offset = (filters.page - 1) * filters.per_page
    tickets = await (
        query.order_by(*order)
        .offset(offset)
        .limit(filters.per_page)
        .prefetch_related("customer", "assignee", "tags")
    )
    return Page(
        tickets=tickets,
        total=total,
        page=filters.page,
        per_page=filters.per_page,
        counts_by_status=counts,
    )


async def _counts_by_status(query: QuerySet[Ticket]) -> dict[str, int]:
    rows = await (
        query.annotate(count=Count("id", distinct=True))
        .group_by("status")
        .values("status", "count")
    )
    counts = {status.value: 0 for status in TicketStatus}
    for row in rows:
        counts[str(row["status"])] = int(row["count"])
    return counts


def _filtered(actor: Actor, filters: TicketQuery) -> QuerySet[Ticket]:
    """The queue's filters, except status (so that counts per status can be shown)."""
    query = _visible_tickets(actor)
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
    if filters.flag == "any":
        query = query.filter(screening_flag__isnull=False)
    elif filters.flag == "none":
        query = query.filter(screening_flag__isnull=True)
    elif filters.flag is not None:
        query = query.filter(screening_flag=filters.flag)
    if filters.q and filters.q.strip():
        query = query.filter(_text_search(filters.q.strip()))
    return query


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
        messages=await messages.prefetch_related("author_agent"),
        tags=sorted(t.name for t in ticket.tags),
    )


async def customer_services(customer_id: int) -> list[Service]:
    return await Service.filter(customer_id=customer_id).prefetch_related("resources")


async def ticket_audit(actor: Actor, ticket_id: int) -> list[AuditEvent]:
    ticket = await get_ticket_for(actor, ticket_id)
    return await AuditEvent.filter(object_type="ticket", object_id=ticket.id).order_by("id")
