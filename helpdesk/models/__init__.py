"""Tortoise models of the helpdesk core. No mail, no events, no business rules here."""

from helpdesk.models.agents import Agent
from helpdesk.models.audit import AuditEvent
from helpdesk.models.customers import Customer, Service, ServiceResource
from helpdesk.models.mail import CaughtMail, InboundMail, MailThreadKey, OutboxMail
from helpdesk.models.tickets import Message, Tag, Ticket, format_ticket_number

__all__ = [
    "Agent",
    "AuditEvent",
    "CaughtMail",
    "Customer",
    "InboundMail",
    "MailThreadKey",
    "Message",
    "OutboxMail",
    "Service",
    "ServiceResource",
    "Tag",
    "Ticket",
    "format_ticket_number",
]
