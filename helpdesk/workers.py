"""The loop every background worker runs: do a batch, or sleep until woken or polled.

Workers hold no state that matters: the rows they work on are claimed in the database, so any
number of processes can run the same worker (see services/outbox.py and services/inbound.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket

logger = logging.getLogger(__name__)


class PollingWorker:
    name = "worker"

    def __init__(self, *, poll_seconds: float) -> None:
        self.poll_seconds = poll_seconds
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look for work now rather than at the next poll (a commit in this process)."""
        self._wake.set()

    async def run_once(self) -> bool:
        """Do one batch; True when there may be more."""
        raise NotImplementedError

    async def run(self) -> None:
        while True:
            try:
                busy = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("%s cycle failed", self.name)
                busy = False
            if busy:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            self._wake.clear()
