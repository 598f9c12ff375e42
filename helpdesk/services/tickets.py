"""Ticket writes that add to the thread: open, reply, note, customer message. Audited.

Agents' changes to a ticket (status, assignee, tags, merge) are in `ticket_changes`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from helpdesk import events
from helpdesk.actors import Actor, AgentActor, CustomerActor
from helpdesk.db import UnitOfWork, atomic
from helpdesk.errors import (
    InvalidTransition,
    ServiceNotFound,
    ValidationFailed,
)
from helpdesk.mail.links import MailSettings
from helpdesk.models import Customer, MailThreadKey, Message, Service, Ticket
from helpdesk.models.enums import (
    AuthorKind,
    Category,
    Channel,
    Priority,
    TicketStatus,
    Visibility,
)
from helpdesk.screening import Screening
from helpdesk.services.access import get_ticket_for, require_agent
from helpdesk.services.audit import record_audit
from helpdesk.services.notifications import (
    do_notify_acknowledgement,
    do_notify_agent_reply,
)
from helpdesk.services.ticket_state import changed, stamp_status_times, ticket_state
from helpdesk.text import clip
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)

REOPENING_STATUSES = (TicketStatus.PENDING, TicketStatus.RESOLVED)


@dataclass(frozen=True)
class MailOrigin:
    """Where a message came from when it arrived by e-mail."""

    inbound_mail_id: int
    message_id: str | None = None
    attachments: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class NewTicket:
    subject: str
    body: str
    channel: Channel
    category: Category = Category.OTHER
    priority: Priority = Priority.NORMAL
    service_id: int | None = None


async def open_ticket(
    actor: Actor,
    customer: Customer,
    new: NewTicket,
    *,
    mail: MailSettings,
    screening: Screening | None = None,
) -> Ticket:
    """A customer (portal) or an agent (on the customer's behalf) opens a ticket."""
    async with atomic() as uow:
        ticket = await do_open_ticket(
            uow, actor, customer, new, acknowledge=True, mail=mail, screening=screening
        )
    return ticket


async def do_open_ticket(
    uow: UnitOfWork,
    actor: Actor,
    customer: Customer,
    new: NewTicket,
    *,
    acknowledge: bool,
    mail: MailSettings,
    author_kind: AuthorKind | None = None,
    origin: MailOrigin | None = None,
    screening: Screening | None = None,
) -> Ticket:
    service = None
    if new.service_id is not None:
        service = await Service.get_or_none(id=new.service_id, customer_id=customer.id)
        if service is None:
            raise ServiceNotFound()
    if author_kind is None:
        author_kind = AuthorKind.AGENT if isinstance(actor, AgentActor) else AuthorKind.CUSTOMER
    now = utcnow()
    ticket = await Ticket.create(
        subject=clip(new.subject.strip() or "(no subject)", 250),
        channel=new.channel,
        category=new.category,
        priority=new.priority,
        customer=customer,
        service=service,
        status=TicketStatus.OPEN if author_kind == AuthorKind.AGENT else TicketStatus.NEW,
        last_customer_message_at=now if author_kind == AuthorKind.CUSTOMER else None,
        first_response_at=now if author_kind == AuthorKind.AGENT else None,
        screening_flag=screening.label if screening and screening.flagged else None,
        using_db=uow.connection,
    )
    message = await Message.create(
        ticket=ticket,
        author_kind=author_kind,
        author_agent=actor.agent if isinstance(actor, AgentActor) else None,
        author_customer=customer if author_kind == AuthorKind.CUSTOMER else None,
        author_label=actor.label if isinstance(actor, AgentActor) else customer.email,
        body=new.body,
        screening=screening.as_json() if screening else None,
        **_origin_fields(origin),
        using_db=uow.connection,
    )
    if origin is not None and origin.message_id:
        await _remember_thread_key(ticket, origin.message_id)
    await record_audit(
        uow,
        actor,
        "ticket.created",
        object_type="ticket",
        object_id=ticket.id,
        after={
            **ticket_state(ticket),
            "channel": new.channel.value,
            "customer_id": customer.id,
            "service_id": new.service_id,
        },
    )
    if author_kind == AuthorKind.AGENT and isinstance(actor, AgentActor):
        await do_notify_agent_reply(uow, ticket, customer, message, actor.agent, mail=mail)
    elif acknowledge:
        await do_notify_acknowledgement(uow, ticket, customer, mail=mail)
    uow.on_commit(events.DomainEvent(events.TICKET_CREATED, {"ticket_id": ticket.id}))
    uow.on_commit(
        events.DomainEvent(events.MESSAGE_ADDED, {"ticket_id": ticket.id, "message_id": message.id})
    )
    return ticket


async def reply_to_ticket(
    actor: Actor,
    ticket_id: int,
    body: str,
    *,
    mail: MailSettings,
    status_after: TicketStatus | None = None,
) -> Message:
    """An agent answers the customer: a public message and an e-mail, in one transaction."""
    agent = require_agent(actor)
    if status_after == TicketStatus.NEW:
        raise ValidationFailed(
            "A replied ticket cannot go back to 'new'.", code="reply_cannot_set_new"
        )
    async with atomic() as uow:
        ticket = await get_ticket_for(actor, ticket_id, for_update=True)
        _refuse_if_closed(ticket)
        before = ticket_state(ticket)
        message = await Message.create(
            ticket=ticket,
            author_kind=AuthorKind.AGENT,
            author_agent=agent.agent,
            author_label=agent.label,
            body=body,
            using_db=uow.connection,
        )
        now = utcnow()
        if ticket.first_response_at is None:
            ticket.first_response_at = now
        if status_after is not None:
            ticket.status = status_after
        elif ticket.status == TicketStatus.NEW:
            ticket.status = TicketStatus.OPEN
        stamp_status_times(ticket)
        await ticket.save(using_db=uow.connection)
        customer = await Customer.get(id=ticket.customer_id)
        outbox = await do_notify_agent_reply(uow, ticket, customer, message, agent.agent, mail=mail)
        message.email_message_id = outbox.message_id
        await message.save(using_db=uow.connection, update_fields=["email_message_id"])
        await _audit_changes(
            uow, actor, ticket, before, "ticket.replied", {"message_id": message.id}
        )
        _queue_message_events(uow, ticket, message)
    return message


async def add_internal_note(actor: Actor, ticket_id: int, body: str) -> Message:
    agent = require_agent(actor)
    async with atomic() as uow:
        ticket = await get_ticket_for(actor, ticket_id, for_update=True)
        message = await Message.create(
            ticket=ticket,
            author_kind=AuthorKind.AGENT,
            author_agent=agent.agent,
            author_label=agent.label,
            visibility=Visibility.INTERNAL,
            body=body,
            using_db=uow.connection,
        )
        await record_audit(
            uow,
            actor,
            "ticket.note_added",
            object_type="ticket",
            object_id=ticket.id,
            after={"message_id": message.id},
        )
        await ticket.save(using_db=uow.connection, update_fields=["updated_at"])
        _queue_message_events(uow, ticket, message)
    return message


async def add_customer_message(
    actor: CustomerActor, ticket_id: int, body: str, *, screening: Screening | None = None
) -> Message:
    """The customer writes in their ticket from the portal."""
    async with atomic() as uow:
        ticket = await get_ticket_for(actor, ticket_id, for_update=True)
        _refuse_if_closed(ticket)
        message = await do_add_customer_message(uow, actor, ticket, body, screening=screening)
    return message


async def do_add_customer_message(
    uow: UnitOfWork,
    actor: Actor,
    ticket: Ticket,
    body: str,
    *,
    origin: MailOrigin | None = None,
    screening: Screening | None = None,
) -> Message:
    before = ticket_state(ticket)
    customer = await Customer.get(id=ticket.customer_id)
    message = await Message.create(
        ticket=ticket,
        author_kind=AuthorKind.CUSTOMER,
        author_customer=customer,
        author_label=customer.email,
        body=body,
        screening=screening.as_json() if screening else None,
        **_origin_fields(origin),
        using_db=uow.connection,
    )
    if origin is not None and origin.message_id:
        await _remember_thread_key(ticket, origin.message_id)
    if screening is not None and screening.flagged:
        ticket.screening_flag = screening.label
    ticket.last_customer_message_at = utcnow()
    if ticket.status in REOPENING_STATUSES:
        ticket.status = TicketStatus.OPEN
        ticket.resolved_at = None
    await ticket.save(using_db=uow.connection)
    await _audit_changes(
        uow, actor, ticket, before, "ticket.customer_replied", {"message_id": message.id}
    )
    _queue_message_events(uow, ticket, message)
    return message


def _origin_fields(origin: MailOrigin | None) -> dict[str, Any]:
    if origin is None:
        return {}
    return {
        "email_message_id": origin.message_id,
        "inbound_mail_id": origin.inbound_mail_id,
        "attachments": list(origin.attachments),
    }


async def _remember_thread_key(ticket: Ticket, message_id: str) -> None:
    """Map a customer's Message-ID to the ticket, unless some ticket already has it."""
    if await MailThreadKey.filter(message_id=message_id).exists():
        return
    try:
        async with in_transaction():  # a savepoint: another worker may record it now
            await MailThreadKey.create(message_id=message_id, ticket=ticket)
    except IntegrityError:
        logger.info("thread key already known for ticket %s", ticket.id)


def _refuse_if_closed(ticket: Ticket) -> None:
    if ticket.status == TicketStatus.CLOSED:
        raise InvalidTransition("This ticket is closed; open a new one.", code="ticket_closed")


async def _audit_changes(
    uow: UnitOfWork,
    actor: Actor,
    ticket: Ticket,
    before: dict[str, Any],
    action: str,
    extra: dict[str, Any],
) -> None:
    before_changed, after_changed = changed(before, ticket_state(ticket))
    await record_audit(
        uow,
        actor,
        action,
        object_type="ticket",
        object_id=ticket.id,
        before=before_changed or None,
        after={**after_changed, **extra},
    )


def _queue_message_events(uow: UnitOfWork, ticket: Ticket, message: Message) -> None:
    uow.on_commit(
        events.DomainEvent(events.MESSAGE_ADDED, {"ticket_id": ticket.id, "message_id": message.id})
    )
