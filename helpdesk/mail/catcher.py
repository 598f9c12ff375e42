"""The embedded mail catcher: with no SMTP_URL, outgoing mail lands here and agents read it
in the console (the developer experience of Mailpit, built in)."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy
from typing import Any

from helpdesk.models import CaughtMail
from helpdesk.text import clip, scrub_for_storage

logger = logging.getLogger(__name__)


def _subject(raw: bytes) -> str:
    try:
        message = message_from_bytes(raw, policy=policy.default)
        return clip(scrub_for_storage(str(message.get("Subject", ""))), 300)
    except Exception:
        return ""


class CatcherHandler:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw: bytes = envelope.original_content or envelope.content
        mail = await CaughtMail.create(
            envelope_from=clip(envelope.mail_from or "", 254),
            envelope_to=list(envelope.rcpt_tos),
            subject=_subject(raw),
            raw_bytes=raw,
        )
        logger.info("mail catcher stored mail %s", mail.id)
        return f"250 OK caught as {mail.id}"
