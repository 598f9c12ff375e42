"""The customer portal: sign-in link by e-mail, opening and following one's own tickets."""

from __future__ import annotations

import re

import httpx

from helpdesk.models import Ticket
from helpdesk.models.enums import Language
from tests.factories import (
    json_of,
    login,
    make_agent,
    make_customer,
    make_service,
    make_ticket,
    portal_client,
)
from tests.support.server import LiveServer
from tests.support.smtp import SMTPSink


async def test_sign_in_link_arrives_by_mail_and_opens_the_portal(
    client: httpx.AsyncClient, live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    await make_customer(email="alice@example.fr", language=Language.FR)

    response = await client.post("/api/portal/login-link", json={"email": "Alice@Example.fr"})

    assert response.status_code == 202
    [mail] = await smtp_sink.wait_for(1)
    assert mail.rcpt_tos == ["alice@example.fr"]
    assert mail.message["Subject"] == "Votre lien de connexion à l'espace support"
    link = re.search(r"http://desk\.test(/portal/login/\S+)", mail.text)
    assert link is not None
    signed_in = await client.get(link.group(1), follow_redirects=False)
    assert signed_in.status_code == 303
    me = json_of(await client.get("/api/portal/me"))
    assert me["customer"]["email"] == "alice@example.fr"


async def test_unknown_address_gets_the_same_answer_and_no_mail(
    client: httpx.AsyncClient, smtp_sink: SMTPSink
) -> None:
    response = await client.post("/api/portal/login-link", json={"email": "nobody@example.org"})
    assert response.status_code == 202
    assert json_of(response) == {"ok": True}
    assert smtp_sink.received == []


async def test_link_requests_are_rate_limited_per_address(client: httpx.AsyncClient) -> None:
    await make_customer(email="carol@example.fr")
    codes = [
        (
            await client.post("/api/portal/login-link", json={"email": "carol@example.fr"})
        ).status_code
        for _ in range(4)
    ]
    assert codes == [202, 202, 202, 429]


async def test_customer_opens_a_ticket_and_writes_in_it(
    live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    customer = await make_customer(email="dave@example.com", language=Language.EN)
    async with portal_client(live_server, customer.id) as portal:
        created = await portal.post(
            "/api/portal/tickets",
            json={"subject": "Mailbox full", "body": "I can't receive mail any more."},
        )
        assert created.status_code == 201, created.text
        ticket_id = json_of(created)["id"]
        written = await portal.post(
            f"/api/portal/tickets/{ticket_id}/messages", json={"body": "Any news?"}
        )
        assert written.status_code == 201
        view = json_of(await portal.get(f"/api/portal/tickets/{ticket_id}"))

    assert [m["body"] for m in view["messages"]] == ["I can't receive mail any more.", "Any news?"]
    ticket = await Ticket.get(id=ticket_id)
    assert ticket.channel == "web"
    [ack] = await smtp_sink.wait_for(1)
    assert "We have received your request" in ack.text
    assert ticket.number in ack.message["Subject"]


async def test_ticket_link_in_a_mail_signs_the_customer_in_on_that_ticket(
    client: httpx.AsyncClient, live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    customer = await make_customer()
    ticket = await make_ticket(live_server.settings, customer=customer)
    [ack] = await smtp_sink.wait_for(1)
    link = re.search(r"http://desk\.test(/portal/t/\S+)", ack.text)
    assert link is not None

    response = await client.get(link.group(1), follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == f"/portal/#/tickets/{ticket.id}"
    assert (await client.get(f"/api/portal/tickets/{ticket.id}")).status_code == 200


async def test_portal_lists_the_customers_services_and_hides_agent_identity(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    customer = await make_customer()
    await make_service(customer, domain="boutique.example.fr", ip="192.0.2.44")
    ticket = await make_ticket(live_server.settings, customer=customer)
    agent = await make_agent(name="Camille Martin")
    await login(client, agent)
    await client.post(f"/api/tickets/{ticket.id}/replies", json={"body": "Bonjour"})
    agent_view = json_of(await client.get(f"/api/tickets/{ticket.id}"))
    assert agent_view["messages"][-1]["author_name"] == "Camille Martin"

    async with portal_client(live_server, customer.id) as portal:
        me = json_of(await portal.get("/api/portal/me"))
        view = json_of(await portal.get(f"/api/portal/tickets/{ticket.id}"))

    [service] = me["services"]
    assert sorted(service["resources"]) == ["192.0.2.44", "boutique.example.fr"]
    reply = view["messages"][-1]
    assert reply["author_kind"] == "agent"
    assert reply["author"] == ""
    assert "author_name" not in reply
