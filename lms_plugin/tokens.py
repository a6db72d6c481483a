"""Bearer tokens: the host platform signs them, the plugin verifies them (single sign-on)."""

import datetime as dt

import jwt

from .settings import Settings


class InvalidToken(Exception):
    """The token is malformed, expired, or not for this plugin."""


def verify_token(token: str, settings: Settings, now: dt.datetime) -> str:
    """The subject (host user name) of a valid token."""
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iat", "sub", "iss", "aud"], "verify_exp": False},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    # Expiry is judged against the plugin's clock, so tests and demos with a fixed clock work.
    if claims["exp"] <= now.timestamp():
        raise InvalidToken("token has expired")
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise InvalidToken("token has no subject")
    return subject


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
