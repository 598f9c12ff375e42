"""Mail tables: the outbox, the raw inbound mail, thread keys and the embedded catcher."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from helpdesk.models.enums import InboundOutcome, InboundStatus, OutboxStatus
from helpdesk.models.tickets import Ticket


class OutboxMail(Model):
    """A mail to send, written in the same transaction as the change it reports."""

    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    to_address = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=300)
    body_text = fields.TextField()
    message_id = fields.CharField(max_length=250, unique=True)
    in_reply_to = fields.CharField(max_length=250, null=True)
    references = fields.TextField(default="")
    # Automatic notices carry Auto-Submitted: auto-replied / auto-generated (RFC 3834).
    auto_submitted = fields.CharField(max_length=30, default="no")
    ticket: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "models.Ticket", related_name="outbox_mails", null=True, on_delete=fields.SET_NULL
    )
    status = fields.CharEnumField(OutboxStatus, max_length=10, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    lease_until = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=80, null=True)
    last_error = fields.TextField(default="")
    sent_at = fields.DatetimeField(null=True)

    ticket_id: int | None

    class Meta:
        table = "outbox_mail"
        ordering = ("id",)


class InboundMail(Model):
    """Every mail the intake accepted, raw bytes kept, whatever became of it."""

    id = fields.IntField(primary_key=True)
    received_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    # Message-ID when there is one, else the SHA-256 of the raw bytes: one mail, one row.
    dedupe_key = fields.CharField(max_length=300, unique=True)
    message_id = fields.CharField(max_length=250, default="")
    envelope_from = fields.CharField(max_length=254, default="")
    envelope_to: Any = fields.JSONField(default=list)
    from_address = fields.CharField(max_length=254, default="", db_index=True)
    subject = fields.CharField(max_length=300, default="")
    size = fields.IntField()
    raw_bytes = fields.BinaryField()
    status = fields.CharEnumField(InboundStatus, max_length=10, default=InboundStatus.RECEIVED)
    outcome = fields.CharEnumField(InboundOutcome, max_length=16, default=InboundOutcome.PENDING)
    detail = fields.TextField(default="")
    ticket: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "models.Ticket", related_name="inbound_mails", null=True, on_delete=fields.SET_NULL
    )
    attempts = fields.IntField(default=0)
    lease_until = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=80, null=True)
    processed_at = fields.DatetimeField(null=True)

    ticket_id: int | None

    class Meta:
        table = "inbound_mail"
        ordering = ("-id",)


class MailThreadKey(Model):
    """A Message-ID seen or sent in a ticket's thread, for In-Reply-To / References."""

    id = fields.IntField(primary_key=True)
    message_id = fields.CharField(max_length=250, unique=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "models.Ticket", related_name="thread_keys", on_delete=fields.CASCADE
    )
    # True for ids we generated ourselves: unguessable, so they prove the sender saw our mail.
    outgoing = fields.BooleanField(default=False)

    ticket_id: int

    class Meta:
        table = "mail_thread_key"


class CaughtMail(Model):
    """A mail received by the embedded mail catcher (development default, like Mailpit)."""

    id = fields.IntField(primary_key=True)
    received_at = fields.DatetimeField(auto_now_add=True)
    envelope_from = fields.CharField(max_length=254, default="")
    envelope_to: Any = fields.JSONField(default=list)
    subject = fields.CharField(max_length=300, default="")
    raw_bytes = fields.BinaryField()

    class Meta:
        table = "caught_mail"
        ordering = ("-id",)
