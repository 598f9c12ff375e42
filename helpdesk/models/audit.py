"""The audit trail: every operation logged (ServeurTS CGS art. 12.2)."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from helpdesk.models.enums import ActorKind


class AuditEvent(Model):
    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    actor_kind = fields.CharEnumField(ActorKind, max_length=12)
    actor_id = fields.IntField(null=True)
    actor_label = fields.CharField(max_length=254, default="")
    action = fields.CharField(max_length=60)
    object_type = fields.CharField(max_length=30)
    object_id = fields.IntField(db_index=True)
    before: Any = fields.JSONField(null=True)
    after: Any = fields.JSONField(null=True)

    class Meta:
        table = "audit_event"
        ordering = ("id",)
