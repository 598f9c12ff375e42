"""Validated input of the JSON API (pydantic). Text is kept exactly as sent."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from helpdesk.models.enums import (
    Category,
    Language,
    Priority,
    ResourceKind,
    ServiceKind,
    TicketStatus,
)
from helpdesk.text import text_problem


def _storable(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


StorableText = Annotated[str, AfterValidator(_storable)]
Body = Annotated[
    str,
    Field(min_length=1, max_length=100_000),
    AfterValidator(_storable),
    AfterValidator(_not_blank),
]
Subject = Annotated[
    str, Field(min_length=1, max_length=250), AfterValidator(_storable), AfterValidator(_not_blank)
]
Tag = Annotated[str, Field(min_length=1, max_length=50), AfterValidator(_storable)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class LoginIn(Strict):
    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]


class ReplyIn(Strict):
    body: Body
    status_after: TicketStatus | None = None


class NoteIn(Strict):
    body: Body


class TicketPatchIn(Strict):
    status: TicketStatus | None = None
    priority: Priority | None = None
    category: Category | None = None
    assignee_id: int | None = None
    tags: list[Tag] | None = Field(default=None, max_length=20)
    # Only null is accepted: an agent clears a classifier flag that was wrong.
    screening_flag: None = None


class MergeIn(Strict):
    into_ticket_id: int


class AgentTicketIn(Strict):
    customer_email: EmailStr
    subject: Subject
    body: Body
    category: Category = Category.OTHER
    priority: Priority = Priority.NORMAL
    service_id: int | None = None


class TicketQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: list[TicketStatus] = Field(default_factory=list)
    priority: list[Priority] = Field(default_factory=list)
    category: list[Category] = Field(default_factory=list)
    assignee: Annotated[str | None, Field(pattern=r"^(me|none|\d{1,9})$")] = None
    tag: Annotated[str | None, Field(max_length=50)] = None
    customer_id: int | None = None
    flag: Literal["any", "none", "spam", "harassment", "abuse_report"] | None = None
    q: Annotated[
        str | None,
        Field(max_length=200),
        AfterValidator(lambda v: _storable(v) if v is not None else v),
    ] = None
    sort: Literal["updated", "-updated", "created", "-created", "priority"] = "-updated"
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    per_page: Annotated[int, Field(ge=1, le=200)] = 50


class PortalTicketIn(Strict):
    subject: Subject
    body: Body
    service_id: int | None = None
    category: Category = Category.OTHER


class PortalMessageIn(Strict):
    body: Body


class LoginLinkIn(Strict):
    email: EmailStr


class MailListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: str | None = Field(default=None, max_length=20)
    outcome: str | None = Field(default=None, max_length=20)
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    per_page: Annotated[int, Field(ge=1, le=200)] = 50


class CustomerQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    q: Annotated[str | None, Field(max_length=200)] = None
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    per_page: Annotated[int, Field(ge=1, le=200)] = 50


Name = Annotated[str, Field(max_length=200), AfterValidator(_storable)]


class CustomerIn(Strict):
    email: EmailStr
    name: Name = ""
    company: Name = ""
    language: Language = Language.FR


class ResourceIn(Strict):
    kind: ResourceKind
    value: Annotated[str, Field(min_length=1, max_length=253), AfterValidator(_storable)]


class ServiceIn(Strict):
    kind: ServiceKind
    label: Annotated[
        str,
        Field(min_length=1, max_length=200),
        AfterValidator(_storable),
        AfterValidator(_not_blank),
    ]
    resources: list[ResourceIn] = Field(default_factory=list, max_length=100)
