"""The SMTP intake for the support address, and the worker that processes what it stored.

The intake answers 250 only once the raw mail is committed to the database; if it cannot store
the mail it answers 451 and the sending server tries again later. Nothing is lost either way.
"""

from __future__ import annotations

import logging
from typing import Any

from helpdesk.services.inbound import IntakePolicy, claim_inbound, process_inbound, store_inbound
from helpdesk.workers import PollingWorker

logger = logging.getLogger(__name__)


class IntakeHandler:
    def __init__(self, on_stored: Any = None) -> None:
        self.on_stored = on_stored

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw: bytes = envelope.original_content or envelope.content or b""
        try:
            mail, created = await store_inbound(
                raw, envelope_from=envelope.mail_from or "", envelope_to=list(envelope.rcpt_tos)
            )
        except Exception:
            logger.exception("could not store an inbound mail")
            return "451 4.3.0 Temporary failure storing the message, try again later"
        if created and self.on_stored is not None:
            self.on_stored()
        return f"250 2.0.0 OK stored as {mail.id}"


class InboundWorker(PollingWorker):
    """Claims stored mails and turns them into tickets. Safe to run in several processes."""

    name = "inbound worker"

    def __init__(self, policy: IntakePolicy, *, poll_seconds: float) -> None:
        super().__init__(poll_seconds=poll_seconds)
        self.policy = policy

    async def run_once(self) -> bool:
        batch = await claim_inbound(self.worker_id)
        for mail in batch:
            await process_inbound(mail.id, self.worker_id, self.policy)
        return bool(batch)
