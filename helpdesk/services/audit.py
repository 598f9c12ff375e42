"""Writing the audit trail, in the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from helpdesk.actors import Actor
from helpdesk.db import UnitOfWork
from helpdesk.models import AuditEvent


async def record_audit(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    *,
    object_type: str,
    object_id: int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return await AuditEvent.create(
        actor_kind=actor.kind,
        actor_id=actor.actor_id,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        using_db=uow.connection,
    )
