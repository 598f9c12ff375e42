"""Customers, services and agents: creating and finding them."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from helpdesk.actors import SYSTEM, Actor, AgentActor
from helpdesk.auth.passwords import hash_password, needs_rehash, verify_password
from helpdesk.db import UnitOfWork, atomic
from helpdesk.errors import AgentNotFound, Conflict, CustomerNotFound, ValidationFailed
from helpdesk.models import Agent, Customer, Service, ServiceResource
from helpdesk.models.enums import AgentRole, Language, ResourceKind, ServiceKind
from helpdesk.services.audit import record_audit
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)


def normalise_email(address: str) -> str:
    return address.strip().lower()


async def find_customer_by_email(address: str) -> Customer | None:
    return await Customer.get_or_none(email=normalise_email(address))


async def create_customer(
    email: str,
    *,
    name: str = "",
    company: str = "",
    language: Language = Language.FR,
    provisional: bool = False,
    actor: Actor = SYSTEM,
) -> Customer:
    async with atomic() as uow:
        return await do_create_customer(
            uow,
            email,
            name=name,
            company=company,
            language=language,
            provisional=provisional,
            actor=actor,
        )


async def do_create_customer(
    uow: UnitOfWork,
    email: str,
    *,
    name: str = "",
    company: str = "",
    language: Language = Language.FR,
    provisional: bool = False,
    actor: Actor = SYSTEM,
) -> Customer:
    email = normalise_email(email)
    if await Customer.filter(email=email).using_db(uow.connection).exists():
        raise Conflict("A customer with this e-mail already exists.", code="customer_exists")
    customer = await Customer.create(
        email=email,
        name=name,
        company=company,
        language=language,
        is_provisional=provisional,
        using_db=uow.connection,
    )
    await record_audit(
        uow,
        actor,
        "customer.created",
        object_type="customer",
        object_id=customer.id,
        after={"email": email, "language": language.value, "provisional": provisional},
    )
    return customer


async def get_or_create_requester(
    uow: UnitOfWork, email: str, *, name: str, language: Language
) -> Customer:
    """The customer behind an e-mail address; unknown senders become provisional requesters."""
    found = await Customer.filter(email=normalise_email(email)).using_db(uow.connection).first()
    if found is not None:
        return found
    try:
        # A savepoint: two first mails from one new sender may race in two workers.
        async with in_transaction():
            return await do_create_customer(
                uow, email, name=name, language=language, provisional=True
            )
    except (IntegrityError, Conflict):
        return await Customer.get(email=normalise_email(email))


def _check_resource(kind: ResourceKind, value: str) -> str:
    value = value.strip().lower()
    if kind is ResourceKind.IP:
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError as exc:
            raise ValidationFailed(f"Not an IP address or network: {value!r}") from exc
        if network.prefixlen == network.max_prefixlen:
            return str(network.network_address)  # one address: no "/32"
        return str(network)
    if not value or len(value) > 253 or " " in value or "." not in value:
        raise ValidationFailed(f"Not a domain name: {value!r}")
    return value.rstrip(".")


@dataclass(frozen=True)
class ResourceSpec:
    kind: ResourceKind
    value: str


async def create_service(
    customer_id: int,
    *,
    kind: ServiceKind,
    label: str,
    resources: Sequence[ResourceSpec] = (),
    actor: Actor = SYSTEM,
) -> Service:
    checked = [(r.kind, _check_resource(r.kind, r.value)) for r in resources]
    async with atomic() as uow:
        customer = await Customer.get_or_none(id=customer_id)
        if customer is None:
            raise CustomerNotFound()
        service = await Service.create(
            customer=customer, kind=kind, label=label, using_db=uow.connection
        )
        for resource_kind, value in checked:
            taken = ServiceResource.filter(kind=resource_kind, value=value)
            if await taken.using_db(uow.connection).exists():
                raise Conflict(
                    f"{value} already belongs to another service.", code="resource_taken"
                )
            await ServiceResource.create(
                service=service, kind=resource_kind, value=value, using_db=uow.connection
            )
        await record_audit(
            uow,
            actor,
            "service.created",
            object_type="service",
            object_id=service.id,
            after={
                "customer_id": customer.id,
                "kind": kind.value,
                "label": label,
                "resources": [v for _, v in checked],
            },
        )
    return service


async def create_agent(
    email: str,
    *,
    name: str,
    password: str,
    role: AgentRole = AgentRole.AGENT,
    language: Language = Language.FR,
    actor: Actor = SYSTEM,
) -> Agent:
    if len(password) < 10:
        raise ValidationFailed("The password must have at least 10 characters.")
    async with atomic() as uow:
        email = normalise_email(email)
        if await Agent.filter(email=email).using_db(uow.connection).exists():
            raise Conflict("An agent with this e-mail already exists.", code="agent_exists")
        agent = await Agent.create(
            email=email,
            name=name,
            password_hash=hash_password(password),
            role=role,
            language=language,
            using_db=uow.connection,
        )
        await record_audit(
            uow,
            actor,
            "agent.created",
            object_type="agent",
            object_id=agent.id,
            after={"email": email, "role": role.value},
        )
    return agent


async def set_agent_password(email: str, password: str, *, actor: Actor = SYSTEM) -> Agent:
    if len(password) < 10:
        raise ValidationFailed("The password must have at least 10 characters.")
    async with atomic() as uow:
        agent = await Agent.get_or_none(email=normalise_email(email))
        if agent is None:
            raise AgentNotFound()
        agent.password_hash = hash_password(password)
        await agent.save(using_db=uow.connection, update_fields=["password_hash"])
        await record_audit(
            uow, actor, "agent.password_set", object_type="agent", object_id=agent.id
        )
    return agent


async def authenticate_agent(email: str, password: str, *, ip: str) -> Agent | None:
    """The active agent with these credentials, or None. Upgrades old hashes on the way.
    Logins and failed attempts on an existing account are audited (with the client's IP)."""
    agent = await Agent.get_or_none(email=normalise_email(email), is_active=True)
    valid = verify_password(agent.password_hash if agent else None, password)
    if agent is None:
        return None
    async with atomic() as uow:
        if not valid:
            await record_audit(
                uow,
                SYSTEM,
                "agent.login_failed",
                object_type="agent",
                object_id=agent.id,
                after={"ip": ip},
            )
            return None
        agent.last_login_at = utcnow()
        update_fields = ["last_login_at"]
        if needs_rehash(agent.password_hash):
            agent.password_hash = hash_password(password)
            update_fields.append("password_hash")
        await agent.save(using_db=uow.connection, update_fields=update_fields)
        await record_audit(
            uow,
            AgentActor(agent),
            "agent.logged_in",
            object_type="agent",
            object_id=agent.id,
            after={"ip": ip},
        )
    return agent
