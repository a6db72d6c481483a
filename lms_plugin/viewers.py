"""Signed-in viewers cached between requests: the person a token names and, once a request has
asked for them, their role grants, reused for `LMS_VIEWER_CACHE_SECONDS` (60) of the app's clock
instead of a statement each on every request. A request that reads no grant (the study page, a
heartbeat) never loads them; the first one that does loads them once and leaves them here.

An entry is loaded again when it is older than that, or when anyone's grants or person row have
changed since (`resolvers/core/access.py:grants_changed`, which saving or deleting a grant or a
person calls by itself). With `LMS_REDIS_URL` the workers share that news: a worker whose
generation moved adds one to a Redis counter at the end of the request, and every worker reads
the counter at most once a second, dropping its entries when it moved. Redis down: entries
still expire with their age. The cache is bounded (least recently used entries go first).

Only the rows are shared: each request gets a `Viewer` of its own, so the scopes it loads on
demand (led workshops, tutored classes…) never outlive the request.
"""

import datetime as dt
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from lms_plugin.resolvers.core.access import Viewer, viewer_generation
from lms_plugin.storage.models import Person, RoleAssignment

logger = logging.getLogger("lms_plugin.viewers")

REDIS_KEY = "lms:viewer-generation"


@dataclass(frozen=True)
class _Entry:
    person: Person
    grants: tuple[RoleAssignment, ...] | None  # None: not asked for yet
    generation: int
    expires_at: dt.datetime


class ViewerCache:
    def __init__(
        self,
        ttl_seconds: int,
        *,
        max_entries: int = 20_000,
        redis_url: str = "",
        redis_key: str = REDIS_KEY,
        poll_seconds: float = 1.0,
        generation: Callable[[], int] = viewer_generation,
    ) -> None:
        self.ttl = dt.timedelta(seconds=ttl_seconds)
        self.max_entries = max_entries
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._generation = generation
        self._published = generation()
        self._redis: Any = (
            aioredis.Redis.from_url(redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
            if redis_url
            else None
        )
        self._key = redis_key
        self._poll_seconds = poll_seconds
        self._polled_at = -poll_seconds
        self._remote: bytes | None = None

    def get(self, username: str, now: dt.datetime) -> Viewer | None:
        entry = self._entries.get(username)
        if entry is None:
            return None
        if entry.generation != self._generation() or now >= entry.expires_at:
            del self._entries[username]
            return None
        self._entries.move_to_end(username)
        viewer = Viewer(entry.person, entry.grants)
        if entry.grants is None:
            viewer.remember_grants = self._remembering(username, entry)
        return viewer

    def put(self, username: str, viewer: Viewer, now: dt.datetime, generation: int) -> None:
        """`generation`: the number read before the viewer was loaded (a change meanwhile
        makes the entry stale at once)."""
        if not self.ttl:
            return
        grants = tuple(viewer.grants) if viewer.grants_loaded else None
        entry = _Entry(viewer.person, grants, generation, now + self.ttl)
        self._entries[username] = entry
        self._entries.move_to_end(username)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        if grants is None:
            viewer.remember_grants = self._remembering(username, entry)

    def _remembering(self, username: str, entry: _Entry) -> Callable[[list[RoleAssignment]], None]:
        """Keeps grants a request loaded on the user's entry, unless the entry was replaced or
        dropped meanwhile (its generation then says whether they may still be used)."""

        def remember(grants: list[RoleAssignment]) -> None:
            if self._entries.get(username) is entry:
                self._entries[username] = replace(entry, grants=tuple(grants))

        return remember

    def generation(self) -> int:
        return self._generation()

    async def poll(self) -> None:
        """Drops every entry when another worker announced a change (read at most once per
        `poll_seconds`)."""
        if self._redis is None or time.monotonic() - self._polled_at < self._poll_seconds:
            return
        self._polled_at = time.monotonic()
        try:
            remote = await self._redis.get(self._key)
        except RedisError:
            logger.warning("viewer cache: Redis did not answer", exc_info=True)
            return
        if remote != self._remote:
            self._remote = remote
            self._entries.clear()

    async def publish(self) -> None:
        """Announces a change made by this worker (called at the end of each request)."""
        current = self._generation()
        if self._redis is None or current == self._published:
            return
        try:
            self._remote = str(await self._redis.incr(self._key)).encode()
        except RedisError:
            logger.warning("viewer cache: could not announce a grants change", exc_info=True)
            return
        self._published = current

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
