"""A ticket's audited state, and the times stamped when its status changes."""

from __future__ import annotations

from typing import Any

from helpdesk.models import Ticket
from helpdesk.models.enums import TicketStatus
from helpdesk.timeutil import utcnow

__all__ = ["changed", "stamp_status_times", "ticket_state"]


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


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def stamp_status_times(ticket: Ticket) -> None:
    now = utcnow()
    if ticket.status == TicketStatus.RESOLVED and ticket.resolved_at is None:
        ticket.resolved_at = now
    if ticket.status == TicketStatus.CLOSED and ticket.closed_at is None:
        ticket.closed_at = now
    if ticket.status in (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING):
        ticket.resolved_at = None
