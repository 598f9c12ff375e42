"""Two app processes against one PostgreSQL: every outbox mail is sent exactly once and one
inbound e-mail never becomes two tickets."""

from __future__ import annotations

import asyncio
import smtplib
from collections import Counter
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from helpdesk.db import close_orm, init_orm
from helpdesk.models import InboundMail, OutboxMail, Ticket
from helpdesk.models.enums import InboundStatus, OutboxStatus
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, make_agent, make_customer
from tests.support.databases import PostgresTemplate
from tests.support.processes import AppProcess, start_app_process
from tests.support.smtp import SinkServer

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_url(postgres_template: PostgresTemplate | None) -> AsyncIterator[str]:
    if postgres_template is None:
        pytest.skip("needs PostgreSQL: runs in the TEST_BACKEND=postgres pass of `make test`")
    url = await postgres_template.new_database()
    await init_orm(url)
    yield url
    await close_orm()
    await postgres_template.drop(url)


@pytest.fixture
async def two_apps(
    pg_url: str, smtp_server: SinkServer, tmp_path: Path
) -> AsyncIterator[tuple[AppProcess, AppProcess]]:
    env = {
        "DATABASE_URL": pg_url,
        "SECRET_KEY": TEST_SECRET,
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "MAIL_DOMAIN": "desk.test",
        "SUPPORT_ADDRESS": "support@desk.test",
    }
    first, second = await asyncio.gather(
        start_app_process(env, tmp_path, "app-a"), start_app_process(env, tmp_path, "app-b")
    )
    yield first, second
    first.stop()
    second.stop()


async def _agent_client(app: AppProcess, email: str) -> httpx.AsyncClient:
    http = httpx.AsyncClient(base_url=app.base_url, timeout=30)
    response = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    http.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return http


async def test_two_processes_deliver_every_outbox_mail_exactly_once(
    two_apps: tuple[AppProcess, AppProcess], smtp_server: SinkServer
) -> None:
    agent = await make_agent()
    customer = await make_customer()
    clients = [await _agent_client(app, agent.email) for app in two_apps]
    try:
        created = await clients[0].post(
            "/api/tickets",
            json={"customer_email": customer.email, "subject": "Load", "body": "first"},
        )
        assert created.status_code == 201
        ticket_id = created.json()["id"]

        async def reply(i: int) -> None:
            response = await clients[i % 2].post(
                f"/api/tickets/{ticket_id}/replies", json={"body": f"reply {i}"}
            )
            assert response.status_code == 201, response.text

        await asyncio.gather(*(reply(i) for i in range(60)))
    finally:
        for http in clients:
            await http.aclose()

    received = await smtp_server.sink.wait_for(61, timeout=60)
    await asyncio.sleep(1.0)  # anything sent twice would arrive by now
    ids = Counter(r.message["Message-ID"] for r in smtp_server.sink.received)
    assert len(received) == 61
    assert all(count == 1 for count in ids.values()), ids.most_common(3)
    assert await OutboxMail.filter(status=OutboxStatus.SENT).count() == 61
    senders = {m.claimed_by.split(":")[1] for m in await OutboxMail.all()}  # type: ignore[union-attr]
    assert len(senders) == 2, "both processes should have delivered some mail"


def _send(port: int, raw: bytes) -> int:
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as smtp:
        smtp.ehlo()
        smtp.mail("client@example.fr")
        smtp.rcpt("support@desk.test")
        code, _ = smtp.data(raw)
        return code


def _mail(n: int) -> bytes:
    message = EmailMessage()
    message["From"] = "client@example.fr"
    message["To"] = "support@desk.test"
    message["Subject"] = f"Panne {n}"
    message["Message-ID"] = f"<panne-{n}@example.fr>"
    message.set_content(f"Mon service {n} est en panne.")
    return message.as_bytes()


async def test_one_inbound_mail_never_becomes_two_tickets(
    two_apps: tuple[AppProcess, AppProcess],
) -> None:
    first, second = two_apps
    jobs = []
    for n in range(15):
        raw = _mail(n)
        # The same mail reaches both processes (an MTA retrying against another node).
        jobs.append(asyncio.to_thread(_send, first.intake_port, raw))
        jobs.append(asyncio.to_thread(_send, second.intake_port, raw))
    codes = await asyncio.gather(*jobs)
    assert set(codes) == {250}

    deadline = asyncio.get_running_loop().time() + 30
    while await InboundMail.filter(status=InboundStatus.PROCESSED).count() < 15:
        assert asyncio.get_running_loop().time() < deadline, "inbound mail not processed"
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)

    assert await InboundMail.all().count() == 15
    assert await Ticket.all().count() == 15
    subjects = Counter(t.subject for t in await Ticket.all())
    assert all(count == 1 for count in subjects.values())
