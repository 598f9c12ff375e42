"""Demo data for a fresh development database: agents, customers, services, a few tickets."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from helpdesk.actors import CustomerActor
from helpdesk.db import atomic
from helpdesk.mail.links import MailSettings
from helpdesk.models import Agent
from helpdesk.models.enums import AgentRole, Channel, Language, Priority, ResourceKind, ServiceKind
from helpdesk.services import people
from helpdesk.services.people import ResourceSpec
from helpdesk.services.tickets import NewTicket, do_open_ticket


@dataclass(frozen=True)
class SeedResult:
    admin_email: str
    admin_password: str


async def seed_demo(mail: MailSettings) -> SeedResult | None:
    """Fill an empty database; returns the admin's one-time password, or None if not empty."""
    if await Agent.all().exists():
        return None
    password = secrets.token_urlsafe(12)
    admin = "admin@guichet.localhost"
    await people.create_agent(admin, name="Admin", password=password, role=AgentRole.ADMIN)
    for email, name, role in (
        ("camille@guichet.localhost", "Camille Martin", AgentRole.AGENT),
        ("sam@guichet.localhost", "Sam Taylor", AgentRole.ABUSE),
    ):
        await people.create_agent(
            email,
            name=name,
            password=secrets.token_urlsafe(16),
            role=role,
            language=Language.FR if role == AgentRole.AGENT else Language.EN,
        )
    alice = await people.create_customer(
        "alice@example.fr",
        name="Alice Dupont",
        company="Boulangerie Dupont",
        language=Language.FR,
    )
    await people.create_service(
        alice.id,
        kind=ServiceKind.SHARED_HOSTING,
        label="Hébergement mutualisé Pro",
        resources=[
            ResourceSpec(ResourceKind.DOMAIN, "boulangerie-dupont.example.fr"),
            ResourceSpec(ResourceKind.IP, "192.0.2.10"),
        ],
    )
    bob = await people.create_customer(
        "bob@example.com", name="Bob Smith", company="Smith Consulting", language=Language.EN
    )
    vps = await people.create_service(
        bob.id,
        kind=ServiceKind.VPS,
        label="VPS M",
        resources=[
            ResourceSpec(ResourceKind.IP, "198.51.100.23"),
            ResourceSpec(ResourceKind.DOMAIN, "smith-consulting.example.com"),
        ],
    )
    async with atomic() as uow:
        await do_open_ticket(
            uow,
            CustomerActor(alice),
            alice,
            NewTicket(
                subject="Erreur 500 sur mon site WordPress",
                body="Bonjour,\ndepuis ce matin mon site affiche une erreur 500. "
                "Pouvez-vous regarder ?\nMerci, Alice",
                channel=Channel.EMAIL,
            ),
            acknowledge=False,
            mail=mail,
        )
        await do_open_ticket(
            uow,
            CustomerActor(bob),
            bob,
            NewTicket(
                subject="Cannot SSH into my VPS",
                body="Hi, SSH times out since the reboot last night. Can you check?",
                channel=Channel.WEB,
                priority=Priority.HIGH,
                service_id=vps.id,
            ),
            acknowledge=False,
            mail=mail,
        )
    return SeedResult(admin_email=admin, admin_password=password)
