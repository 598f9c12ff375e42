"""Test databases: a migrated template per session, copied for every test.

SQLite always. PostgreSQL too when TEST_DATABASE_URL points at a server where the user may
create databases (each test gets `CREATE DATABASE … TEMPLATE …`, fast and isolated).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ROOT = Path(__file__).resolve().parents[2]


def run_migrations(database_url: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "GUICHET_ENV": "test",
        "SECRET_KEY": "t" * 40,
    }
    subprocess.run(
        [sys.executable, "-m", "helpdesk", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


class SQLiteTemplate:
    def __init__(self, directory: Path) -> None:
        self.path = directory / "template.sqlite3"
        run_migrations(f"sqlite://{self.path}")

    def new_database(self, directory: Path) -> str:
        target = directory / f"test-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(self.path, target)
        return f"sqlite://{target}"


class PostgresTemplate:
    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.name = f"guichet_tpl_{os.getpid()}"
        self.created: list[str] = []
        asyncio.run(
            self._execute(
                f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"'
            )
        )
        run_migrations(_with_database(server_url, self.name))

    async def _execute(self, *statements: str) -> None:
        conn = await asyncpg.connect(_asyncpg_dsn(_with_database(self.server_url, "postgres")))
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    async def new_database(self) -> str:
        name = f"guichet_t_{uuid.uuid4().hex[:12]}"
        await self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        self.created.append(name)
        return _with_database(self.server_url, name)

    async def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        await self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        asyncio.run(self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
