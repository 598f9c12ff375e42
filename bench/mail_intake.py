"""How fast mail gets into Guichet, against a bare aiosmtpd server in the same run.

    .venv/bin/python bench/mail_intake.py [--mails 300] [--database-url postgres://…]

Prints: SMTP acceptance rate (mails/s, answered 250 once stored) for a do-nothing aiosmtpd
handler (the baseline) and for Guichet's intake, the end-to-end rate (until every mail is a
ticket or a recorded non-ticket), the ratios, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import smtplib
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpdesk.mail.smtp_server import bound_port, start_smtp_server  # noqa: E402
from helpdesk.models import InboundMail  # noqa: E402
from helpdesk.models.enums import InboundStatus  # noqa: E402
from helpdesk.settings import Settings  # noqa: E402


def make_mails(count: int) -> list[bytes]:
    mails = []
    for n in range(count):
        message = EmailMessage()
        message["From"] = f"Client {n % 40} <client{n % 40}@example.fr>"
        message["To"] = "support@bench.test"
        message["Subject"] = f"Site en panne #{n}"
        message["Message-ID"] = f"<bench-{n}@example.fr>"
        if n % 10 == 0:
            message["Auto-Submitted"] = "auto-replied"
        body = "Bonjour,\nmon site WordPress affiche une erreur 500 depuis ce matin.\n" * (
            1 + n % 5
        )
        message.set_content(body + "\n> citation\n> d'un ancien message\n")
        mails.append(message.as_bytes())
    return mails


def send_all(port: int, mails: list[bytes]) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        for raw in mails:
            smtp.sendmail("client@example.fr", ["support@bench.test"], raw)
    return time.perf_counter() - start


class NullHandler:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 OK"


async def baseline(mails: list[bytes]) -> float:
    server = await start_smtp_server(
        NullHandler(), host="127.0.0.1", port=0, data_size_limit=25_000_000, ident="baseline"
    )
    try:
        return await asyncio.to_thread(send_all, bound_port(server), mails)
    finally:
        server.close()
        await server.wait_closed()


async def guichet(mails: list[bytes], database_url: str) -> tuple[float, float]:
    from app import create_app

    settings = Settings(
        environment="test",
        database_url=database_url,
        secret_key="b" * 40,
        smtp_url="smtp://127.0.0.1:9",
        intake_port=0,
        worker_poll_seconds=0.05,
        seed_demo=False,
        mail_domain="bench.test",
        support_address="support@bench.test",
        inbound_sender_hourly_limit=10_000,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        start = time.perf_counter()
        accepted = await asyncio.to_thread(send_all, app.state.intake_port, mails)
        processed = InboundMail.filter(status=InboundStatus.PROCESSED)
        while await processed.count() < len(mails):  # noqa: ASYNC110 - polling the database
            await asyncio.sleep(0.05)
        end_to_end = time.perf_counter() - start
    return accepted, end_to_end


def migrated_sqlite(directory: Path) -> str:
    url = f"sqlite://{directory / 'bench.sqlite3'}"
    subprocess.run(
        [sys.executable, "-m", "helpdesk", "migrate"],
        cwd=ROOT,
        check=True,
        env={
            "DATABASE_URL": url,
            "GUICHET_ENV": "test",
            "SECRET_KEY": "b" * 40,
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
    )
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=300)
    parser.add_argument("--database-url", help="a migrated, empty database (default: SQLite)")
    args = parser.parse_args()
    mails = make_mails(args.mails)
    size = sum(len(m) for m in mails) / len(mails)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or migrated_sqlite(Path(tmp))
        base = asyncio.run(baseline(mails))
        accepted, end_to_end = asyncio.run(guichet(mails, url))
    n = len(mails)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    backend = url.split(":")[0]
    print(f"{n} mails of {size:.0f} bytes on average, one SMTP connection, database {backend}")
    print(f"  baseline aiosmtpd (accept and drop)  {n / base:8.1f} mails/s")
    print(
        f"  Guichet intake (stored, then 250)    {n / accepted:8.1f} mails/s"
        f"   ({accepted / base:.1f}x the baseline's time per mail)"
    )
    print(f"  Guichet end to end (ticket or record) {n / end_to_end:7.1f} mails/s")
    print(f"  peak RSS of the process              {rss_mb:8.1f} MB")


if __name__ == "__main__":
    main()
