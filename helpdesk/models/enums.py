"""Enumerations shared by the models, the services and the API."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    FR = "fr"
    EN = "en"


class SupportStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class ServiceKind(StrEnum):
    SHARED_HOSTING = "shared_hosting"
    VPS = "vps"
    DEDICATED = "dedicated"
    DOMAIN = "domain"
    MAIL = "mail"
    STORAGE = "storage"


class ServiceStatus(StrEnum):
    ACTIVE = "active"
    RESTRICTED = "restricted"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class ResourceKind(StrEnum):
    IP = "ip"
    DOMAIN = "domain"


class AgentRole(StrEnum):
    AGENT = "agent"
    ABUSE = "abuse"
    ADMIN = "admin"


class Channel(StrEnum):
    EMAIL = "email"
    WEB = "web"
    CHAT = "chat"
    PHONE = "phone"
    API = "api"


class Category(StrEnum):
    TECHNICAL = "technical"
    BILLING = "billing"
    SALES = "sales"
    ACCOUNT = "account"
    ABUSE = "abuse"
    OTHER = "other"


class TicketStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class AuthorKind(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"
    THIRD_PARTY = "third_party"


class Visibility(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class InboundStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    FAILED = "failed"


class InboundOutcome(StrEnum):
    """What became of an inbound e-mail. Every one keeps its raw bytes."""

    PENDING = "pending"
    TICKET_CREATED = "ticket_created"
    REPLY_THREADED = "reply_threaded"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    MAILING_LIST = "mailing_list"
    LOOP = "loop"
    EMPTY = "empty"
    DUPLICATE = "duplicate"
    UNPARSEABLE = "unparseable"


class ActorKind(StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"
    SYSTEM = "system"
    THIRD_PARTY = "third_party"
