"""A flood of real-world mail through the real intake: every message is kept, classified, and
no automated sender is ever answered.

The corpus is in tests/fixtures/mail/<class>/ (see its README.md): real bounces and
auto-replies from many mail systems (sisimai's set-of-emails), hand-written mails from the
usual clients in French and English, mailing lists, abuse reports, and broken MIME. Each
message is sent as a mail server would: over SMTP, with CRLF line ends and dot-stuffing
(smtplib does the latter), the envelope sender taken from its Return-Path.
"""

from __future__ import annotations

import asyncio
import random
import re
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

import httpx
import pytest

from helpdesk.mail.parse import parse_mail
from helpdesk.models import InboundMail, OutboxMail, Ticket
from helpdesk.models.enums import Category, InboundOutcome, InboundStatus, OutboxStatus
from helpdesk.services.inbound import dedupe_key
from tests.support.server import LiveServer
from tests.support.smtp import SMTPSink

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "mail"
SUPPORT = "support@desk.test"
# Envelope sender for human-written fixtures that carry neither Return-Path nor From: a mail
# server always has one for a person's mail.
FALLBACK_SENDER = "corpus-sender@example.org"

EXPECTED: dict[str, set[InboundOutcome]] = {
    "human": {InboundOutcome.TICKET_CREATED, InboundOutcome.REPLY_THREADED},
    "report": {InboundOutcome.TICKET_CREATED},
    "bounce": {InboundOutcome.BOUNCE},
    "auto_reply": {InboundOutcome.AUTO_REPLY},
    "list": {InboundOutcome.MAILING_LIST},
    # Broken mail: anything that is recorded. broken/human-*.eml is a person's mail: a ticket.
    "broken": set(InboundOutcome) - {InboundOutcome.PENDING},
}
# Nothing may be refused: the intake accepts lines over RFC 5321's 1000 octets on purpose.
MAY_BE_REFUSED: dict[str, tuple[int, bytes]] = {}
_RETURN_PATH = re.compile(rb"^Return-Path:[ \t]*([^\r\n]*)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class CorpusMail:
    name: str  # "<class>/<file>"
    kind: str
    raw: bytes  # as stored in the fixture
    envelope_from: str

    @property
    def human(self) -> bool:
        """Written by a person: must become a ticket and be acknowledged."""
        return self.kind == "human" or (
            self.kind == "broken" and Path(self.name).name.startswith("human-")
        )

    @property
    def expected(self) -> set[InboundOutcome]:
        return EXPECTED["human"] if self.human else EXPECTED[self.kind]

    @property
    def wire(self) -> bytes:
        """The bytes a mail server transmits (and the intake stores): CRLF line ends,
        ending with CRLF. Lone CRs are left alone, as they arrive in the wild."""
        data = re.sub(rb"(?<!\r)\n", b"\r\n", self.raw)
        return data if data.endswith(b"\r\n") else data + b"\r\n"


def envelope_sender(raw: bytes, *, human: bool) -> str:
    """The envelope sender a receiving server saw: the Return-Path it recorded, else the
    From address (a null sender for a mailer daemon)."""
    found = _RETURN_PATH.search(raw[:20_000])
    if found:
        value = found.group(1).decode("latin-1").strip().strip("<>").strip()
        return value if "@" in value else ""
    address = parse_mail(raw).from_address
    if address and not address.startswith("mailer-daemon@"):
        return address
    return FALLBACK_SENDER if human else ""


def five_megabyte_attachment() -> bytes:
    message = EmailMessage()
    message["From"] = "Studio Photo Lenoir <contact@studio-lenoir.example>"
    message["To"] = SUPPORT
    message["Subject"] = "Archive des photos du site (5 Mo)"
    message["Message-ID"] = "<five-megabytes.20251107@studio-lenoir.example>"
    message["Date"] = "Fri, 7 Nov 2025 11:00:00 +0100"
    message.set_content("Bonjour,\n\nci-joint l'archive des photos à remettre en ligne.\n\nMarc")
    payload = random.Random(5).randbytes(5 * 1024 * 1024)
    message.add_attachment(
        payload, maintype="application", subtype="zip", filename="photos-site.zip"
    )
    return message.as_bytes()


def corpus_mails() -> list[CorpusMail]:
    mails = []
    for path in sorted(CORPUS.glob("*/*.eml")):
        kind = path.parent.name
        assert kind in EXPECTED, f"unknown corpus class {kind!r} ({path})"
        raw = path.read_bytes()
        name = f"{kind}/{path.name}"
        human = kind == "human" or (kind == "broken" and path.name.startswith("human-"))
        mails.append(CorpusMail(name, kind, raw, envelope_sender(raw, human=human)))
    big = five_megabyte_attachment()
    mails.append(
        CorpusMail(
            "human/generated-5mb-attachment.eml", "human", big, envelope_sender(big, human=True)
        )
    )
    return mails


def automated_addresses(mail: CorpusMail) -> set[str]:
    """Every address an answer to this automated mail could go to."""
    parsed = parse_mail(mail.raw)
    return_path = parseaddr(parsed.headers.get("return-path", ""))[1].lower()
    addresses = {parsed.from_address, parsed.reply_to, mail.envelope_from.lower(), return_path}
    return {a for a in addresses if "@" in a}


def send_all(port: int, mails: list[CorpusMail]) -> dict[str, tuple[int, bytes]]:
    """Every mail over one SMTP connection, as a relaying server would send them."""
    answers: dict[str, tuple[int, bytes]] = {}
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        smtp.ehlo("mx.corpus.example")
        for mail in mails:
            smtp.mail(mail.envelope_from)
            smtp.rcpt(SUPPORT)
            try:
                answers[mail.name] = smtp.data(mail.wire)
            except smtplib.SMTPDataError as refused:
                error = refused.smtp_error
                answers[mail.name] = (
                    refused.smtp_code,
                    error if isinstance(error, bytes) else error.encode(),
                )
                smtp.rset()
    return answers


async def wait_until_processed(count: int, timeout: float = 120.0) -> list[InboundMail]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        done = await InboundMail.filter(
            status__in=[InboundStatus.PROCESSED, InboundStatus.FAILED]
        ).count()
        if done >= count:
            return await InboundMail.all().order_by("id")
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{done} of {count} corpus mails processed")
        await asyncio.sleep(0.2)


async def wait_outbox_settled(timeout: float = 60.0) -> list[OutboxMail]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        rows = await OutboxMail.all()
        if all(r.status in (OutboxStatus.SENT, OutboxStatus.FAILED) for r in rows):
            return rows
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the outbox did not settle")
        await asyncio.sleep(0.2)


def test_corpus_is_diverse_and_each_mail_is_distinct() -> None:
    mails = corpus_mails()
    by_kind: dict[str, int] = {}
    for mail in mails:
        by_kind[mail.kind] = by_kind.get(mail.kind, 0) + 1
    assert by_kind["bounce"] >= 60
    assert min(by_kind[k] for k in ("human", "auto_reply", "list", "broken", "report")) >= 2
    keys = [dedupe_key(m.wire, parse_mail(m.wire).message_id) for m in mails]
    assert len(set(keys)) == len(keys), "two corpus mails would be stored as one"
    human_senders = {m.envelope_from for m in mails if m.human}
    automated = set().union(*(automated_addresses(m) for m in mails if not m.human))
    assert not human_senders & automated, "a corpus address is both a person and a machine"


@pytest.mark.slow
async def test_flood_of_real_world_mail_is_all_kept_classified_and_never_answers_a_machine(
    live_server: LiveServer, smtp_sink: SMTPSink, client: httpx.AsyncClient
) -> None:
    mails = corpus_mails()

    answers = await asyncio.to_thread(send_all, live_server.intake_port, mails)

    accepted = []
    for mail in mails:
        code, reply = answers[mail.name]
        if code == 250:
            accepted.append(mail)
            continue
        refusal = MAY_BE_REFUSED.get(mail.name)
        assert refusal is not None, f"{mail.name}: answered {code} {reply!r}"
        assert code == refusal[0], f"{mail.name}: {code} {reply!r}"
        assert refusal[1] in reply.lower(), f"{mail.name}: {code} {reply!r}"
    assert len(accepted) >= len(mails) - len(MAY_BE_REFUSED)

    rows = await wait_until_processed(len(accepted))

    # Nothing lost: one row per mail, its exact bytes, processed, and the expected class.
    assert len(rows) == len(accepted)
    by_raw = {row.raw_bytes: row for row in rows}
    wrong = []
    for mail in accepted:
        row = by_raw.get(mail.wire)
        assert row is not None, f"{mail.name}: no inbound row holds its exact bytes"
        assert row.status == InboundStatus.PROCESSED, f"{mail.name}: {row.status} {row.detail}"
        if row.outcome not in mail.expected:
            wrong.append(f"{mail.name}: {row.outcome.value} ({row.detail[:120]})")
    assert not wrong, "misclassified:\n" + "\n".join(wrong)

    # Abuse reports are tickets for the abuse desk.
    for mail in accepted:
        if mail.kind == "report":
            ticket = await Ticket.get(id=by_raw[mail.wire].ticket_id)
            assert ticket.category == Category.ABUSE

    # Machines are never answered; people are acknowledged.
    outbox = await wait_outbox_settled()
    automated = set().union(*(automated_addresses(m) for m in accepted if not m.human))
    answered = {r.to_address.lower() for r in outbox}
    delivered = {rcpt.lower() for received in smtp_sink.received for rcpt in received.rcpt_tos}
    assert not answered & automated
    assert not delivered & automated
    for mail in accepted:
        row = by_raw[mail.wire]
        if mail.human and row.outcome == InboundOutcome.TICKET_CREATED:
            sender = row.from_address or mail.envelope_from.lower()
            assert sender in answered, f"{mail.name}: {sender} got no acknowledgement"

    # The server keeps serving: health, and the next mail.
    health = await client.get("/healthz")
    assert health.status_code == 200
    after = EmailMessage()
    after["From"] = "Apres Coup <apres.coup@example.fr>"
    after["To"] = SUPPORT
    after["Subject"] = "Encore là ?"
    after["Message-ID"] = "<after-the-flood@example.fr>"
    after.set_content("Bonjour, mon site est en panne.")
    last = CorpusMail("after", "human", after.as_bytes(), "apres.coup@example.fr")
    answers = await asyncio.to_thread(send_all, live_server.intake_port, [last])
    assert answers["after"][0] == 250
    rows = await wait_until_processed(len(accepted) + 1)
    assert rows[-1].outcome == InboundOutcome.TICKET_CREATED
