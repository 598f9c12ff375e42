"""The SMTP intake for the support address, and the worker that processes what it stored.

The intake answers 250 only once the raw mail is committed to the database; if it cannot store
the mail it answers 451 and the sending server tries again later. Nothing is lost either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from typing import Any

from helpdesk.services.inbound import IntakePolicy, claim_inbound, process_inbound, store_inbound

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


class InboundWorker:
    """Claims stored mails and turns them into tickets. Safe to run in several processes."""

    def __init__(self, policy: IntakePolicy, *, poll_seconds: float) -> None:
        self.policy = policy
        self.poll_seconds = poll_seconds
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def process_due(self) -> bool:
        batch = await claim_inbound(self.worker_id)
        for mail in batch:
            await process_inbound(mail.id, self.worker_id, self.policy)
        return bool(batch)

    async def run(self) -> None:
        while True:
            try:
                busy = await self.process_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("inbound worker cycle failed")
                busy = False
            if busy:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            self._wake.clear()
