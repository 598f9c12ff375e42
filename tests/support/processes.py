"""Guichet app processes started the way production starts them (uvicorn --factory)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class AppProcess:
    process: subprocess.Popen[bytes]
    http_port: int
    intake_port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


async def start_app_process(env: dict[str, str], log_dir: Path, name: str) -> AppProcess:
    http_port, intake_port = free_port(), free_port()
    log_path = log_dir / f"{name}.log"
    full_env = {
        **os.environ,
        "GUICHET_ENV": "test",
        "SEED_DEMO": "0",
        "SMTP_INTAKE_HOST": "127.0.0.1",
        "SMTP_INTAKE_PORT": str(intake_port),
        "WORKER_POLL_SECONDS": "0.1",
        **env,
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: ASYNC220 - starts at once, awaited below
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(http_port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    app = AppProcess(process, http_port, intake_port, log_path)
    deadline = asyncio.get_running_loop().time() + 30
    async with httpx.AsyncClient() as http:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited:\n{app.log()}")
            try:
                if (await http.get(f"{app.base_url}/healthz")).status_code == 200:
                    return app
            except httpx.TransportError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                app.stop()
                raise RuntimeError(f"{name} did not start:\n{app.log()}")
            await asyncio.sleep(0.1)
