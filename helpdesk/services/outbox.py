"""The mail outbox: written in the caller's transaction, claimed by workers with row locks.

Two workers never send the same row: a worker claims a due row inside a transaction with
SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL) and a compare-and-set UPDATE on its status (which
also serialises SQLite), then holds a lease while it talks to the SMTP server. A crash while
sending leaves the lease to expire and the row is tried again.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Sequence
from datetime import timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from helpdesk import events
from helpdesk.db import UnitOfWork, atomic
from helpdesk.errors import Conflict, MailNotFound
from helpdesk.models import MailThreadKey, OutboxMail, Ticket
from helpdesk.models.enums import OutboxStatus
from helpdesk.text import clip
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
# Control characters (CR/LF included) never reach a mail header: no header injection.
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
MAX_BACKOFF = timedelta(hours=6)


def new_message_id(mail_domain: str) -> str:
    return f"<guichet.{secrets.token_urlsafe(18)}@{mail_domain}>"


async def do_enqueue_mail(
    uow: UnitOfWork,
    *,
    to_address: str,
    subject: str,
    body: str,
    mail_domain: str,
    ticket: Ticket | None = None,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    auto_submitted: str = "no",
) -> OutboxMail:
    message_id = new_message_id(mail_domain)
    mail = await OutboxMail.create(
        to_address=to_address,
        subject=clip(_HEADER_UNSAFE.sub(" ", subject), 300),
        body_text=body,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=" ".join(references[-20:]),
        auto_submitted=auto_submitted,
        ticket=ticket,
        next_attempt_at=utcnow(),
        using_db=uow.connection,
    )
    if ticket is not None:
        await MailThreadKey.create(
            message_id=message_id, ticket=ticket, outgoing=True, using_db=uow.connection
        )
    uow.on_commit(events.DomainEvent(events.OUTBOX_QUEUED, {"outbox_id": mail.id}))
    return mail


async def claim_due_mail(worker_id: str, *, limit: int = 10) -> list[OutboxMail]:
    """Claim up to `limit` due rows for this worker. Each row goes to exactly one worker."""
    now = utcnow()
    due = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, lease_until__lt=now
    )
    claimed: list[OutboxMail] = []
    async with in_transaction() as conn:
        candidates = (
            await OutboxMail.filter(due)
            .order_by("next_attempt_at", "id")
            .limit(limit)
            .select_for_update(skip_locked=True)
            .using_db(conn)
        )
        for mail in candidates:
            # Compare-and-set: only one worker's UPDATE matches the row as it was read.
            updated = (
                await OutboxMail.filter(
                    Q(id=mail.id) & Q(status=mail.status) & Q(attempts=mail.attempts)
                )
                .using_db(conn)
                .update(
                    status=OutboxStatus.SENDING,
                    claimed_by=worker_id,
                    lease_until=now + LEASE,
                    attempts=mail.attempts + 1,
                )
            )
            if updated == 1:
                mail.status = OutboxStatus.SENDING
                mail.claimed_by = worker_id
                mail.attempts += 1
                claimed.append(mail)
    return claimed


async def mark_sent(mail: OutboxMail, worker_id: str) -> None:
    await OutboxMail.filter(id=mail.id, claimed_by=worker_id).update(
        status=OutboxStatus.SENT, sent_at=utcnow(), lease_until=None, last_error=""
    )


async def mark_attempt_failed(
    mail: OutboxMail,
    worker_id: str,
    error: str,
    *,
    max_attempts: int,
    backoff_seconds: float,
    permanent: bool = False,
) -> OutboxStatus:
    """Schedule a retry with exponential back-off, or give up and leave it for the agents."""
    give_up = permanent or mail.attempts >= max_attempts
    status = OutboxStatus.FAILED if give_up else OutboxStatus.PENDING
    delay = min(timedelta(seconds=backoff_seconds * (2 ** (mail.attempts - 1))), MAX_BACKOFF)
    await OutboxMail.filter(id=mail.id, claimed_by=worker_id).update(
        status=status,
        next_attempt_at=utcnow() + delay,
        lease_until=None,
        last_error=clip(error, 2000),
    )
    if give_up:
        logger.warning("outbox mail %s failed for good after %s attempts", mail.id, mail.attempts)
    return status


async def retry_failed_mail(outbox_id: int) -> OutboxMail:
    """An agent sends a failed mail again, after fixing what was wrong."""
    async with atomic() as uow:
        mail = await OutboxMail.filter(id=outbox_id).select_for_update().first()
        if mail is None:
            raise MailNotFound()
        if mail.status != OutboxStatus.FAILED:
            raise Conflict("Only a failed mail can be retried.", code="mail_not_failed")
        mail.status = OutboxStatus.PENDING
        mail.attempts = 0
        mail.next_attempt_at = utcnow()
        await mail.save(using_db=uow.connection)
        uow.on_commit(events.DomainEvent(events.OUTBOX_QUEUED, {"outbox_id": mail.id}))
    return mail
