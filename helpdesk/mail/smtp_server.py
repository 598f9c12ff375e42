"""Running an aiosmtpd server inside the application's event loop.

aiosmtpd's Controller runs a thread with its own loop; we create the server in our loop instead,
so the handlers share the ORM, and with SO_REUSEPORT so that several Guichet processes on one
host can all listen on the intake port (the kernel spreads connections between them).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

from aiosmtpd.smtp import SMTP

logger = logging.getLogger(__name__)


class TolerantSMTP(SMTP):
    """Accepts lines longer than RFC 5321's 1000 octets: real mail has them (minified HTML,
    some webmails), and refusing would bounce a customer's message. The whole mail is still
    capped by data_size_limit."""

    line_length_limit = 1 << 20


async def start_smtp_server(
    handler: Any,
    *,
    host: str,
    port: int,
    data_size_limit: int,
    ident: str,
) -> asyncio.Server:
    loop = asyncio.get_running_loop()

    def factory() -> SMTP:
        return TolerantSMTP(
            handler,
            data_size_limit=data_size_limit,
            enable_SMTPUTF8=True,
            decode_data=False,
            ident=ident,
            hostname=socket.getfqdn(host) if host not in ("127.0.0.1", "::1") else "localhost",
            timeout=120,
        )

    server = await loop.create_server(
        factory, host=host, port=port, reuse_port=hasattr(socket, "SO_REUSEPORT")
    )
    return server


def bound_port(server: asyncio.Server) -> int:
    sockname = server.sockets[0].getsockname()
    return int(sockname[1])
