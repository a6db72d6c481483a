"""Single sign-on by keys: RS256 / ES256 tokens verified against the host's JWKS, served here by
a real HTTP server on 127.0.0.1 that counts its requests (issue 9)."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.jwks import JwksUnavailable
from lms_plugin.settings import Settings
from lms_plugin.tokens import InvalidToken, TokenVerifier

from .api import Api
from .factories import make_person

PROTECTED = "{ viewer { person { username } } }"
SIGNED_IN = {"data": {"viewer": {"person": {"username": "teacher"}}}}


@dataclass
class Host:
    """The host's key server: the JWKS it serves now, and how many times it was asked."""

    keys: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    status: int = 200
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def serve(self, *jwks: dict[str, Any]) -> None:
        self.keys = list(jwks)


@pytest.fixture
def host() -> Iterator[Host]:
    state = Host()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                state.requests += 1
            body = json.dumps({"keys": state.keys}).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class Key:
    kid: str
    algorithm: str
    private: Any

    def jwk(self) -> dict[str, Any]:
        public = self.private.public_key()
        to_jwk = RSAAlgorithm.to_jwk if self.algorithm == "RS256" else ECAlgorithm.to_jwk
        data: dict[str, Any] = to_jwk(public, as_dict=True)  # type: ignore[assignment]
        return {**data, "kid": self.kid, "use": "sig", "alg": self.algorithm}

    def public_pem(self) -> bytes:
        return bytes(
            self.private.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )


def rsa_key(kid: str) -> Key:
    return Key(kid, "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))


def ec_key(kid: str) -> Key:
    return Key(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))


def token(key: Key, settings: Settings, now: dt.datetime, *, kid: str | None = None) -> str:
    at = int(now.timestamp())
    claims = {
        "sub": "teacher",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": at,
        "exp": at + 3600,
    }
    return jwt.encode(claims, key.private, algorithm=key.algorithm, headers={"kid": kid or key.kid})


@pytest.fixture
def keyed(settings: Settings, host: Host) -> Settings:
    return replace(settings, jwks_url=host.url)


@pytest.fixture
async def keyed_api(db: str, keyed: Settings, clock: FixedClock) -> AsyncIterator[Api]:
    app = create_app(keyed, clock=clock, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lms.test") as client:
        yield Api(client, keyed, clock)


async def _as(api: Api, bearer: str) -> tuple[int, dict[str, Any]]:
    response = await api.client.post(
        "/graphql", json={"query": PROTECTED}, headers={"Authorization": f"Bearer {bearer}"}
    )
    return response.status_code, api.without_extensions(response.json())


def _code(result: tuple[int, dict[str, Any]]) -> tuple[int, str]:
    status, body = result
    return status, body["errors"][0]["extensions"]["code"]


async def test_rs256_and_es256_tokens_of_the_hosts_keys_sign_in(
    keyed_api: Api, host: Host, keyed: Settings
) -> None:
    await make_person("teacher")
    rsa_one, ec_one = rsa_key("rsa-1"), ec_key("ec-1")
    host.serve(rsa_one.jwk(), ec_one.jwk())
    now = keyed_api.clock.now()

    assert await _as(keyed_api, token(rsa_one, keyed, now)) == (200, SIGNED_IN)
    assert await _as(keyed_api, token(ec_one, keyed, now)) == (200, SIGNED_IN)
    # The shared secret still signs in beside the keys.
    assert await _as(keyed_api, keyed_api.token("teacher")) == (200, SIGNED_IN)
    # One fetch served all of them.
    assert host.requests == 1


async def test_after_a_rotation_the_new_key_signs_in_and_the_removed_one_is_refused(
    keyed_api: Api, host: Host, keyed: Settings
) -> None:
    await make_person("teacher")
    old, new = rsa_key("2012-a"), rsa_key("2012-b")
    host.serve(old.jwk())
    assert await _as(keyed_api, token(old, keyed, keyed_api.clock.now())) == (200, SIGNED_IN)

    # The host rotates: the new key replaces the old one. A minute later a token of the new
    # key names an unknown kid, and the set is fetched again.
    host.serve(new.jwk())
    keyed_api.clock.advance(seconds=61)
    now = keyed_api.clock.now()

    assert await _as(keyed_api, token(new, keyed, now)) == (200, SIGNED_IN)
    assert _code(await _as(keyed_api, token(old, keyed, now))) == (200, "UNAUTHENTICATED")
    assert host.requests == 2


async def test_a_token_signed_in_before_a_rotation_is_refused_once_its_key_is_gone(
    keyed_api: Api, host: Host, keyed: Settings
) -> None:
    """The verified-token cache keeps no token whose key the host's set no longer holds:
    after the set is fetched again, by a new kid or by its age, the very same token is
    refused."""
    await make_person("teacher")
    old, new = rsa_key("2012-a"), rsa_key("2012-b")
    host.serve(old.jwk())
    before = token(old, keyed, keyed_api.clock.now())
    assert await _as(keyed_api, before) == (200, SIGNED_IN)

    host.serve(new.jwk())
    keyed_api.clock.advance(seconds=61)
    # Until the set is fetched again the cached key still stands, as `JwksCache.key` says.
    assert await _as(keyed_api, before) == (200, SIGNED_IN)
    assert await _as(keyed_api, token(new, keyed, keyed_api.clock.now())) == (200, SIGNED_IN)
    assert _code(await _as(keyed_api, before)) == (200, "UNAUTHENTICATED")
    assert host.requests == 2


async def test_a_cached_token_is_refused_when_the_set_is_fetched_again_by_age(
    keyed_api: Api, host: Host, keyed: Settings
) -> None:
    await make_person("teacher")
    old, new = ec_key("ec-a"), ec_key("ec-b")
    host.serve(old.jwk())
    before = token(old, keyed, keyed_api.clock.now())
    assert await _as(keyed_api, before) == (200, SIGNED_IN)

    host.serve(new.jwk())
    keyed_api.clock.advance(seconds=keyed.jwks_max_age_seconds - 1)
    assert await _as(keyed_api, before) == (200, SIGNED_IN)
    keyed_api.clock.advance(seconds=1)
    assert _code(await _as(keyed_api, before)) == (200, "UNAUTHENTICATED")
    assert host.requests == 2


async def test_a_flood_of_unknown_kids_fetches_the_address_at_most_once_a_minute(
    keyed_api: Api, host: Host, keyed: Settings
) -> None:
    await make_person("teacher")
    key = ec_key("ec-1")
    host.serve(key.jwk())
    assert await _as(keyed_api, token(key, keyed, keyed_api.clock.now())) == (200, SIGNED_IN)

    for second in range(0, 180, 3):  # three minutes of made-up kids, one every 3 seconds
        keyed_api.clock.advance(seconds=3)
        made_up = token(key, keyed, keyed_api.clock.now(), kid=uuid.uuid4().hex)
        assert _code(await _as(keyed_api, made_up)) == (200, "UNAUTHENTICATED"), second

    # The first fetch, then one a minute: at 60, 120 and 180 seconds.
    assert host.requests == 4


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_with_public_key(key: Key, settings: Settings, now: dt.datetime) -> str:
    """The classic confusion: HS256 with the host's public key (PEM) as the secret, signed by
    hand as an attacker would (PyJWT itself refuses a PEM as an HMAC secret)."""
    at = int(now.timestamp())
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    claims = {"sub": "teacher", "iss": settings.jwt_issuer, "aud": settings.jwt_audience}
    claims |= {"iat": at, "exp": at + 3600}
    signed = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    mac = hmac.new(key.public_pem(), signed.encode(), hashlib.sha256).digest()
    return f"{signed}.{_b64(mac)}"


async def test_algorithms_outside_the_accepted_list_and_key_confusion_are_refused(
    keyed_api: Api, host: Host, keyed: Settings
) -> None:
    await make_person("teacher")
    key = rsa_key("rsa-1")
    host.serve(key.jwk())
    now = keyed_api.clock.now()
    at = int(now.timestamp())
    claims = {"sub": "teacher", "iss": keyed.jwt_issuer, "aud": keyed.jwt_audience}
    claims |= {"iat": at, "exp": at + 3600}
    ps256 = jwt.encode(claims, key.private, algorithm="PS256", headers={"kid": key.kid})
    rs512 = jwt.encode(claims, key.private, algorithm="RS512", headers={"kid": key.kid})
    # An ES256 header on the RSA key's kid: the key's algorithm must be the token's.
    es_on_rsa = jwt.encode(claims, ec_key("x").private, algorithm="ES256", headers={"kid": key.kid})
    none = jwt.encode(claims, None, algorithm="none", headers={"kid": key.kid})

    for bearer in (ps256, rs512, es_on_rsa, none, _hs256_with_public_key(key, keyed, now)):
        assert _code(await _as(keyed_api, bearer)) == (200, "UNAUTHENTICATED")


async def test_a_host_whose_keys_cannot_be_fetched_answers_a_coded_503(
    keyed_api: Api, host: Host, keyed: Settings
) -> None:
    await make_person("teacher")
    key = rsa_key("rsa-1")
    host.status = 500

    response = await keyed_api.client.post(
        "/graphql",
        json={"query": PROTECTED},
        headers={"Authorization": f"Bearer {token(key, keyed, keyed_api.clock.now())}"},
    )

    body = response.json()
    assert (response.status_code, body["errors"][0]["extensions"]["code"]) == (
        503,
        "JWKS_UNAVAILABLE",
    )
    assert response.headers["Retry-After"] == "60"


async def test_a_jwks_address_nobody_answers_is_unavailable_not_a_crash(
    keyed: Settings, clock: FixedClock
) -> None:
    # A port nothing listens on (the server of this test is not started).
    verifier = TokenVerifier.of(replace(keyed, jwks_url="http://127.0.0.1:9/jwks.json"), clock)
    key = rsa_key("rsa-1")

    with pytest.raises(JwksUnavailable):
        await verifier.subject(token(key, keyed, clock.now()), clock.now())
    # Within the minute the address is not asked again; still unavailable, not a bug.
    with pytest.raises(JwksUnavailable):
        await verifier.subject(token(key, keyed, clock.now()), clock.now())


async def test_without_a_jwks_address_key_signed_tokens_are_refused(
    settings: Settings, clock: FixedClock
) -> None:
    verifier = TokenVerifier.of(settings, clock)
    with pytest.raises(InvalidToken):
        await verifier.subject(token(rsa_key("rsa-1"), settings, clock.now()), clock.now())
