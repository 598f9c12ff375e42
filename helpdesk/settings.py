"""One frozen Settings, read from the environment in app.py and passed down."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from helpdesk.errors import ConfigurationError

DEVELOPMENT = "development"
PRODUCTION = "production"
TEST = "test"
_ENVIRONMENTS = (DEVELOPMENT, PRODUCTION, TEST)


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Documented key by key in `.env.example`."""

    environment: str = DEVELOPMENT
    database_url: str = "sqlite://var/guichet.sqlite3"
    secret_key: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    # Outgoing mail. None means: deliver to the embedded mail catcher.
    smtp_url: str | None = None
    mail_from: str = "Guichet Support <support@guichet.localhost>"
    support_address: str = "support@guichet.localhost"
    abuse_address: str = "abuse@guichet.localhost"
    mail_domain: str = "guichet.localhost"
    # Embedded mail catcher (used only when smtp_url is None).
    catcher_host: str = "127.0.0.1"
    catcher_port: int = 1025
    # Inbound SMTP intake for the support address (0 = pick a free port, None = disabled).
    intake_host: str = "127.0.0.1"
    intake_port: int | None = 2525
    # Limits.
    max_body_bytes: int = 1_000_000
    max_mail_bytes: int = 25_000_000
    # Shared engines for several processes.
    redis_url: str | None = None
    rate_limit_storage_url: str = "memory://"
    # Background workers (outbox delivery, inbound processing) run in this process.
    run_workers: bool = True
    worker_poll_seconds: float = 1.0
    outbox_max_attempts: int = 8
    outbox_backoff_seconds: float = 30.0
    # Inbound loop protection: more than this many mails from one sender per hour get no reply.
    inbound_sender_hourly_limit: int = 20
    seed_demo: bool = True
    classifier_path: str | None = None
    default_language: str = "fr"
    session_max_age_seconds: int = 12 * 3600
    cookie_secure: bool = False


def _int_or_none(raw: str | None, default: int | None) -> int | None:
    if raw is None:
        return default
    if raw.strip().lower() in ("", "off", "none", "disabled"):
        return None
    return int(raw)


def _bool(raw: str | None, default: bool) -> bool:
    if raw is None:
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def _development_secret(var_dir: Path) -> str:
    """In development only: a random key kept under ./var so sessions survive restarts."""
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read Settings from the environment. Secrets have no default outside development."""
    env = os.environ if env is None else env
    env = {key: value for key, value in env.items() if value.strip() != ""}  # empty means unset
    environment = env.get("GUICHET_ENV", DEVELOPMENT)
    if environment not in _ENVIRONMENTS:
        raise ConfigurationError(f"GUICHET_ENV must be one of {', '.join(_ENVIRONMENTS)}")
    base = Settings()
    var_dir = Path(env.get("GUICHET_VAR_DIR", "var"))
    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if environment != DEVELOPMENT:
            raise ConfigurationError("SECRET_KEY must be set outside development")
        secret_key = _development_secret(var_dir)
    if len(secret_key) < 32:
        raise ConfigurationError("SECRET_KEY must be at least 32 characters")
    public_base_url = env.get("PUBLIC_BASE_URL", base.public_base_url).rstrip("/")
    mail_domain = env.get("MAIL_DOMAIN", base.mail_domain)
    redis_url = env.get("REDIS_URL") or None
    return Settings(
        environment=environment,
        database_url=env.get("DATABASE_URL", f"sqlite://{var_dir}/guichet.sqlite3"),
        secret_key=secret_key,
        public_base_url=public_base_url,
        smtp_url=env.get("SMTP_URL") or None,
        mail_from=env.get("MAIL_FROM", f"Guichet Support <support@{mail_domain}>"),
        support_address=env.get("SUPPORT_ADDRESS", f"support@{mail_domain}"),
        abuse_address=env.get("ABUSE_ADDRESS", f"abuse@{mail_domain}"),
        mail_domain=mail_domain,
        catcher_host=env.get("MAIL_CATCHER_HOST", base.catcher_host),
        catcher_port=int(env.get("MAIL_CATCHER_PORT", base.catcher_port)),
        intake_host=env.get("SMTP_INTAKE_HOST", base.intake_host),
        intake_port=_int_or_none(env.get("SMTP_INTAKE_PORT"), base.intake_port),
        max_body_bytes=int(env.get("MAX_BODY_BYTES", base.max_body_bytes)),
        max_mail_bytes=int(env.get("MAX_MAIL_BYTES", base.max_mail_bytes)),
        redis_url=redis_url,
        rate_limit_storage_url=env.get(
            "RATE_LIMIT_STORAGE_URL", redis_url or base.rate_limit_storage_url
        ),
        run_workers=_bool(env.get("RUN_WORKERS"), base.run_workers),
        worker_poll_seconds=float(env.get("WORKER_POLL_SECONDS", base.worker_poll_seconds)),
        outbox_max_attempts=int(env.get("OUTBOX_MAX_ATTEMPTS", base.outbox_max_attempts)),
        outbox_backoff_seconds=float(
            env.get("OUTBOX_BACKOFF_SECONDS", base.outbox_backoff_seconds)
        ),
        inbound_sender_hourly_limit=int(
            env.get("INBOUND_SENDER_HOURLY_LIMIT", base.inbound_sender_hourly_limit)
        ),
        seed_demo=_bool(env.get("SEED_DEMO"), environment == DEVELOPMENT),
        classifier_path=env.get("CLASSIFIER_PATH") or None,
        default_language=env.get("DEFAULT_LANGUAGE", base.default_language),
        session_max_age_seconds=int(
            env.get("SESSION_MAX_AGE_SECONDS", base.session_max_age_seconds)
        ),
        cookie_secure=_bool(env.get("COOKIE_SECURE"), public_base_url.startswith("https://")),
    )
