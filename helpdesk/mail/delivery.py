"""The outbox worker: claims due mails and delivers them with aiosmtplib, with back-off."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from helpdesk.mail.smtp_url import SMTPTarget
from helpdesk.models import OutboxMail
from helpdesk.services.outbox import claim_due_mail, mark_attempt_failed, mark_sent
from helpdesk.workers import PollingWorker

logger = logging.getLogger(__name__)


def build_email(mail: OutboxMail, *, mail_from: str, reply_to: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = mail.to_address
    message["Reply-To"] = reply_to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = mail.message_id or make_msgid()
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    if mail.references:
        message["References"] = mail.references
    if mail.auto_submitted != "no":
        message["Auto-Submitted"] = mail.auto_submitted
        # Ask other desks' auto-responders to stay quiet (Microsoft's header).
        message["X-Auto-Response-Suppress"] = "All"
    message["X-Guichet-Outbox-Id"] = str(mail.id)
    message.set_content(mail.body_text)
    return message


class OutboxWorker(PollingWorker):
    """One per process; any number of processes may run one against the same database."""

    name = "outbox worker"

    def __init__(
        self,
        target: SMTPTarget,
        *,
        mail_from: str,
        reply_to: str,
        poll_seconds: float,
        max_attempts: int,
        backoff_seconds: float,
    ) -> None:
        super().__init__(poll_seconds=poll_seconds)
        self.target = target
        self.mail_from = mail_from
        self.reply_to = reply_to
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds

    async def run_once(self) -> bool:
        """Deliver one batch; True when a batch was found (there may be more)."""
        batch = await claim_due_mail(self.worker_id)
        for mail in batch:
            await self._deliver(mail)
        return bool(batch)

    async def _deliver(self, mail: OutboxMail) -> None:
        message = build_email(mail, mail_from=self.mail_from, reply_to=self.reply_to)
        try:
            await aiosmtplib.send(
                message,
                hostname=self.target.host,
                port=self.target.port,
                username=self.target.username,
                password=self.target.password,
                use_tls=self.target.use_tls,
                start_tls=self.target.start_tls,
                timeout=30,
            )
        except aiosmtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.code < 600
            await mark_attempt_failed(
                mail,
                self.worker_id,
                f"{exc.code} {exc.message}",
                permanent=permanent,
                max_attempts=self.max_attempts,
                backoff_seconds=self.backoff_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            permanent = all(500 <= r.code < 600 for r in exc.recipients)
            await mark_attempt_failed(
                mail,
                self.worker_id,
                f"recipient refused: {exc}",
                permanent=permanent,
                max_attempts=self.max_attempts,
                backoff_seconds=self.backoff_seconds,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            await mark_attempt_failed(
                mail,
                self.worker_id,
                f"{type(exc).__name__}: {exc}",
                max_attempts=self.max_attempts,
                backoff_seconds=self.backoff_seconds,
            )
        else:
            await mark_sent(mail, self.worker_id)
            logger.info("outbox mail %s sent", mail.id)
