"""The verified-token cache (lms_plugin/tokens.py): a token's signature is checked once while
the token lives, its times on every request, within a bounded cache."""

import datetime as dt
from typing import Any

import jwt
import pytest

from lms_plugin import tokens
from lms_plugin.settings import Settings
from lms_plugin.tokens import InvalidToken, TokenVerifier

from .conftest import TEST_SECRET, local

AT = local(2012, 4, 20, 10, 0)
SETTINGS = Settings(jwt_secret=TEST_SECRET)


def signed(
    subject: str,
    *,
    lifetime_seconds: int = 3600,
    nbf: int | None = None,
    secret: str = TEST_SECRET,
) -> str:
    at = int(AT.timestamp())
    claims: dict[str, Any] = {
        "sub": subject,
        "iss": SETTINGS.jwt_issuer,
        "aud": SETTINGS.jwt_audience,
        "iat": at,
        "exp": at + lifetime_seconds,
    }
    if nbf is not None:
        claims["nbf"] = nbf
    return jwt.encode(claims, secret, algorithm="HS256")


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens whose signature was checked, in order."""
    checked: list[str] = []
    check = tokens._signed_claims

    def counted(token: str, *args: Any) -> dict[str, Any]:
        checked.append(token)
        return check(token, *args)

    monkeypatch.setattr(tokens, "_signed_claims", counted)
    return checked


async def test_a_token_is_verified_once_while_it_lives(verifications: list[str]) -> None:
    verifier = TokenVerifier(SETTINGS)
    token = signed("teacher")
    for minutes in range(3):
        assert await verifier.subject(token, AT + dt.timedelta(minutes=minutes)) == "teacher"
    assert verifications == [token]


async def test_a_cached_token_is_refused_from_its_expiry_on(verifications: list[str]) -> None:
    verifier = TokenVerifier(SETTINGS)
    token = signed("teacher", lifetime_seconds=3600)
    expires = AT + dt.timedelta(seconds=3600)
    assert await verifier.subject(token, expires - dt.timedelta(seconds=1)) == "teacher"
    with pytest.raises(InvalidToken, match="expired"):
        await verifier.subject(token, expires)
    assert verifications == [token]


async def test_a_cached_token_not_valid_yet_is_judged_again_each_time(
    verifications: list[str],
) -> None:
    verifier = TokenVerifier(SETTINGS)
    token = signed("teacher", nbf=int(AT.timestamp()) + 60)
    with pytest.raises(InvalidToken, match="not valid yet"):
        await verifier.subject(token, AT + dt.timedelta(seconds=59))
    assert await verifier.subject(token, AT + dt.timedelta(seconds=60)) == "teacher"
    assert verifications == [token]


async def test_an_expired_token_is_not_kept(verifications: list[str]) -> None:
    verifier = TokenVerifier(SETTINGS)
    token = signed("teacher", lifetime_seconds=60)
    later = AT + dt.timedelta(seconds=60)
    for _ in range(2):
        with pytest.raises(InvalidToken, match="expired"):
            await verifier.subject(token, later)
    assert verifications == [token, token]


async def test_a_token_refused_by_its_signature_is_checked_again(
    verifications: list[str],
) -> None:
    verifier = TokenVerifier(SETTINGS)
    forged = signed("teacher", secret="another-host-secret-that-is-long-enough-0123")
    for _ in range(2):
        with pytest.raises(InvalidToken):
            await verifier.subject(forged, AT)
    assert verifications == [forged, forged]


async def test_the_cache_is_bounded_and_drops_the_oldest(verifications: list[str]) -> None:
    verifier = TokenVerifier(SETTINGS, max_tokens=2)
    first, second, third = (signed(name) for name in ("one", "two", "three"))
    for token in (first, second, third, second, third, first):
        await verifier.subject(token, AT)
    # `first` went out when `third` came in, so it is verified again, and `second` goes out.
    assert verifications == [first, second, third, first]
    assert await verifier.subject(third, AT) == "three"
    assert verifications == [first, second, third, first]
