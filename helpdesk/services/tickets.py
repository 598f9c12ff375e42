"""Ticket writes: open, reply, note, customer message, update, merge. Every change is audited."""

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
    AgentNotFound,
    Conflict,
    InvalidTransition,
    ServiceNotFound,
    ValidationFailed,
)
from helpdesk.mail.links import MailSettings
from helpdesk.models import Agent, Customer, MailThreadKey, Message, Service, Tag, Ticket
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
from helpdesk.text import clip
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)

REOPENING_STATUSES = (TicketStatus.PENDING, TicketStatus.RESOLVED)


def ticket_state(ticket: Ticket, tags: list[str] | None = None) -> dict[str, Any]:
    state: dict[str, Any] = {
        "status": ticket.status.value,
        "priority": ticket.priority.value,
        "category": ticket.category.value,
        "assignee_id": ticket.assignee_id,
        "screening_flag": ticket.screening_flag,
    }
    if tags is not None:
        state["tags"] = tags
    return state


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


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
        _stamp_status_times(ticket)
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


@dataclass(frozen=True)
class TicketChanges:
    """What an agent changes in one go. `assign` says whether assignee_id is to be applied."""

    status: TicketStatus | None = None
    priority: Priority | None = None
    category: Category | None = None
    assign: bool = False
    assignee_id: int | None = None
    tags: tuple[str, ...] | None = None
    clear_screening_flag: bool = False


async def update_ticket(actor: Actor, ticket_id: int, changes: TicketChanges) -> Ticket:
    require_agent(actor)
    async with atomic() as uow:
        ticket = await get_ticket_for(actor, ticket_id, for_update=True)
        if ticket.status == TicketStatus.CLOSED and (
            changes.status not in (None, TicketStatus.CLOSED) or changes.assign
        ):
            raise InvalidTransition(
                "A closed ticket cannot be reopened or reassigned.", code="ticket_closed"
            )
        old_tags = sorted(t.name for t in await ticket.tags.all().using_db(uow.connection))
        before = ticket_state(ticket, old_tags)
        if changes.status is not None:
            ticket.status = changes.status
            _stamp_status_times(ticket)
        if changes.priority is not None:
            ticket.priority = changes.priority
        if changes.category is not None:
            ticket.category = changes.category
        if changes.assign:
            await _apply_assignee(ticket, changes.assignee_id)
        if changes.clear_screening_flag:
            ticket.screening_flag = None
        new_tags = old_tags
        if changes.tags is not None:
            new_tags = await _apply_tags(uow, ticket, changes.tags)
        await ticket.save(using_db=uow.connection)
        after = ticket_state(ticket, new_tags)
        before_changed, after_changed = _changed(before, after)
        if after_changed:
            await record_audit(
                uow,
                actor,
                "ticket.updated",
                object_type="ticket",
                object_id=ticket.id,
                before=before_changed,
                after=after_changed,
            )
            uow.on_commit(
                events.DomainEvent(
                    events.TICKET_UPDATED, {"ticket_id": ticket.id, "changes": after_changed}
                )
            )
    return ticket


async def merge_tickets(actor: Actor, source_id: int, target_id: int) -> Ticket:
    """Move the source ticket's thread into the target and close the source."""
    require_agent(actor)
    if source_id == target_id:
        raise ValidationFailed("A ticket cannot be merged into itself.", code="merge_into_itself")
    async with atomic() as uow:
        source = await get_ticket_for(actor, source_id, for_update=True)
        target = await get_ticket_for(actor, target_id, for_update=True)
        if source.customer_id != target.customer_id:
            raise Conflict(
                "Only tickets of the same customer can be merged.", code="merge_other_customer"
            )
        if source.merged_into_id is not None:
            raise Conflict("This ticket was already merged.", code="already_merged")
        if target.status == TicketStatus.CLOSED:
            raise InvalidTransition("Cannot merge into a closed ticket.", code="merge_into_closed")
        moved = (
            await Message.filter(ticket_id=source.id)
            .using_db(uow.connection)
            .update(ticket_id=target.id)
        )
        await (
            MailThreadKey.filter(ticket_id=source.id)
            .using_db(uow.connection)
            .update(ticket_id=target.id)
        )
        source_tags = await source.tags.all().using_db(uow.connection)
        if source_tags:
            await target.tags.add(*source_tags, using_db=uow.connection)
        before = ticket_state(source)
        source.status = TicketStatus.CLOSED
        source.merged_into = target
        _stamp_status_times(source)
        await source.save(using_db=uow.connection)
        for ticket, text in (
            (target, f"{source.number} merged into this ticket ({moved} messages)."),
            (source, f"Merged into {target.number}."),
        ):
            await Message.create(
                ticket=ticket,
                author_kind=AuthorKind.SYSTEM,
                visibility=Visibility.INTERNAL,
                author_label="system",
                body=text,
                using_db=uow.connection,
            )
        await target.save(using_db=uow.connection, update_fields=["updated_at"])
        await record_audit(
            uow,
            actor,
            "ticket.merged",
            object_type="ticket",
            object_id=source.id,
            before=before,
            after={**ticket_state(source), "merged_into": target.id},
        )
        await record_audit(
            uow,
            actor,
            "ticket.merge_received",
            object_type="ticket",
            object_id=target.id,
            after={"merged_from": source.id, "messages_moved": moved},
        )
        for ticket_id in (source.id, target.id):
            uow.on_commit(events.DomainEvent(events.TICKET_UPDATED, {"ticket_id": ticket_id}))
    return target


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


def _stamp_status_times(ticket: Ticket) -> None:
    now = utcnow()
    if ticket.status == TicketStatus.RESOLVED and ticket.resolved_at is None:
        ticket.resolved_at = now
    if ticket.status == TicketStatus.CLOSED and ticket.closed_at is None:
        ticket.closed_at = now
    if ticket.status in (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING):
        ticket.resolved_at = None


async def _apply_assignee(ticket: Ticket, assignee_id: int | None) -> None:
    if assignee_id is None:
        ticket.assignee = None
        return
    assignee = await Agent.get_or_none(id=assignee_id, is_active=True)
    if assignee is None:
        raise AgentNotFound()
    ticket.assignee = assignee


TAG_MAX = 20


def normalise_tag(raw: str) -> str:
    tag = " ".join(raw.strip().lower().split())
    if not tag or len(tag) > 50:
        raise ValidationFailed(f"Invalid tag: {raw!r} (1 to 50 characters).")
    return tag


async def _apply_tags(uow: UnitOfWork, ticket: Ticket, raw_tags: tuple[str, ...]) -> list[str]:
    names = sorted({normalise_tag(t) for t in raw_tags})
    if len(names) > TAG_MAX:
        raise ValidationFailed(f"At most {TAG_MAX} tags per ticket.")
    tags = []
    for name in names:
        tag = await Tag.get_or_none(name=name)
        if tag is None:
            try:
                async with in_transaction():  # a savepoint: another agent may add it now
                    tag = await Tag.create(name=name)
            except IntegrityError:
                tag = await Tag.get(name=name)
        tags.append(tag)
    await ticket.tags.clear(using_db=uow.connection)
    if tags:
        await ticket.tags.add(*tags, using_db=uow.connection)
    return names


async def _audit_changes(
    uow: UnitOfWork,
    actor: Actor,
    ticket: Ticket,
    before: dict[str, Any],
    action: str,
    extra: dict[str, Any],
) -> None:
    before_changed, after_changed = _changed(before, ticket_state(ticket))
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
