"""The agents' ticket API, end to end through a real uvicorn and a real SMTP server."""

from __future__ import annotations

import httpx

from helpdesk.models import AuditEvent, OutboxMail
from helpdesk.models.enums import AgentRole, Category
from tests.factories import json_of, login, make_agent, make_customer, make_ticket
from tests.support.server import LiveServer
from tests.support.smtp import SMTPSink


async def test_agent_reply_is_emailed_to_the_customer_in_their_language(
    client: httpx.AsyncClient, live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    agent = await make_agent(name="Camille")
    customer = await make_customer(email="alice@example.fr")
    ticket = await make_ticket(live_server.settings, customer=customer, subject="Site en panne")
    await login(client, agent)

    response = await client.post(
        f"/api/tickets/{ticket.id}/replies", json={"body": "Bonjour Alice, c'est réparé."}
    )

    assert response.status_code == 201, response.text
    mails = await smtp_sink.wait_for(2)  # the acknowledgement, then the reply
    reply = mails[-1]
    assert reply.rcpt_tos == ["alice@example.fr"]
    assert reply.message["Subject"] == f"Re: [{ticket.number}] Site en panne"
    assert "c'est réparé" in reply.text
    assert "Demande " + ticket.number in reply.text
    assert reply.message["Auto-Submitted"] is None
    view = json_of(await client.get(f"/api/tickets/{ticket.id}"))
    assert view["status"] == "open"
    assert view["first_response_at"] is not None


async def test_acknowledgement_is_marked_auto_replied(
    live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    customer = await make_customer(email="bob@example.com")
    ticket = await make_ticket(live_server.settings, customer=customer, subject="Help")
    [ack] = await smtp_sink.wait_for(1)
    assert ack.message["Auto-Submitted"] == "auto-replied"
    assert ticket.number in ack.message["Subject"]


async def test_internal_note_is_not_emailed(
    client: httpx.AsyncClient, live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings)
    await smtp_sink.wait_for(1)
    await login(client, agent)

    response = await client.post(
        f"/api/tickets/{ticket.id}/notes", json={"body": "Client connu, déjà eu ce souci."}
    )

    assert response.status_code == 201
    assert json_of(response)["visibility"] == "internal"
    assert await OutboxMail.filter(ticket_id=ticket.id).count() == 1


async def test_queue_filters_by_status_assignee_tag_priority_and_text(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    other = await make_agent()
    first = await make_ticket(live_server.settings, subject="DNS ne résout plus")
    second = await make_ticket(live_server.settings, subject="Facture en double")
    await login(client, agent)
    patch = await client.patch(
        f"/api/tickets/{first.id}",
        json={
            "assignee_id": agent.id,
            "tags": ["dns", "Urgent "],
            "priority": "high",
            "status": "pending",
        },
    )
    assert patch.status_code == 200, patch.text
    assert json_of(patch)["tags"] == ["dns", "urgent"]
    await client.patch(f"/api/tickets/{second.id}", json={"assignee_id": other.id})

    async def ids(**params: str | list[str]) -> list[int]:
        response = await client.get("/api/tickets", params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in json_of(response)["items"]]

    assert await ids(assignee="me") == [first.id]
    assert await ids(assignee=str(other.id)) == [second.id]
    assert await ids(tag="dns") == [first.id]
    assert await ids(priority="high") == [first.id]
    assert await ids(status=["pending"]) == [first.id]
    assert set(await ids(status=["new", "pending"])) == {first.id, second.id}
    assert await ids(q="facture") == [second.id]
    assert await ids(q=second.number) == [second.id]
    assert await ids(q="ne répond plus") == sorted([first.id, second.id], reverse=True)


async def test_every_change_lands_in_the_audit_history(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings)
    await login(client, agent)
    await client.patch(f"/api/tickets/{ticket.id}", json={"priority": "urgent"})
    await client.post(f"/api/tickets/{ticket.id}/notes", json={"body": "note"})
    await client.post(
        f"/api/tickets/{ticket.id}/replies", json={"body": "réponse", "status_after": "resolved"}
    )

    audit = json_of(await client.get(f"/api/tickets/{ticket.id}/audit"))["items"]

    actions = [event["action"] for event in audit]
    assert actions == ["ticket.created", "ticket.updated", "ticket.note_added", "ticket.replied"]
    update = audit[1]
    assert update["actor"] == agent.email
    assert update["before"] == {"priority": "normal"}
    assert update["after"] == {"priority": "urgent"}
    assert audit[3]["after"]["status"] == "resolved"
    assert await AuditEvent.filter(object_id=ticket.id, object_type="ticket").count() == 4


async def test_merge_moves_the_thread_and_closes_the_source(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    customer = await make_customer()
    source = await make_ticket(live_server.settings, customer=customer, body="premier message")
    target = await make_ticket(live_server.settings, customer=customer, body="second message")
    await login(client, agent)

    response = await client.post(
        f"/api/tickets/{source.id}/merge", json={"into_ticket_id": target.id}
    )

    assert response.status_code == 200, response.text
    bodies = [m["body"] for m in json_of(response)["messages"]]
    assert "premier message" in bodies
    assert "second message" in bodies
    merged = json_of(await client.get(f"/api/tickets/{source.id}"))
    assert merged["status"] == "closed"
    assert merged["merged_into"] == target.id


async def test_merging_tickets_of_two_customers_is_refused(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    one = await make_ticket(live_server.settings)
    two = await make_ticket(live_server.settings)
    await login(client, agent)

    response = await client.post(f"/api/tickets/{one.id}/merge", json={"into_ticket_id": two.id})

    assert response.status_code == 409
    assert json_of(response)["code"] == "merge_other_customer"
    assert json_of(await client.get(f"/api/tickets/{one.id}"))["status"] == "new"


async def test_closed_ticket_cannot_be_replied_to(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings)
    await login(client, agent)
    await client.patch(f"/api/tickets/{ticket.id}", json={"status": "closed"})

    response = await client.post(f"/api/tickets/{ticket.id}/replies", json={"body": "encore"})

    assert response.status_code == 409
    assert json_of(response)["code"] == "ticket_closed"


async def test_abuse_tickets_are_hidden_from_plain_agents(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    admin = await make_agent(role=AgentRole.ADMIN)
    plain = await make_agent(role=AgentRole.AGENT)
    ticket = await make_ticket(live_server.settings)
    await login(client, admin)
    await client.patch(f"/api/tickets/{ticket.id}", json={"category": Category.ABUSE.value})
    await client.post("/api/auth/logout")
    await login(client, plain)

    response = await client.get(f"/api/tickets/{ticket.id}")

    assert response.status_code == 404
    assert json_of(await client.get("/api/tickets"))["total"] == 0


async def test_agent_opens_a_ticket_for_a_new_customer_by_phone(
    client: httpx.AsyncClient, live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    agent = await make_agent()
    await login(client, agent)

    response = await client.post(
        "/api/tickets",
        json={
            "customer_email": "New.Person@Example.org",
            "subject": "Appel : migration",
            "body": "Suite à votre appel, voici la procédure.",
            "priority": "high",
        },
    )

    assert response.status_code == 201, response.text
    data = json_of(response)
    assert data["customer"]["email"] == "new.person@example.org"
    assert data["channel"] == "phone"
    [mail] = await smtp_sink.wait_for(1)
    assert mail.rcpt_tos == ["new.person@example.org"]
    assert "voici la procédure" in mail.text


async def test_queue_sorts_by_priority_across_pages_and_counts_statuses(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    await login(client, agent)
    created = {}
    for priority in ("low", "urgent", "normal", "high", "urgent"):
        ticket = await make_ticket(live_server.settings, subject=f"{priority} one")
        await client.patch(f"/api/tickets/{ticket.id}", json={"priority": priority})
        created[ticket.id] = priority
    last = max(created)
    await client.patch(f"/api/tickets/{last}", json={"status": "pending"})

    pages = [
        json_of(
            await client.get(
                "/api/tickets", params={"sort": "priority", "per_page": "2", "page": str(n)}
            )
        )
        for n in (1, 2, 3)
    ]

    order = [item["priority"] for page in pages for item in page["items"]]
    assert order == ["urgent", "urgent", "high", "normal", "low"]
    assert pages[0]["counts_by_status"] == {
        "new": 4,
        "open": 0,
        "pending": 1,
        "resolved": 0,
        "closed": 0,
    }
    filtered = json_of(await client.get("/api/tickets", params={"status": "pending", "q": "one"}))
    assert filtered["total"] == 1
    assert filtered["counts_by_status"]["new"] == 4
