"""Customers (account holders and requesters) and the services they rent."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from helpdesk.models.enums import (
    Language,
    ResourceKind,
    ServiceKind,
    ServiceStatus,
    SupportStatus,
)


class Customer(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=200, default="")
    company = fields.CharField(max_length=200, default="")
    phone = fields.CharField(max_length=40, default="")
    language = fields.CharEnumField(Language, max_length=2, default=Language.FR)
    # True for requesters created from an unknown e-mail sender: no contract known yet.
    is_provisional = fields.BooleanField(default=False)
    support_status = fields.CharEnumField(
        SupportStatus, max_length=16, default=SupportStatus.ACTIVE
    )
    support_suspended_until = fields.DatetimeField(null=True)
    support_status_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    services: fields.ReverseRelation[Service]

    class Meta:
        table = "customer"
        ordering = ("id",)


class Service(Model):
    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="services", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(ServiceKind, max_length=20)
    label = fields.CharField(max_length=200)
    status = fields.CharEnumField(ServiceStatus, max_length=16, default=ServiceStatus.ACTIVE)
    status_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    resources: fields.ReverseRelation[ServiceResource]
    customer_id: int

    class Meta:
        table = "service"
        ordering = ("id",)


class ServiceResource(Model):
    """A domain name or an IP address (or network) that belongs to a service."""

    id = fields.IntField(primary_key=True)
    service: fields.ForeignKeyRelation[Service] = fields.ForeignKeyField(
        "models.Service", related_name="resources", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(ResourceKind, max_length=8)
    value = fields.CharField(max_length=253, db_index=True)
    service_id: int

    class Meta:
        table = "service_resource"
        unique_together = (("kind", "value"),)
