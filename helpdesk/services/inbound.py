"""Inbound e-mail: stored before it is acknowledged, then turned into a ticket, a threaded reply,
or a recorded non-ticket. The raw bytes are always kept."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from helpdesk import events
from helpdesk.actors import Actor, CustomerActor
from helpdesk.db import UnitOfWork, atomic
from helpdesk.errors import Conflict, MailNotFound
from helpdesk.lang import guess_language
from helpdesk.mail.automation import Automation, detect_automation
from helpdesk.mail.links import MailSettings
from helpdesk.mail.parse import ParsedMail, parse_mail
from helpdesk.models import Customer, InboundMail, MailThreadKey, Message, Ticket
from helpdesk.models.enums import (
    AuthorKind,
    Category,
    Channel,
    InboundOutcome,
    InboundStatus,
    Language,
    TicketStatus,
    Visibility,
)
from helpdesk.models.tickets import TICKET_PREFIX
from helpdesk.screening import Screener
from helpdesk.services.audit import record_audit
from helpdesk.services.people import get_or_create_requester
from helpdesk.services.tickets import (
    MailOrigin,
    NewTicket,
    do_add_customer_message,
    do_open_ticket,
)
from helpdesk.settings import Settings
from helpdesk.text import clip
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 3
_SUBJECT_NUMBER = re.compile(rf"\[\s*#?{TICKET_PREFIX}(\d{{6,9}})\s*\]", re.IGNORECASE)
_OUR_MESSAGE_ID = re.compile(r"<guichet\.[A-Za-z0-9_-]{10,40}@[^<>\s]{1,200}>")


@dataclass(frozen=True)
class IntakePolicy:
    mail: MailSettings
    own_addresses: tuple[str, ...]
    default_language: Language
    sender_hourly_limit: int
    screener: Screener | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, screener: Screener | None) -> IntakePolicy:
        return cls(
            mail=MailSettings.from_settings(settings),
            own_addresses=(settings.support_address.lower(), settings.abuse_address.lower()),
            default_language=Language(settings.default_language),
            sender_hourly_limit=settings.inbound_sender_hourly_limit,
            screener=screener,
        )


def dedupe_key(raw: bytes, message_id: str) -> str:
    """One mail, one row: the Message-ID plus a hash of the body (mailers that reuse ids
    still get a row per distinct mail), or the hash of the whole mail without a Message-ID."""
    _, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        _, sep, body = raw.partition(b"\n\n")
    if message_id:
        digest = hashlib.sha256(body).hexdigest()[:32]
        return f"{message_id[:250]}|{digest}"
    return "sha256:" + hashlib.sha256(raw).hexdigest()


async def store_inbound(
    raw: bytes, *, envelope_from: str, envelope_to: list[str]
) -> tuple[InboundMail, bool]:
    """Keep the raw mail. Returns (row, created); a re-delivered mail returns the first row."""
    parsed = await asyncio.to_thread(parse_mail, raw)  # CPU work off the event loop
    key = dedupe_key(raw, parsed.message_id)
    existing = await InboundMail.get_or_none(dedupe_key=key)
    if existing is not None:
        return existing, False
    try:
        mail = await InboundMail.create(
            dedupe_key=key,
            message_id=parsed.message_id[:250],
            envelope_from=clip(envelope_from, 254),
            envelope_to=[clip(a, 254) for a in envelope_to[:50]],
            from_address=parsed.from_address,
            subject=parsed.subject,
            size=len(raw),
            raw_bytes=raw,
        )
    except IntegrityError:
        # Another process stored the same mail a moment ago.
        existing = await InboundMail.get_or_none(dedupe_key=key)
        if existing is None:
            raise
        return existing, False
    await events.publish(events.DomainEvent(events.INBOUND_RECEIVED, {"inbound_id": mail.id}))
    return mail, True


async def claim_inbound(worker_id: str, *, limit: int = 10) -> list[InboundMail]:
    now = utcnow()
    due = Q(status=InboundStatus.RECEIVED) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    claimed: list[InboundMail] = []
    async with in_transaction() as conn:
        rows = (
            await InboundMail.filter(due)
            .order_by("id")
            .limit(limit)
            .select_for_update(skip_locked=True)
            .using_db(conn)
            .only("id", "attempts", "lease_until")
        )
        for row in rows:
            updated = (
                await InboundMail.filter(
                    Q(id=row.id) & Q(status=InboundStatus.RECEIVED) & Q(attempts=row.attempts)
                )
                .using_db(conn)
                .update(claimed_by=worker_id, lease_until=now + LEASE, attempts=row.attempts + 1)
            )
            if updated == 1:
                claimed.append(row)
    return claimed


async def process_inbound(inbound_id: int, worker_id: str, policy: IntakePolicy) -> InboundOutcome:
    """Decide what the mail is and record it, all in one transaction."""
    try:
        raw = await InboundMail.filter(id=inbound_id).values_list("raw_bytes", flat=True)
        # Parse before the transaction: no lock is held while the CPU works.
        parsed = await asyncio.to_thread(parse_mail, bytes(raw[0]))
        async with atomic() as uow:
            mail = await InboundMail.filter(id=inbound_id).select_for_update().get()
            if mail.status != InboundStatus.RECEIVED or mail.claimed_by != worker_id:
                raise Conflict("claimed by another worker")
            outcome, ticket, detail = await _decide(uow, mail, parsed, policy)
            defects = f" Defects: {', '.join(parsed.defects[:10])}." if parsed.defects else ""
            mail.status = InboundStatus.PROCESSED
            mail.outcome = outcome
            mail.ticket = ticket
            mail.detail = clip(detail + defects, 2000)
            mail.processed_at = utcnow()
            mail.lease_until = None
            await mail.save(using_db=uow.connection)
        return outcome
    except Conflict:
        return InboundOutcome.PENDING
    except Exception as exc:
        logger.exception("processing inbound mail %s failed", inbound_id)
        mail = await InboundMail.get(id=inbound_id)
        failed = mail.attempts >= MAX_ATTEMPTS
        await InboundMail.filter(id=inbound_id, claimed_by=worker_id).update(
            status=InboundStatus.FAILED if failed else InboundStatus.RECEIVED,
            detail=clip(f"processing failed: {type(exc).__name__}: {exc}", 2000),
            lease_until=utcnow() + timedelta(seconds=5 * mail.attempts),
        )
        return InboundOutcome.PENDING


async def _decide(
    uow: UnitOfWork, mail: InboundMail, parsed: ParsedMail, policy: IntakePolicy
) -> tuple[InboundOutcome, Ticket | None, str]:
    automation = detect_automation(
        parsed, envelope_from=mail.envelope_from, own_addresses=policy.own_addresses
    )
    if automation is not None:
        ticket = await _note_automated(uow, mail, parsed, automation)
        return automation.outcome, ticket, automation.reason
    sender = parsed.from_address or (
        mail.envelope_from.lower() if "@" in mail.envelope_from else ""
    )
    if not sender:
        return InboundOutcome.UNPARSEABLE, None, "no sender address"
    if not parsed.text and not parsed.attachments and not parsed.subject:
        return InboundOutcome.EMPTY, None, "no subject, no text, no attachment"
    hourly = await InboundMail.filter(
        from_address=sender, received_at__gte=utcnow() - timedelta(hours=1)
    ).count()
    acknowledge = hourly <= policy.sender_hourly_limit
    if hourly > policy.sender_hourly_limit * 5:
        return InboundOutcome.LOOP, None, f"{hourly} mails from this sender in an hour"
    body = _message_body(parsed)
    # The customer's own words only: not the "(empty message)" placeholder of the stored body.
    said = _said(parsed)
    screening = policy.screener.screen(f"{parsed.subject}\n{said}") if policy.screener else None
    ticket = await _thread_target(parsed, sender)
    if ticket is not None:
        await do_add_customer_message(
            uow,
            CustomerActor(await Customer.get(id=ticket.customer_id)),
            ticket,
            body,
            origin=_origin(mail, parsed),
            screening=screening,
        )
        return InboundOutcome.REPLY_THREADED, ticket, f"threaded into {ticket.number}"
    language = guess_language(f"{parsed.subject}\n{parsed.text}", default=policy.default_language)
    customer = await get_or_create_requester(uow, sender, name=parsed.from_name, language=language)
    is_report = parsed.is_abuse_report  # ARF / X-ARF: an abuse ticket, never acknowledged
    # Spam is never answered: an acknowledgement would confirm the address to the sender.
    is_spam = screening is not None and screening.flagged and screening.label == "spam"
    new = NewTicket(
        subject=parsed.subject or "(no subject)",
        body=body,
        channel=Channel.EMAIL,
        category=Category.ABUSE if is_report else Category.OTHER,
    )
    ticket = await do_open_ticket(
        uow,
        CustomerActor(customer),
        customer,
        new,
        acknowledge=acknowledge and not is_report and not is_spam,
        mail=policy.mail,
        author_kind=AuthorKind.CUSTOMER,
        origin=_origin(mail, parsed),
        screening=screening,
    )
    detail = f"new ticket {ticket.number}"
    if not acknowledge:
        detail += f"; not acknowledged ({hourly} mails from this sender in an hour)"
    if screening is not None and screening.flagged:
        detail += f"; flagged {screening.label} by the classifier"
    if is_spam:
        detail += "; not acknowledged (spam)"
    return InboundOutcome.TICKET_CREATED, ticket, detail


def _said(parsed: ParsedMail) -> str:
    """What the sender wrote in this mail: the reply without its quoted history."""
    return parsed.reply_text or parsed.text


def _message_body(parsed: ParsedMail) -> str:
    """The stored body: what the sender wrote, or a placeholder when that is empty."""
    said = _said(parsed)
    if said:
        return said
    return "(attachments only)" if parsed.attachments else "(empty message)"


def _origin(mail: InboundMail, parsed: ParsedMail, *, with_message_id: bool = True) -> MailOrigin:
    attachments = tuple(
        {"index": a.index, "filename": a.filename, "content_type": a.content_type, "size": a.size}
        for a in parsed.attachments[:100]
    )
    return MailOrigin(
        inbound_mail_id=mail.id,
        message_id=(parsed.message_id or None) if with_message_id else None,
        attachments=attachments,
    )


async def _follow_merges(ticket: Ticket) -> Ticket:
    seen = {ticket.id}
    while ticket.merged_into_id is not None:
        target = await Ticket.get_or_none(id=ticket.merged_into_id)
        if target is None or target.id in seen:
            break
        seen.add(target.id)
        ticket = target
    return ticket


async def _thread_target(parsed: ParsedMail, sender: str) -> Ticket | None:
    """The open ticket this mail answers, if the sender may write in it."""
    referenced = [*parsed.in_reply_to, *reversed(parsed.references)]
    ticket: Ticket | None = None
    if referenced:
        keys = await MailThreadKey.filter(message_id__in=referenced).prefetch_related("ticket")
        for key in sorted(keys, key=lambda k: not k.outgoing):
            candidate = key.ticket
            customer = await Customer.get(id=candidate.customer_id)
            # Our own ids are unguessable, so an answer to one is trusted; a customer's id is
            # trusted only from that customer.
            if key.outgoing or customer.email == sender:
                ticket = candidate
                break
    if ticket is None:
        match = _SUBJECT_NUMBER.search(parsed.subject)
        numbered = await Ticket.get_or_none(id=int(match.group(1))) if match else None
        if numbered is not None:
            owner = await Customer.get(id=numbered.customer_id)
            if owner.email == sender:
                ticket = numbered
    if ticket is None:
        return None
    ticket = await _follow_merges(ticket)
    if ticket.status == TicketStatus.CLOSED:
        return None
    return ticket


async def _note_automated(
    uow: UnitOfWork, mail: InboundMail, parsed: ParsedMail, automation: Automation
) -> Ticket | None:
    """An auto-reply or bounce about one of our mails gets an internal note on its ticket."""
    if automation.outcome not in (InboundOutcome.AUTO_REPLY, InboundOutcome.BOUNCE):
        return None
    ids = [*parsed.in_reply_to, *parsed.references]
    ids += _OUR_MESSAGE_ID.findall(parsed.headers.get("report-body", ""))
    ids += _OUR_MESSAGE_ID.findall(parsed.text[:50_000])
    if not ids:
        return None
    key = await MailThreadKey.filter(message_id__in=ids[:60], outgoing=True).first()
    if key is None:
        return None
    ticket = await Ticket.get(id=key.ticket_id)
    what = "Delivery failure" if automation.outcome == InboundOutcome.BOUNCE else "Automatic reply"
    await Message.create(
        ticket=ticket,
        author_kind=AuthorKind.SYSTEM,
        author_label="system",
        visibility=Visibility.INTERNAL,
        body=f"{what} received from {parsed.from_address or mail.envelope_from or 'unknown'} "
        f"({automation.reason}); inbound mail #{mail.id}. Not answered.",
        inbound_mail_id=mail.id,
        using_db=uow.connection,
    )
    return ticket


async def make_ticket_from_inbound(actor: Actor, inbound_id: int, policy: IntakePolicy) -> Ticket:
    """An agent decides that a recorded non-ticket mail deserves a ticket after all."""
    async with atomic() as uow:
        mail = await InboundMail.filter(id=inbound_id).select_for_update().first()
        if mail is None:
            raise MailNotFound()
        if mail.outcome in (
            InboundOutcome.TICKET_CREATED,
            InboundOutcome.REPLY_THREADED,
        ):
            raise Conflict("This mail is already in a ticket.", code="mail_already_in_ticket")
        parsed = parse_mail(mail.raw_bytes)
        sender = parsed.from_address or mail.envelope_from.lower()
        if "@" not in sender:
            raise Conflict(
                "This mail has no sender address to open a ticket for.", code="mail_without_sender"
            )
        language = guess_language(parsed.text, default=policy.default_language)
        customer = await get_or_create_requester(
            uow, sender, name=parsed.from_name, language=language
        )
        new = NewTicket(
            subject=parsed.subject or "(no subject)",
            body=_message_body(parsed),
            channel=Channel.EMAIL,
        )
        ticket = await do_open_ticket(
            uow,
            CustomerActor(customer),
            customer,
            new,
            acknowledge=False,
            mail=policy.mail,
            author_kind=AuthorKind.CUSTOMER,
            origin=_origin(mail, parsed, with_message_id=False),
        )
        before = {"outcome": mail.outcome.value}
        mail.outcome = InboundOutcome.TICKET_CREATED
        mail.ticket = ticket
        mail.detail = clip(f"{mail.detail} Made a ticket by hand: {ticket.number}.", 2000)
        await mail.save(using_db=uow.connection)
        await record_audit(
            uow,
            actor,
            "inbound.ticket_made",
            object_type="inbound_mail",
            object_id=mail.id,
            before=before,
            after={"outcome": mail.outcome.value, "ticket_id": ticket.id},
        )
    return ticket
