"""Bearer tokens: the host platform signs them, the plugin verifies them (single sign-on)."""

import datetime as dt
import math
from typing import Any

import jwt

from .settings import Settings

# How far a host's clock may run ahead of the plugin's: an `iat` later than this is refused.
IAT_LEEWAY_SECONDS = 60


class InvalidToken(Exception):
    """The token is malformed, expired, or not for this plugin."""


def verify_token(token: str, settings: Settings, now: dt.datetime) -> str:
    """The subject (host user name) of a valid token."""
    subject: str = verified_claims(token, settings, now)["sub"]
    return subject


def verified_claims(token: str, settings: Settings, now: dt.datetime) -> dict[str, Any]:
    """The claims of a valid token (its subject a non-empty string)."""
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=[settings.jwt_algorithm],
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
