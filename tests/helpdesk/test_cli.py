"""The command line a newcomer and an operator use: migrate, create an agent, reset a password."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from helpdesk.auth.passwords import verify_password
from helpdesk.db import close_orm, init_orm
from helpdesk.models import Agent, AuditEvent
from tests.conftest import TEST_SECRET
from tests.support.databases import ROOT


def run_cli(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "GUICHET_ENV": "test",
        "SECRET_KEY": TEST_SECRET,
    }
    return subprocess.run(
        [sys.executable, "-m", "helpdesk", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_create_agent_then_reset_its_password(database_url: str) -> None:
    created = await asyncio.to_thread(
        run_cli,
        database_url,
        "create-agent",
        "ops@desk.test",
        "--name",
        "Ops",
        "--role",
        "admin",
        stdin="first-password-123\n",
    )
    assert created.returncode == 0, created.stderr
    reset = await asyncio.to_thread(
        run_cli, database_url, "set-password", "ops@desk.test", stdin="second-password-456\n"
    )
    assert reset.returncode == 0, reset.stderr
    too_short = await asyncio.to_thread(
        run_cli, database_url, "set-password", "ops@desk.test", stdin="short\n"
    )
    assert too_short.returncode == 1
    assert "at least 10 characters" in too_short.stderr
    unknown = await asyncio.to_thread(
        run_cli, database_url, "set-password", "nobody@desk.test", stdin="whatever-long-1\n"
    )
    assert unknown.returncode == 1
    assert "No such agent" in unknown.stderr

    await init_orm(database_url)
    try:
        agent = await Agent.get(email="ops@desk.test")
        assert agent.role == "admin"
        assert verify_password(agent.password_hash, "second-password-456")
        assert not verify_password(agent.password_hash, "first-password-123")
        events = await AuditEvent.filter(object_type="agent").order_by("id")
        assert [e.action for e in events] == ["agent.created", "agent.password_set"]
    finally:
        await close_orm()


async def test_dotenv_file_fills_in_the_settings(tmp_path: Path) -> None:
    database = tmp_path / "from-dotenv.sqlite3"
    (tmp_path / ".env").write_text(
        f"DATABASE_URL=sqlite://{database}\nGUICHET_ENV=test\nSECRET_KEY={TEST_SECRET}\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "GUICHET_ENV", "SECRET_KEY")
    }

    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "helpdesk", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert database.exists()
