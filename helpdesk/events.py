"""Domain events: how the core tells its siblings (chat, abuse, workers) that something happened.

Services queue events on their unit of work; they are published only after the transaction
commits (Zulip's send_event_on_commit). Subscribers are wired in app.py. Events are in-process
notifications; anything that must survive a crash is a database row (outbox, inbound mail).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

TICKET_CREATED = "ticket.created"
TICKET_UPDATED = "ticket.updated"
MESSAGE_ADDED = "message.added"
OUTBOX_QUEUED = "outbox.queued"
INBOUND_RECEIVED = "inbound.received"


@dataclass(frozen=True)
class DomainEvent:
    name: str
    payload: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[DomainEvent], Awaitable[None]]
_subscribers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(name: str, handler: Handler) -> None:
    _subscribers[name].append(handler)


def clear_subscribers() -> None:
    _subscribers.clear()


async def publish(event: DomainEvent) -> None:
    for handler in list(_subscribers.get(event.name, ())):
        try:
            await handler(event)
        except Exception:
            # A subscriber's failure must not undo or hide a committed change; it is logged.
            logger.exception("subscriber of %s failed", event.name)
