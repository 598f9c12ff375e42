"""Agents' changes to tickets: status, priority, category, assignee, tags, merge. Audited."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from helpdesk import events
from helpdesk.actors import Actor
from helpdesk.db import UnitOfWork, atomic
from helpdesk.errors import AgentNotFound, Conflict, InvalidTransition, ValidationFailed
from helpdesk.models import Agent, MailThreadKey, Message, Tag, Ticket
from helpdesk.models.enums import AuthorKind, Category, Priority, TicketStatus, Visibility
from helpdesk.services.access import get_ticket_for, require_agent
from helpdesk.services.audit import record_audit
from helpdesk.services.ticket_state import changed, stamp_status_times, ticket_state

__all__ = ["TAG_MAX", "TicketChanges", "merge_tickets", "normalise_tag", "update_ticket"]


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
            stamp_status_times(ticket)
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
        before_changed, after_changed = changed(before, after)
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
        stamp_status_times(source)
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
