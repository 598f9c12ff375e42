"""Factories: plain async functions that go through the services, as the app does."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from helpdesk.actors import CustomerActor
from helpdesk.mail.links import MailSettings
from helpdesk.models import Agent, Customer, Service, Ticket
from helpdesk.models.enums import AgentRole, Channel, Language, ResourceKind, ServiceKind
from helpdesk.services import people
from helpdesk.services.people import ResourceSpec
from helpdesk.services.tickets import NewTicket, open_ticket
from helpdesk.settings import Settings
from tests.support.server import LiveServer

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


async def make_agent(
    *, role: AgentRole = AgentRole.AGENT, name: str | None = None, email: str | None = None
) -> Agent:
    n = next(_counter)
    return await people.create_agent(
        email or f"agent{n}@desk.test", name=name or f"Agent {n}", password=PASSWORD, role=role
    )


async def make_customer(
    *, email: str | None = None, language: Language = Language.FR, name: str = ""
) -> Customer:
    n = next(_counter)
    return await people.create_customer(
        email or f"customer{n}@example.fr", name=name or f"Client {n}", language=language
    )


async def make_service(
    customer: Customer, *, domain: str | None = None, ip: str | None = None
) -> Service:
    resources = []
    if domain:
        resources.append(ResourceSpec(ResourceKind.DOMAIN, domain))
    if ip:
        resources.append(ResourceSpec(ResourceKind.IP, ip))
    return await people.create_service(
        customer.id, kind=ServiceKind.SHARED_HOSTING, label="Hébergement", resources=resources
    )


async def make_ticket(
    settings: Settings,
    *,
    customer: Customer | None = None,
    subject: str = "Mon site est en panne",
    body: str = "Bonjour, mon site ne répond plus.",
) -> Ticket:
    customer = customer or await make_customer()
    return await open_ticket(
        CustomerActor(customer),
        customer,
        NewTicket(subject=subject, body=body, channel=Channel.WEB),
        mail=MailSettings.from_settings(settings),
    )


async def login(client: httpx.AsyncClient, agent: Agent) -> str:
    """Log the client in as `agent`; sets the CSRF header for later requests."""
    response = await client.post(
        "/api/auth/login", json={"email": agent.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token


def json_of(response: httpx.Response) -> Any:
    assert response.headers["content-type"].startswith("application/json"), response.text
    return response.json()


@asynccontextmanager
async def portal_client(
    live_server: LiveServer, customer_id: int
) -> AsyncIterator[httpx.AsyncClient]:
    """A customer signed in through the e-mailed link, as a browser would."""
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=20) as http:
        link = MailSettings.from_settings(live_server.settings).login_link(customer_id)
        response = await http.get(link.replace("http://desk.test", ""), follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/portal/"
        me = json_of(await http.get("/api/portal/me"))
        http.headers["X-CSRF-Token"] = me["csrf_token"]
        yield http
