"""E-mail in: a stock SMTP client talks to the real intake; tickets, threading, automation."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage

import httpx

from helpdesk.models import InboundMail, Message, OutboxMail, Ticket
from helpdesk.models.enums import InboundOutcome, InboundStatus
from tests.factories import json_of, login, make_agent
from tests.support.server import LiveServer
from tests.support.smtp import SMTPSink


def send_raw(
    port: int, raw: bytes, *, mail_from: str = "client@example.fr", to: str = "support@desk.test"
) -> tuple[int, bytes]:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.ehlo()
        smtp.mail(mail_from)
        smtp.rcpt(to)
        return smtp.data(raw)


def mail(
    *,
    subject: str = "Mon site ne répond plus",
    body: str = "Bonjour,\nmon site est KO.",
    sender: str = "client@example.fr",
    message_id: str = "<m1@example.fr>",
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Client <{sender}>"
    message["To"] = "support@desk.test"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


async def wait_processed(count: int = 1, timeout: float = 10.0) -> list[InboundMail]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        rows = await InboundMail.filter(status=InboundStatus.PROCESSED).order_by("id")
        if len(rows) >= count:
            return rows
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{len(rows)} of {count} inbound mails processed")
        await asyncio.sleep(0.05)


async def test_mail_to_support_becomes_a_ticket_and_is_acknowledged(
    live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    code, reply = await asyncio.to_thread(send_raw, live_server.intake_port, mail())

    assert code == 250, reply
    [inbound] = await wait_processed()
    assert inbound.outcome == InboundOutcome.TICKET_CREATED
    ticket = await Ticket.get(id=inbound.ticket_id).prefetch_related("customer")
    assert ticket.subject == "Mon site ne répond plus"
    assert ticket.customer.email == "client@example.fr"
    [ack] = await smtp_sink.wait_for(1)
    assert ack.message["In-Reply-To"] == "<m1@example.fr>"
    assert ack.message["Auto-Submitted"] == "auto-replied"
    assert f"[{ticket.number}]" in ack.message["Subject"]


async def test_customer_reply_is_threaded_and_quoted_history_stripped(
    live_server: LiveServer, smtp_sink: SMTPSink, client: httpx.AsyncClient
) -> None:
    await asyncio.to_thread(send_raw, live_server.intake_port, mail())
    [inbound] = await wait_processed()
    await smtp_sink.wait_for(1)
    agent = await make_agent()
    await login(client, agent)
    await client.post(
        f"/api/tickets/{inbound.ticket_id}/replies", json={"body": "Pouvez-vous vider le cache ?"}
    )
    _, agent_mail = await smtp_sink.wait_for(2)
    answer = mail(
        subject=f"Re: {agent_mail.message['Subject']}",
        body="C'est bon, merci !\n\nLe 3 nov. 2026 à 10:12, Support <support@desk.test> a écrit :\n"
        "> Pouvez-vous vider le cache ?\n",
        message_id="<m2@example.fr>",
        In_Reply_To=agent_mail.message["Message-ID"],
        References=f"<m1@example.fr> {agent_mail.message['Message-ID']}",
    )

    await asyncio.to_thread(send_raw, live_server.intake_port, answer)

    rows = await wait_processed(2)
    assert rows[1].outcome == InboundOutcome.REPLY_THREADED
    assert rows[1].ticket_id == inbound.ticket_id
    assert await Ticket.all().count() == 1
    last = await Message.filter(ticket_id=inbound.ticket_id).order_by("-id").first()
    assert last is not None
    assert last.body == "C'est bon, merci !"


async def test_subject_number_threads_only_for_the_ticket_owner(
    live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    await asyncio.to_thread(send_raw, live_server.intake_port, mail())
    [first] = await wait_processed()
    number = (await Ticket.get(id=first.ticket_id)).number
    await asyncio.to_thread(
        send_raw,
        live_server.intake_port,
        mail(subject=f"[{number}] autre chose", message_id="<m2@example.fr>"),
    )
    await asyncio.to_thread(
        send_raw,
        live_server.intake_port,
        mail(
            subject=f"[{number}] je m'invite",
            message_id="<m3@evil.example>",
            sender="intruder@evil.example",
        ),
    )

    rows = await wait_processed(3)

    assert rows[1].outcome == InboundOutcome.REPLY_THREADED
    assert rows[2].outcome == InboundOutcome.TICKET_CREATED
    assert rows[2].ticket_id != first.ticket_id


async def test_automated_mail_is_recorded_and_never_answered(
    live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    samples = [
        mail(message_id="<a1@x>", Auto_Submitted="auto-replied", subject="Absence"),
        mail(message_id="<a2@x>", Precedence="bulk", subject="Newsletter"),
        mail(message_id="<a3@x>", List_Id="<users.lists.example>", subject="[list] hello"),
        mail(
            message_id="<a4@x>",
            sender="MAILER-DAEMON@mx.example.net",
            subject="Undelivered Mail Returned to Sender",
        ),
        mail(message_id="<a5@x>", subject="Réponse automatique : absent du bureau"),
    ]
    for raw in samples:
        code, _ = await asyncio.to_thread(send_raw, live_server.intake_port, raw)
        assert code == 250

    rows = await wait_processed(len(samples))

    assert [r.outcome for r in rows] == [
        InboundOutcome.AUTO_REPLY,
        InboundOutcome.MAILING_LIST,
        InboundOutcome.MAILING_LIST,
        InboundOutcome.BOUNCE,
        InboundOutcome.AUTO_REPLY,
    ]
    assert all(r.raw_bytes for r in rows)
    await asyncio.sleep(0.5)
    assert await OutboxMail.all().count() == 0
    assert smtp_sink.received == []


async def test_same_mail_delivered_twice_makes_one_ticket(
    live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    raw = mail()
    for _ in range(2):
        code, _ = await asyncio.to_thread(send_raw, live_server.intake_port, raw)
        assert code == 250
    await wait_processed(1)
    await asyncio.sleep(0.3)
    assert await InboundMail.all().count() == 1
    assert await Ticket.all().count() == 1


async def test_broken_mime_and_unknown_charset_still_make_a_ticket(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    raw = (
        b"From: =?x-klingon?q?Kl=E9ment?= <klement@example.fr>\r\n"
        b"To: support@desk.test\r\n"
        b"Subject: =?utf-8?b?U2l0ZSBjYXNzw6k=?=\r\n"
        b"Message-ID: <broken@example.fr>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
        b"--XX\r\n"
        b"Content-Type: text/plain; charset=x-unknown-charset\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Mon site est cass=E9 depuis hier=\r\n"
        b"--XX\r\n"
        b"Content-Type: application/pdf; name=facture.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        b"JVBERi0xLjQK%%%not-base64\r\n"
    )
    code, _ = await asyncio.to_thread(
        send_raw, live_server.intake_port, raw, mail_from="klement@example.fr"
    )
    assert code == 250
    [row] = await wait_processed()

    assert row.outcome == InboundOutcome.TICKET_CREATED
    assert row.raw_bytes == raw
    ticket = await Ticket.get(id=row.ticket_id)
    assert ticket.subject == "Site cassé"
    message = await Message.filter(ticket_id=ticket.id).first()
    assert message is not None
    assert message.body.startswith("Mon site est cass")
    [attachment] = message.attachments
    assert attachment["filename"] == "facture.pdf"
    agent = await make_agent()
    await login(client, agent)
    raw_response = await client.get(f"/api/mail/inbound/{row.id}/raw")
    assert raw_response.content == raw
    assert raw_response.headers["content-type"] == "application/octet-stream"
    listing = json_of(await client.get("/api/mail/inbound"))
    assert listing["items"][0]["outcome"] == "ticket_created"
    view = json_of(await client.get(f"/api/tickets/{ticket.id}"))
    [part] = view["messages"][0]["attachments"]
    download = await client.get(part["url"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.content == b"JVBERi0xLjQK%%%not-base64"  # undecodable base64: served as sent


async def test_empty_mail_is_recorded_as_a_non_ticket(live_server: LiveServer) -> None:
    raw = b"From: someone@example.org\r\nTo: support@desk.test\r\n\r\n"
    code, _ = await asyncio.to_thread(
        send_raw, live_server.intake_port, raw, mail_from="someone@example.org"
    )
    assert code == 250
    [row] = await wait_processed()
    assert row.outcome == InboundOutcome.EMPTY
    assert await Ticket.all().count() == 0
