"""Agents: the staff who log into the agent console."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from helpdesk.models.enums import AgentRole, Language


class Agent(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=200)
    password_hash = fields.CharField(max_length=200)
    role = fields.CharEnumField(AgentRole, max_length=10, default=AgentRole.AGENT)
    language = fields.CharEnumField(Language, max_length=2, default=Language.FR)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    class Meta:
        table = "agent"
        ordering = ("id",)
