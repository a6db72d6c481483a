"""Rate limits: a leaky bucket per person (or client address) and kind, in cost points a minute.

A bucket holds at most `capacity` points and drains at `capacity` points a minute. A request
adds its points to each bucket it is charged to; it is admitted when every bucket stays at or
under its capacity (then all are charged), refused otherwise (then none is), with the seconds
until it would fit. With `LMS_REDIS_URL` every worker shares the buckets through Redis (one Lua
script, atomic); otherwise they live in the process. Times come from the request's clock.
"""

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

logger = logging.getLogger("lms_plugin.rate_limits")

# A bucket full to the brim is empty again after a minute.
WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Charge:
    bucket: str  # "points", "heartbeats" or "verifications"
    amount: int
    capacity: int  # per minute


@dataclass(frozen=True)
class Verdict:
    retry_after: int  # seconds until the request would fit; 0 when admitted
    # Per bucket charged: what is left after this request (admitted) or now (refused).
    remaining: dict[str, int]

    @property
    def admitted(self) -> bool:
        return self.retry_after == 0


class RateLimiter(Protocol):
    async def charge(self, who: str, charges: Sequence[Charge], now: float) -> Verdict:
        """Charge `who` (e.g. `person:42`) the charges at `now` (seconds since the epoch)."""
        ...

    async def close(self) -> None: ...


def _drained(level: float, at: float, now: float, capacity: int) -> float:
    return max(0.0, level - max(0.0, now - at) * capacity / WINDOW_SECONDS)


def _wait(level: float, charge: Charge) -> int:
    over = level + charge.amount - charge.capacity
    # (less a hair: 0.0833… × 12 must not round up to 2 s)
    return math.ceil(over * WINDOW_SECONDS / charge.capacity - 1e-9) if over > 0 else 0


class InProcessRateLimiter:
    """The buckets of one process (one worker): `(level, at)` by key."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}

    async def charge(self, who: str, charges: Sequence[Charge], now: float) -> Verdict:
        # No await between reading and writing: atomic on the event loop.
        levels = []
        for charge in charges:
            level, at = self._buckets.get(f"{who}:{charge.bucket}", (0.0, now))
            levels.append((_drained(level, at, now, charge.capacity), max(at, now)))
        retry_after = max(
            (_wait(lv, c) for (lv, _), c in zip(levels, charges, strict=True)), default=0
        )
        remaining = {}
        for (level, at), charge in zip(levels, charges, strict=True):
            if retry_after == 0:
                level += charge.amount
                self._buckets[f"{who}:{charge.bucket}"] = (level, at)
            remaining[charge.bucket] = math.floor(charge.capacity - level)
        if len(self._buckets) > 100_000:
            self._forget_empty(now)
        return Verdict(retry_after, remaining)

    def _forget_empty(self, now: float) -> None:
        # An idle minute empties every bucket; forget those so the dict stays small.
        self._buckets = {
            key: (level, at)
            for key, (level, at) in self._buckets.items()
            if now - at < WINDOW_SECONDS
        }

    async def close(self) -> None:
        return None


# KEYS: one per bucket. ARGV: now, then capacity and amount per bucket. Returns the seconds to
# wait (0: admitted and charged) and what each bucket has left. Floats are stored with 17
# digits (Lua's tostring keeps 14, which would lose fractions of a point).
_CHARGE = """
local now = tonumber(ARGV[1])
local levels, ats, wait = {}, {}, 0
for i = 1, #KEYS do
  local capacity, amount = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local state = redis.call('HMGET', KEYS[i], 'level', 'at')
  local level, at = tonumber(state[1]) or 0, tonumber(state[2]) or now
  local elapsed = math.max(0, now - at)
  level = math.max(0, level - elapsed * capacity / 60)
  levels[i], ats[i] = level, math.max(at, now)
  local over = level + amount - capacity
  if over > 0 then wait = math.max(wait, math.ceil(over * 60 / capacity - 1e-9)) end
end
local result = {wait}
for i = 1, #KEYS do
  local capacity, amount = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local level = levels[i]
  if wait == 0 then
    level = level + amount
    redis.call('HSET', KEYS[i], 'level', string.format('%.17g', level),
      'at', string.format('%.17g', ats[i]))
    redis.call('EXPIRE', KEYS[i], 61)
  end
  result[i + 1] = math.floor(capacity - level)
end
return result
"""


class RedisRateLimiter:
    """Buckets shared by every worker: one hash per bucket, `<prefix>{<who>}:<bucket>`."""

    def __init__(self, url: str, prefix: str = "lms:rate:") -> None:
        self.prefix = prefix
        self.client: Any = aioredis.Redis.from_url(
            url, socket_timeout=1.0, socket_connect_timeout=1.0
        )
        self._script = self.client.register_script(_CHARGE)

    async def charge(self, who: str, charges: Sequence[Charge], now: float) -> Verdict:
        # The hash tag keeps one person's buckets in one slot of a Redis cluster.
        keys = [f"{self.prefix}{{{who}}}:{charge.bucket}" for charge in charges]
        args: list[float | int] = [now]
        for charge in charges:
            args += [charge.capacity, charge.amount]
        try:
            result = await self._script(keys=keys, args=args)
        except RedisError:
            # Redis down: serve the request (the budget per request still holds) and say so.
            logger.warning("rate limits unavailable: Redis did not answer", exc_info=True)
            return Verdict(0, {})
        wait, *left = (int(value) for value in result)
        return Verdict(wait, {c.bucket: n for c, n in zip(charges, left, strict=True)})

    async def close(self) -> None:
        await self.client.aclose()


def rate_limiter(redis_url: str, prefix: str = "lms:rate:") -> RateLimiter:
    return RedisRateLimiter(redis_url, prefix) if redis_url else InProcessRateLimiter()
