"""A real uvicorn serving create_app(settings) on 127.0.0.1, inside the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette

from app import create_app
from helpdesk.settings import Settings


@dataclass
class LiveServer:
    app: Starlette
    server: uvicorn.Server
    task: asyncio.Task[None]
    base_url: str

    @property
    def settings(self) -> Settings:
        settings: Settings = self.app.state.settings
        return settings

    @property
    def intake_port(self) -> int:
        return int(self.app.state.intake_port)

    async def stop(self) -> None:
        self.server.should_exit = True
        await asyncio.wait_for(self.task, timeout=15)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # the test runner owns the signals
        yield


async def start_live_server(settings: Settings) -> LiveServer:
    app = create_app(settings)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", ws="none"
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("uvicorn stopped during start-up")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return LiveServer(app=app, server=server, task=task, base_url=f"http://127.0.0.1:{port}")
