"""Several processes share the login throttle through Redis (RATE_LIMIT_STORAGE_URL)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import httpx
import pytest

from helpdesk.db import close_orm, init_orm
from tests.conftest import TEST_SECRET
from tests.factories import make_agent
from tests.support.processes import start_app_process

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set TEST_REDIS_URL (the CI script does)")
async def test_login_throttle_counts_failures_across_processes(
    database_url: str, tmp_path: Path
) -> None:
    assert REDIS_URL is not None
    await init_orm(database_url)
    try:
        agent = await make_agent(email=f"throttled-{uuid.uuid4().hex[:12]}@desk.test")
    finally:
        await close_orm()
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "RATE_LIMIT_STORAGE_URL": REDIS_URL,
        "SMTP_URL": "smtp://127.0.0.1:9",
    }
    apps = [await start_app_process(env, tmp_path, f"app-{i}") for i in range(2)]
    try:
        codes = []
        async with httpx.AsyncClient(timeout=20) as http:
            for attempt in range(6):
                app = apps[attempt % 2]
                response = await http.post(
                    f"{app.base_url}/api/auth/login",
                    json={"email": agent.email, "password": "nope"},
                )
                codes.append(response.status_code)
    finally:
        for app in apps:
            app.stop()
    # Five failures in a minute, counted together by both processes, then refused.
    assert codes == [401, 401, 401, 401, 401, 429]
