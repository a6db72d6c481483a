"""Bearer tokens: the host platform signs them, the plugin verifies them (single sign-on).

Two ways of signing, each on when configured: HS256 with the shared secret (LMS_JWT_SECRET), and
RS256 / ES256 with the host's keys (LMS_JWKS_URL, `jwks.py`). A token's `alg` must be one of
those; `none`, any other algorithm, and an HS256 token meant to be checked against a public key
are refused, since each algorithm is checked only against its own kind of key.
"""

import base64
import binascii
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import jwt
import orjson

from .clock import Clock
from .jwks import KEY_ALGORITHMS, JwksCache
from .settings import Settings

# How far a host's clock may run ahead of the plugin's: an `iat` later than this is refused.
IAT_LEEWAY_SECONDS = 60


class InvalidToken(Exception):
    """The token is malformed, expired, or not for this plugin."""


SECRET_ALGORITHM = "HS256"
ACCEPTED_ALGORITHMS = frozenset({SECRET_ALGORITHM, *KEY_ALGORITHMS})


def verify_token(token: str, settings: Settings, now: dt.datetime) -> str:
    """The subject (host user name) of a valid token signed with the shared secret."""
    claims = _signed_claims(token, settings.jwt_secret, settings.jwt_algorithm, settings)
    subject: str = _timely(claims, settings, now)["sub"]
    return subject


@dataclass(frozen=True)
class _Verified:
    claims: dict[str, Any]
    # The host's key that verified it (None: the shared secret): the verification stands
    # while the JWKS cache would hand out that very key, so a withdrawn key is refused then.
    kid: str | None = None
    key: jwt.PyJWK | None = None


class TokenVerifier:
    """Verifies a request's token by its `alg`: the shared secret, or the host's JWKS.

    A front end sends the same token with every request of a session (a heartbeat a minute):
    the signature of a token verified once is not checked again while the token lives (for a
    host key, while the host's set still holds that key); its times are judged on every
    request. The cache is bounded; a token it dropped is simply verified again."""

    def __init__(
        self, settings: Settings, jwks: JwksCache | None = None, *, max_tokens: int = 20_000
    ) -> None:
        self.settings = settings
        self.jwks = jwks
        self.max_tokens = max_tokens
        self._verified: dict[str, _Verified] = {}

    @classmethod
    def of(cls, settings: Settings, clock: Clock) -> "TokenVerifier":
        """One per app: its JWKS cache (when LMS_JWKS_URL is set) serves every request."""
        if not settings.jwks_url:
            return cls(settings)
        jwks = JwksCache(
            settings.jwks_url,
            max_age_seconds=settings.jwks_max_age_seconds,
            seconds=lambda: clock.now().timestamp(),
        )
        return cls(settings, jwks)

    async def subject(self, token: str, now: dt.datetime) -> str:
        """The subject of a valid token; raises InvalidToken, or JwksUnavailable when the
        host's keys cannot be fetched."""
        subject: str = (await self.claims(token, now))["sub"]
        return subject

    async def claims(self, token: str, now: dt.datetime) -> dict[str, Any]:
        """The claims of a valid token (its subject a non-empty string); raises as `subject`."""
        known = self._verified.get(token)
        if known is None or not self._stands(known):
            known = await self._signed(token)
            if (_instant(known.claims, "exp") or 0.0) > now.timestamp():
                self._remember(token, known)
        return _timely(known.claims, self.settings, now)

    def _stands(self, verified: _Verified) -> bool:
        if verified.key is None:
            return True  # the shared secret: it changes only with the settings
        return (
            self.jwks is not None
            and verified.kid is not None
            and self.jwks.holds(verified.kid, verified.key)
        )

    def _remember(self, token: str, verified: _Verified) -> None:
        self._verified.pop(token, None)
        if len(self._verified) >= self.max_tokens:
            # The oldest verification goes first (dicts keep insertion order).
            del self._verified[next(iter(self._verified))]
        self._verified[token] = verified

    async def _signed(self, token: str) -> _Verified:
        """The claims of a well-signed token for this plugin, with the key that verified it."""
        header = _header(token)
        algorithm = header.get("alg")
        if algorithm not in ACCEPTED_ALGORITHMS:
            raise InvalidToken(f"algorithm {algorithm!r} is not accepted")
        if algorithm == SECRET_ALGORITHM:
            if not self.settings.jwt_secret:
                raise InvalidToken("HS256 tokens are off: no LMS_JWT_SECRET")
            return _Verified(
                _signed_claims(token, self.settings.jwt_secret, algorithm, self.settings)
            )
        kid = header.get("kid")
        if self.jwks is None or not isinstance(kid, str):
            raise InvalidToken("RS256 / ES256 tokens need LMS_JWKS_URL and a kid")
        key = await self.jwks.key(kid)
        if key is None or key.algorithm_name != algorithm:
            raise InvalidToken("no key of the host's set verifies this token")
        return _Verified(_signed_claims(token, key.key, algorithm, self.settings), kid, key)


def _header(token: str) -> dict[str, Any]:
    """The token's header, read to choose the key: its segment alone (PyJWT's own reading,
    `get_unverified_header`, checks and decodes the whole token, which `_signed_claims` then
    does again, the header included, against the algorithm chosen)."""
    segment = token.partition(".")[0]
    try:
        header = orjson.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise InvalidToken(f"invalid header: {exc}") from exc
    if not isinstance(header, dict):
        raise InvalidToken("invalid header: not a JSON object")
    return header


def _signed_claims(token: str, key: Any, algorithm: str, settings: Settings) -> dict[str, Any]:
    """The claims of a token signed with `key` for this plugin (issuer, audience, the required
    claims present); its times are judged apart (`_timely`)."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={
                "require": ["exp", "iat", "sub", "iss", "aud"],
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    return claims


def _timely(claims: dict[str, Any], settings: Settings, now: dt.datetime) -> dict[str, Any]:
    """The claims, if the token is valid at `now` and names a subject."""
    # Times are judged against the plugin's clock (not PyJWT's), so a fixed clock works.
    at = now.timestamp()
    exp, iat, nbf = (_instant(claims, name) for name in ("exp", "iat", "nbf"))
    if exp is None or iat is None or (nbf is None and "nbf" in claims):
        raise InvalidToken("exp, iat and nbf must be numbers")
    if exp <= at:
        raise InvalidToken("token has expired")
    if iat > at + IAT_LEEWAY_SECONDS:
        raise InvalidToken("token is issued in the future")
    if exp - iat > settings.jwt_max_lifetime_seconds:
        raise InvalidToken("token lives longer than LMS_JWT_MAX_LIFETIME_SECONDS")
    if nbf is not None and nbf > at:
        raise InvalidToken("token is not valid yet")
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise InvalidToken("token has no subject")
    return claims


def _instant(claims: dict[str, Any], name: str) -> float | None:
    """A NumericDate claim (seconds since the epoch); None when absent or not a finite number."""
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def mint_token(username: str, settings: Settings, now: dt.datetime, lifetime: dt.timedelta) -> str:
    """A token as the host would sign it; for development, demos and tests."""
    claims = {
        "sub": username,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithm)
