"""Tickets, their messages and tags."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from helpdesk.models.agents import Agent
from helpdesk.models.customers import Customer, Service
from helpdesk.models.enums import (
    AuthorKind,
    Category,
    Channel,
    Priority,
    TicketStatus,
    Visibility,
)

TICKET_PREFIX = "T"


def format_ticket_number(ticket_id: int) -> str:
    """Human-friendly ticket number, e.g. T000042. Unique because it is the primary key."""
    return f"{TICKET_PREFIX}{ticket_id:06d}"


class Tag(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50, unique=True)

    class Meta:
        table = "tag"
        ordering = ("name",)


class Ticket(Model):
    id = fields.IntField(primary_key=True)
    subject = fields.CharField(max_length=250)
    channel = fields.CharEnumField(Channel, max_length=10)
    category = fields.CharEnumField(Category, max_length=12, default=Category.OTHER)
    status = fields.CharEnumField(TicketStatus, max_length=10, default=TicketStatus.NEW)
    priority = fields.CharEnumField(Priority, max_length=8, default=Priority.NORMAL)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="tickets", on_delete=fields.RESTRICT
    )
    service: fields.ForeignKeyNullableRelation[Service] = fields.ForeignKeyField(
        "models.Service", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    assignee: fields.ForeignKeyNullableRelation[Agent] = fields.ForeignKeyField(
        "models.Agent", related_name="assigned_tickets", null=True, on_delete=fields.SET_NULL
    )
    merged_into: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "models.Ticket", related_name="merged_tickets", null=True, on_delete=fields.SET_NULL
    )
    tags: fields.ManyToManyRelation[Tag] = fields.ManyToManyField(
        "models.Tag", related_name="tickets", through="ticket_tag"
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    first_response_at = fields.DatetimeField(null=True)
    last_customer_message_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    # The classifier flagged a customer message of this ticket: spam, harassment, abuse_report.
    screening_flag = fields.CharField(max_length=20, null=True, db_index=True)

    messages: fields.ReverseRelation[Message]
    customer_id: int
    service_id: int | None
    assignee_id: int | None
    merged_into_id: int | None

    class Meta:
        table = "ticket"
        ordering = ("-id",)

    @property
    def number(self) -> str:
        return format_ticket_number(self.id)


class Message(Model):
    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "models.Ticket", related_name="messages", on_delete=fields.CASCADE
    )
    author_kind = fields.CharEnumField(AuthorKind, max_length=12)
    author_agent: fields.ForeignKeyNullableRelation[Agent] = fields.ForeignKeyField(
        "models.Agent", related_name="messages", null=True, on_delete=fields.SET_NULL
    )
    author_customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="messages", null=True, on_delete=fields.SET_NULL
    )
    author_label = fields.CharField(max_length=254, default="")
    visibility = fields.CharEnumField(Visibility, max_length=10, default=Visibility.PUBLIC)
    body = fields.TextField()
    # Set when the message came in by e-mail (its Message-ID) or went out as one.
    email_message_id = fields.CharField(max_length=250, null=True)
    inbound_mail_id = fields.IntField(null=True)
    attachments: Any = fields.JSONField(default=list)
    # The classifier's verdict on a customer message: label, flagged, scores, explanation.
    screening: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    ticket_id: int
    author_agent_id: int | None
    author_customer_id: int | None

    class Meta:
        table = "message"
        ordering = ("id",)
