"""Every inbound customer message is screened by the classifier; what it flags is visible to
agents (with the words that drove it) and can be filtered and cleared; mail flagged as spam is
never acknowledged. What happens next (quarantine, CGV sanctions, abuse cases) belongs to the
workflows, not to the screening."""

from __future__ import annotations

import asyncio

import httpx

from helpdesk.models import InboundMail, Message, OutboxMail, Ticket
from helpdesk.models.enums import InboundStatus
from tests.factories import json_of, login, make_agent, make_customer, portal_client
from tests.helpdesk.test_mail_intake import mail, send_raw
from tests.support.server import LiveServer

SPAM = (
    "Boost your website traffic today! We are an SEO agency offering guaranteed first page "
    "Google ranking, 10,000 backlinks for only $99. Limited offer, reply now to claim your "
    "discount. Click here to unsubscribe."
)
INSULT = "Vous êtes une bande d'incapables et de connards, bande de nuls, je vous emmerde."
SUPPORT = "Bonjour, mon site WordPress affiche une erreur 500 depuis ce matin, pouvez-vous aider ?"


async def _processed(count: int) -> list[InboundMail]:
    for _ in range(200):
        rows = await InboundMail.filter(status=InboundStatus.PROCESSED).order_by("id")
        if len(rows) >= count:
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError("inbound mail not processed")


async def test_spam_by_mail_is_flagged_with_the_words_behind_the_flag(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    await asyncio.to_thread(
        send_raw,
        live_server.intake_port,
        mail(
            subject="Increase your sales",
            body=SPAM,
            sender="seo@spam.example",
            message_id="<s1@spam.example>",
        ),
    )
    await asyncio.to_thread(
        send_raw, live_server.intake_port, mail(body=SUPPORT, message_id="<h1@example.fr>")
    )

    spam_row, human_row = await _processed(2)

    assert "spam" in spam_row.detail
    spam_ticket = await Ticket.get(id=spam_row.ticket_id)
    assert spam_ticket.screening_flag == "spam"
    human_ticket = await Ticket.get(id=human_row.ticket_id)
    assert human_ticket.screening_flag is None
    assert "flagged" not in human_row.detail
    # Spam is never answered; the customer's mail is acknowledged.
    assert "not acknowledged (spam)" in spam_row.detail
    assert not await OutboxMail.filter(ticket_id=spam_ticket.id).exists()
    assert await OutboxMail.filter(ticket_id=human_ticket.id).count() == 1
    agent = await make_agent()
    await login(client, agent)
    flagged = json_of(await client.get("/api/tickets", params={"flag": "spam"}))
    assert [t["id"] for t in flagged["items"]] == [spam_ticket.id]
    view = json_of(await client.get(f"/api/tickets/{spam_ticket.id}"))
    screening = view["messages"][0]["screening"]
    assert screening["label"] == "spam"
    assert screening["flagged"] is True
    assert screening["explanation"]  # the words behind the flag, for "why flagged"


async def test_insult_in_the_portal_is_flagged_and_the_agent_can_clear_it(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    customer = await make_customer()
    async with portal_client(live_server, customer.id) as portal:
        created = await portal.post(
            "/api/portal/tickets", json={"subject": "Site en panne", "body": SUPPORT}
        )
        ticket_id = json_of(created)["id"]
        assert (await Ticket.get(id=ticket_id)).screening_flag is None
        written = await portal.post(
            f"/api/portal/tickets/{ticket_id}/messages", json={"body": INSULT}
        )
        assert written.status_code == 201
        assert "screening" not in json_of(written)  # the customer never sees the verdict

    assert (await Ticket.get(id=ticket_id)).screening_flag == "harassment"
    message = await Message.filter(ticket_id=ticket_id).order_by("-id").first()
    assert message is not None
    assert message.screening["label"] == "harassment"
    agent = await make_agent()
    await login(client, agent)

    cleared = await client.patch(f"/api/tickets/{ticket_id}", json={"screening_flag": None})

    assert cleared.status_code == 200, cleared.text
    assert json_of(cleared)["screening_flag"] is None
    audit = json_of(await client.get(f"/api/tickets/{ticket_id}/audit"))["items"]
    assert audit[-1]["before"] == {"screening_flag": "harassment"}
    refused = await client.patch(f"/api/tickets/{ticket_id}", json={"screening_flag": "spam"})
    assert refused.status_code == 422
