"""Rate limits for logins and public endpoints, with the `limits` library.

The storage is `RATE_LIMIT_STORAGE_URL`: `memory://` for one process, `redis://…` (defaults to
REDIS_URL when set) so that several processes share the counters.
"""

from __future__ import annotations

from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from helpdesk.errors import RateLimited

LOGIN_PER_ACCOUNT = parse("5/minute")
LOGIN_PER_ACCOUNT_HOURLY = parse("30/hour")
LOGIN_PER_IP = parse("30/minute")
PUBLIC_PER_IP = parse("60/minute")
LINK_REQUEST_PER_ADDRESS = parse("3/10minutes")


def _async_url(url: str) -> str:
    return url if url.startswith("async+") else f"async+{url}"


@dataclass
class Throttle:
    limiter: MovingWindowRateLimiter

    @classmethod
    def from_url(cls, storage_url: str) -> Throttle:
        options: dict[str, str] = {}
        if storage_url.removeprefix("async+").startswith(("redis://", "rediss://")):
            options["implementation"] = "redispy"  # the redis client we already ship
        storage = storage_from_string(_async_url(storage_url), **options)
        return cls(MovingWindowRateLimiter(storage))

    async def hit(self, item: RateLimitItem, *keys: str) -> None:
        """Count one hit; raise RateLimited when the limit is passed."""
        if not await self.limiter.hit(item, *keys):
            raise RateLimited()

    async def check(self, item: RateLimitItem, *keys: str) -> None:
        """Refuse when the limit is already reached, without counting a hit."""
        if not await self.limiter.test(item, *keys):
            raise RateLimited()

    async def clear(self, item: RateLimitItem, *keys: str) -> None:
        await self.limiter.clear(item, *keys)
