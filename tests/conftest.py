"""Shared fixtures: a database per test, a real SMTP server, and a real uvicorn serving the app.

The database backend is chosen per pytest run: SQLite by default, PostgreSQL with
TEST_BACKEND=postgres and TEST_DATABASE_URL (`make test` runs both when the URL is set). One
backend per process, because Tortoise keeps per-dialect query caches on the model classes.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from helpdesk.settings import Settings
from tests.support.databases import PostgresTemplate, SQLiteTemplate, postgres_url
from tests.support.server import LiveServer, start_live_server
from tests.support.smtp import SinkServer, SMTPSink

BACKEND = os.environ.get("TEST_BACKEND", "sqlite")
if BACKEND not in ("sqlite", "postgres"):
    raise RuntimeError("TEST_BACKEND must be sqlite or postgres")
if BACKEND == "postgres" and not postgres_url():
    raise RuntimeError("TEST_BACKEND=postgres needs TEST_DATABASE_URL")
TEST_SECRET = "test-secret-key-with-enough-length-0123456789"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SQLiteTemplate:
    return SQLiteTemplate(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate | None]:
    url = postgres_url()
    if url is None or BACKEND != "postgres":
        yield None
        return
    template = PostgresTemplate(url)
    yield template
    template.close()


@pytest.fixture
async def database_url(
    tmp_path: Path,
    sqlite_template: SQLiteTemplate,
    postgres_template: PostgresTemplate | None,
) -> AsyncIterator[str]:
    if postgres_template is None:
        yield sqlite_template.new_database(tmp_path)
        return
    url = await postgres_template.new_database()
    yield url
    await postgres_template.drop(url)


@pytest.fixture
def smtp_server() -> Iterator[SinkServer]:
    server = SinkServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_sink(smtp_server: SinkServer) -> SMTPSink:
    return smtp_server.sink


@pytest.fixture
def settings(database_url: str, smtp_server: SinkServer, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        secret_key=TEST_SECRET,
        public_base_url="http://desk.test",
        smtp_url=f"smtp://127.0.0.1:{smtp_server.port}",
        support_address="support@desk.test",
        abuse_address="abuse@desk.test",
        mail_from="Support <support@desk.test>",
        mail_domain="desk.test",
        intake_port=0,
        catcher_port=0,
        worker_poll_seconds=0.1,
        outbox_backoff_seconds=0.1,
        outbox_max_attempts=3,
        seed_demo=False,
    )


@pytest.fixture
async def live_server(settings: Settings) -> AsyncIterator[LiveServer]:
    server = await start_live_server(settings)
    yield server
    await server.stop()


@pytest.fixture
async def client(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=20) as http:
        yield http
