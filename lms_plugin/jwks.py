"""The host's signing keys (JWKS) for RS256 / ES256 tokens: fetched from LMS_JWKS_URL, cached.

A token naming a key id the cache lacks makes the cache fetch the set again, but never sooner
than `min_refresh_seconds` after the last fetch: a flood of tokens with made-up key ids costs
the host one request a minute. The set is also fetched again once `max_age_seconds` old, so a
key the host removed stops being accepted even when no new key id comes. Fetching runs with
httpx (async): a slow host holds up only the requests that wait for its keys.
"""

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import httpx
import jwt

logger = logging.getLogger("lms_plugin.jwks")

# Only these come from the host's set: asymmetric keys (a shared secret never travels in a JWKS).
KEY_ALGORITHMS = frozenset({"RS256", "ES256"})
MIN_REFRESH_SECONDS = 60.0


class JwksUnavailable(Exception):
    """The key set could not be fetched (network, HTTP status, not a JWKS) and none is cached."""


class JwksCache:
    def __init__(
        self,
        url: str,
        *,
        max_age_seconds: float = 300.0,
        min_refresh_seconds: float = MIN_REFRESH_SECONDS,
        timeout_seconds: float = 5.0,
        seconds: Callable[[], float],
    ) -> None:
        """`seconds` reads the app's clock (seconds since the epoch), so that tests move it."""
        self.url = url
        self.max_age_seconds = max_age_seconds
        self.min_refresh_seconds = min_refresh_seconds
        self.timeout_seconds = timeout_seconds
        self.seconds = seconds
        self._keys: dict[str, jwt.PyJWK] | None = None
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> jwt.PyJWK | None:
        """The key with this id, None when the host's set has none (after a refresh if allowed).

        Raises JwksUnavailable when the set cannot be fetched and none was fetched before."""
        if self._fresh() and kid in (self._keys or {}):
            return (self._keys or {})[kid]
        async with self._lock:
            # Another request may have fetched the set while this one waited.
            if kid not in (self._keys or {}) or not self._fresh():
                if self._may_fetch():
                    await self._fetch()
                elif self._keys is None:
                    raise JwksUnavailable("the key set could not be fetched")
        return (self._keys or {}).get(kid)

    def holds(self, kid: str, key: jwt.PyJWK) -> bool:
        """Whether `key(kid)` would answer this very key now, without fetching."""
        return self._fresh() and (self._keys or {}).get(kid) is key

    def _fresh(self) -> bool:
        return (
            self._fetched_at is not None
            and self.seconds() - self._fetched_at < self.max_age_seconds
        )

    def _may_fetch(self) -> bool:
        return (
            self._fetched_at is None
            or self.seconds() - self._fetched_at >= self.min_refresh_seconds
        )

    async def _fetch(self) -> None:
        # A failed attempt counts too: a host that is down is not asked more than once a minute.
        self._fetched_at = self.seconds()
        try:
            async with httpx.AsyncClient(timeout=self.timeout_seconds) as client:
                response = await client.get(self.url, headers={"Accept": "application/json"})
            response.raise_for_status()
            self._keys = _usable_keys(response.json())
        except (httpx.HTTPError, ValueError) as error:
            logger.warning("could not fetch the JWKS from %s: %r", self.url, error)
            if self._keys is None:
                raise JwksUnavailable(str(error)) from error


def _usable_keys(document: Any) -> dict[str, jwt.PyJWK]:
    """The set's signing keys with an id and an accepted algorithm; others are skipped."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS: no keys list")
    keys: dict[str, jwt.PyJWK] = {}
    for data in document["keys"]:
        if not isinstance(data, dict) or not isinstance(data.get("kid"), str):
            continue
        if data.get("use", "sig") != "sig":
            continue
        try:
            key = jwt.PyJWK(data)
        except jwt.PyJWTError:
            continue
        if key.algorithm_name in KEY_ALGORITHMS:
            keys[data["kid"]] = key
    return keys
