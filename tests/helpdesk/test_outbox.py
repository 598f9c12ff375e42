"""E-mail out: the outbox is written with the change, delivered with retries, failures shown."""

from __future__ import annotations

import asyncio

import httpx

from helpdesk.models import OutboxMail
from helpdesk.models.enums import OutboxStatus
from tests.factories import json_of, login, make_agent, make_ticket
from tests.support.server import LiveServer
from tests.support.smtp import SMTPSink


async def wait_status(mail_id: int, status: OutboxStatus, timeout: float = 10) -> OutboxMail:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        mail = await OutboxMail.get(id=mail_id)
        if mail.status == status:
            return mail
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"outbox mail {mail_id} is {mail.status}, not {status}")
        await asyncio.sleep(0.05)


async def test_temporary_smtp_failure_is_retried_until_delivered(
    live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    smtp_sink.reply = "451 4.3.0 try again later"
    ticket = await make_ticket(live_server.settings)
    mail = await OutboxMail.get(ticket_id=ticket.id)
    deadline = asyncio.get_running_loop().time() + 10
    while not (await OutboxMail.get(id=mail.id)).last_error:  # the first attempt has failed
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)
    assert (await OutboxMail.get(id=mail.id)).last_error.startswith("451")

    smtp_sink.reply = "250 OK"

    sent = await wait_status(mail.id, OutboxStatus.SENT)
    assert sent.attempts >= 2
    assert len(await smtp_sink.wait_for(1)) == 1


async def test_mail_that_keeps_failing_is_shown_to_agents_and_can_be_retried(
    client: httpx.AsyncClient, live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    smtp_sink.reply = "550 5.1.1 mailbox unknown"
    ticket = await make_ticket(live_server.settings)
    mail = await OutboxMail.get(ticket_id=ticket.id)
    failed = await wait_status(mail.id, OutboxStatus.FAILED)
    assert failed.attempts == 1  # a permanent refusal is not retried blindly
    agent = await make_agent()
    await login(client, agent)

    listing = json_of(await client.get("/api/mail/outbox", params={"status": "failed"}))

    assert listing["failed"] == 1
    assert listing["items"][0]["last_error"].startswith("550")
    smtp_sink.reply = "250 OK"
    retry = await client.post(f"/api/mail/outbox/{mail.id}/retry")
    assert retry.status_code == 200
    await wait_status(mail.id, OutboxStatus.SENT)
    again = await client.post(f"/api/mail/outbox/{mail.id}/retry")
    assert again.status_code == 409


async def test_reply_and_its_mail_commit_together(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings)
    await login(client, agent)
    before = await OutboxMail.all().count()

    refused = await client.post(
        f"/api/tickets/{ticket.id}/replies", json={"body": "x", "status_after": "new"}
    )

    assert refused.status_code == 422
    assert await OutboxMail.all().count() == before
