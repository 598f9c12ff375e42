"""SMTP_URL parsing: smtp://[user:pass@]host[:port], smtp+starttls://…, smtps://…"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from helpdesk.errors import ConfigurationError

_SCHEMES = {
    "smtp": (25, False, False),
    "smtp+starttls": (587, False, True),
    "smtps": (465, True, False),
}


@dataclass(frozen=True)
class SMTPTarget:
    host: str
    port: int
    use_tls: bool = False
    start_tls: bool = False
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SMTPTarget:
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise ConfigurationError(
            "SMTP_URL must look like smtp://host:port, smtp+starttls://… or smtps://…"
        )
    default_port, use_tls, start_tls = _SCHEMES[parts.scheme]
    return SMTPTarget(
        host=parts.hostname,
        port=parts.port or default_port,
        use_tls=use_tls,
        start_tls=start_tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )
