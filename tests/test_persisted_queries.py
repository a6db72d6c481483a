"""Automatic persisted queries (Apollo's convention, lms_plugin/persisted.py): a hash stands for
a registered document; an unknown hash is PERSISTED_QUERY_NOT_FOUND, a document sent with its
hash registers it, a wrong hash is refused; the stub's documents are registered at start."""

import hashlib
import re
from typing import Any

import httpx

from lms_plugin.app import stub_directory
from lms_plugin.persisted import PersistedQueries

from .api import Api
from .factories import make_person

QUERY = "query Me { viewer { person { realName } } }"


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def persisted(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


async def post(api: Api, body: dict[str, Any], who: str | None = "teacher") -> httpx.Response:
    return await api.client.post("/graphql", json=body, headers=api.headers(who))


async def test_an_unknown_hash_asks_for_the_document_then_the_hash_suffices(api: Api) -> None:
    await make_person("teacher", real_name="测试教师")
    digest = sha256(QUERY)

    unknown = await post(api, {"extensions": persisted(digest)})
    assert (unknown.status_code, unknown.json()) == (
        200,
        {
            "errors": [
                {
                    "message": "未登记的持久化查询，请连同 query 重发（PersistedQueryNotFound）",
                    "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
                }
            ]
        },
    )
    registered = await post(api, {"query": QUERY, "extensions": persisted(digest)})
    by_hash = await post(api, {"extensions": persisted(digest), "operationName": "Me"})
    plain = await post(api, {"query": QUERY})
    answers = [api.without_extensions(r.json()) for r in (registered, by_hash, plain)]
    assert answers == [{"data": {"viewer": {"person": {"realName": "测试教师"}}}}] * 3


async def test_a_hash_that_does_not_match_its_document_is_refused(api: Api) -> None:
    await make_person("teacher")
    wrong = await post(api, {"query": QUERY, "extensions": persisted(sha256("{ serverTime }"))})
    assert (wrong.status_code, wrong.json()) == (
        400,
        {
            "errors": [
                {
                    "message": "sha256Hash 与 query 不符",
                    "extensions": {"code": "PERSISTED_QUERY_HASH_MISMATCH"},
                }
            ]
        },
    )
    # Nothing was registered under the wrong hash.
    again = await post(api, {"extensions": persisted(sha256("{ serverTime }"))})
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_malformed_persisted_query_is_a_bad_request(api: Api) -> None:
    for extension in ({"version": 2, "sha256Hash": "ab"}, {"version": 1}, "x"):
        response = await post(api, {"extensions": {"persistedQuery": extension}}, None)
        assert (response.status_code, response.json()["errors"][0]["extensions"]) == (
            400,
            {"code": "BAD_REQUEST"},
        )


async def test_the_stubs_documents_are_known_from_the_start(api: Api) -> None:
    await make_person("teacher", real_name="测试教师")
    study = (stub_directory() / "study.js").read_text(encoding="utf-8")
    page = next(d for d in re.findall(r"gql`([^`]*)`", study) if "query StudyPage" in d)

    by_hash = await post(api, {"extensions": persisted(sha256(page))})
    plain = await post(api, {"query": page})
    assert api.without_extensions(by_hash.json()) == api.without_extensions(plain.json())
    assert by_hash.json()["data"]["viewer"]["person"]["realName"] == "测试教师"


def test_what_clients_register_is_bounded_and_the_stub_stays() -> None:
    queries = PersistedQueries(max_entries=2, max_characters=40)
    queries.register_stub(stub_directory())
    pinned = len(queries._pinned)
    assert pinned >= 8
    digests = [queries.register(f"{{ serverTime }} # {n}") for n in range(3)]
    assert [queries._known(d) is not None for d in digests] == [False, True, True]
    queries.register("{ serverTime } # " + "x" * 40)  # over the size alone: the rest goes
    assert [queries._known(d) is not None for d in digests] == [False, False, False]
    assert len(queries._pinned) == pinned
