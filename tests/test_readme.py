"""The README's examples hold as written: the embedding example's host app serves the plugin
under /lms and the token its code mints signs a person in; the tour's numbers are the program's."""

import re
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from lms_plugin.demo import load_demo
from lms_plugin.storage.models import Person, StudyTimerPolicy

from .api import Api
from .conftest import TEST_DATA_KEYS, TEST_SECRET
from .factories import make_person

README = Path(__file__).resolve().parent.parent / "README.md"
VIEWER = "{ viewer { person { username } } }"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def _run(block: str) -> dict[str, Any]:
    """Runs a block as a module of its own, as a host would paste it; returns its globals."""
    namespace: dict[str, Any] = {"__name__": "readme_block"}
    exec(compile(block, str(README), "exec"), namespace)
    return namespace


@pytest.fixture
def host_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the README's shell lines export, with a temporary database."""
    monkeypatch.setenv("LMS_JWT_SECRET", TEST_SECRET)
    monkeypatch.setenv("LMS_DATA_KEYS", TEST_DATA_KEYS["data_keys"])
    monkeypatch.setenv("LMS_DATA_KEY_ID", TEST_DATA_KEYS["data_key_id"])
    monkeypatch.setenv("LMS_DATA_HASH_KEY", TEST_DATA_KEYS["data_hash_key"])
    monkeypatch.setenv("LMS_DATABASE_URL", f"sqlite://{tmp_path / 'host-lms.sqlite3'}")
    monkeypatch.setenv("LMS_UPLOAD_DIR", str(tmp_path / "uploads"))
    for name in ("LMS_DEV_MODE", "LMS_JWT_ISSUER", "LMS_JWT_AUDIENCE"):
        monkeypatch.delenv(name, raising=False)


async def _viewer(app: Any, headers: dict[str, str]) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://host.test") as client:
        response = await client.post("/lms/graphql", json={"query": VIEWER}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    body.pop("extensions", None)  # the cost (test_cost.py)
    return body


@pytest.mark.usefixtures("host_environment")
async def test_the_readme_host_app_signs_in_the_person_of_the_readme_token() -> None:
    host_block, token_block = _python_blocks()

    host = _run(host_block)["app"]
    token = _run(token_block)["token"]
    async with host.router.lifespan_context(host):
        await make_person("zhangsan")
        signed_in = await _viewer(host, {"Authorization": f"Bearer {token}"})
        anonymous = await _viewer(host, {})

    assert signed_in == {"data": {"viewer": {"person": {"username": "zhangsan"}}}}
    assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]


@pytest.mark.usefixtures("host_environment")
def test_the_readme_token_follows_the_configured_issuer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LMS_JWT_ISSUER", "my-host")

    token = _run(_python_blocks()[1])["token"]

    claims = jwt.decode(token, TEST_SECRET, algorithms=["HS256"], audience="lms-plugin")
    assert (claims["sub"], claims["iss"]) == ("zhangsan", "my-host")


def test_the_heartbeat_tour_names_the_demo_programs_gap_limit() -> None:
    readme = README.read_text(encoding="utf-8")
    stated = re.search(r"`heartbeatMaxGapSeconds` \((\d+) s in the demo\)", readme)

    assert "A heartbeat counts the time since the previous one" in readme
    assert stated is not None
    gap_limit = StudyTimerPolicy._meta.fields_map["heartbeat_max_gap_seconds"].default
    assert int(stated.group(1)) == gap_limit


def _graphql_block(operation: str) -> str:
    blocks = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    return next(b for b in blocks if f"query {operation}" in b)


async def _operation(
    api: Api, block: str, name: str, variables: dict[str, Any], who: Person | None
) -> dict[str, Any]:
    response = await api.client.post(
        "/graphql",
        json={"query": block, "operationName": name, "variables": variables},
        headers=api.headers(who),
    )
    body = api.without_extensions(response.json())
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def test_the_certificate_tour_reads_the_demo_trainees_certificate(api: Api) -> None:
    await load_demo()
    trainee = await Person.get(username="demo.trainee")
    stated = re.search(
        r"\*\*(\S+), (\d+) hours, ([\d.]+) credits, (\w+)\*\*", README.read_text(encoding="utf-8")
    )
    block = _graphql_block("MyCertificates")

    mine = await _operation(api, block, "MyCertificates", {}, trainee)
    [certificate] = mine["myCertificates"]
    verified = await _operation(api, block, "Verify", {"code": certificate["code"]}, None)

    assert stated is not None
    shown = (certificate["year"], str(certificate["hours"]), certificate["credits"])
    assert (*shown, certificate["outcome"]) == stated.groups()
    assert verified["verifyCertificate"]["holderName"].endswith("*")
    assert mine["myCreditLedger"]["hours"] == certificate["hours"]
