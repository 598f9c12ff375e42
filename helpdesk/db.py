"""Database set-up: the Tortoise config, migrations, and transactions with on-commit events."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations.api import migrate
from tortoise.transactions import in_transaction

from helpdesk import events

logger = logging.getLogger(__name__)

# Every package that owns models lists its module here; one app label keeps cross-package
# foreign keys simple ("models.Customer").
MODEL_MODULES = ["helpdesk.models"]
MIGRATIONS_MODULE = "helpdesk.migrations"


def normalise_url(database_url: str) -> str:
    """Accept postgresql:// as well as Tortoise's postgres:// and make sqlite dirs exist."""
    if database_url.startswith("postgresql://"):
        database_url = "postgres://" + database_url.removeprefix("postgresql://")
    if database_url.startswith("sqlite://") and database_url != "sqlite://:memory:":
        path = Path(database_url.removeprefix("sqlite://").split("?", 1)[0])
        path.parent.mkdir(parents=True, exist_ok=True)
    return database_url


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": normalise_url(database_url)},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# For the `tortoise` CLI (makemigrations): `tortoise -c helpdesk.db.TORTOISE_ORM makemigrations`.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://var/guichet.sqlite3"))


def is_postgres(database_url: str) -> bool:
    return normalise_url(database_url).startswith("postgres://")


async def migrate_database(database_url: str) -> None:
    """Apply pending migrations. On PostgreSQL an advisory lock keeps concurrent starts safe."""
    config = tortoise_config(database_url)
    if is_postgres(database_url):
        await Tortoise.init(config=config)
        conn = Tortoise.get_connection("default")
        await conn.execute_query("SELECT pg_advisory_lock(727274)")
        try:
            await migrate(config=config)
        finally:
            await conn.execute_query("SELECT pg_advisory_unlock(727274)")
    else:
        await migrate(config=config)
    await Tortoise.close_connections()


async def init_orm(database_url: str) -> None:
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_orm() -> None:
    await Tortoise.close_connections()


@dataclass
class UnitOfWork:
    """A transaction plus the domain events to publish once it commits."""

    connection: BaseDBAsyncClient
    pending: list[events.DomainEvent] = field(default_factory=list)

    def on_commit(self, event: events.DomainEvent) -> None:
        self.pending.append(event)


@asynccontextmanager
async def atomic() -> AsyncIterator[UnitOfWork]:
    """Run a service's writes in one transaction; publish its events only after commit."""
    async with in_transaction() as connection:
        uow = UnitOfWork(connection=connection)
        yield uow
    for event in uow.pending:
        await events.publish(event)
