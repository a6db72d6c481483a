"""Personal data at rest (issue 9): ID numbers and mobiles sealed with AES-GCM, found by keyed
hash, re-sealed by `rotate-keys`; no dump of the database shows them in clear."""

import asyncio
import base64
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError, ValidationError
from tortoise.migrations.api import migrate

from lms_plugin.cli import rotate_keys_now
from lms_plugin.database import migrate_database
from lms_plugin.resolvers.core.access import load_viewer
from lms_plugin.settings import (
    DEV_DATA_KEY_ID,
    Settings,
    SettingsError,
    key_ring_of,
)
from lms_plugin.storage.config import tortoise_config
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import Person
from lms_plugin.storage.organisation import by_id_number, by_mobile
from lms_plugin.storage.personal_data import (
    KeyRing,
    UnknownKey,
    key_id_of,
    normalised_id_number,
    normalised_mobile,
    use_key_ring,
)

from .api import Api
from .conftest import TEST_DATA_KEYS, TEST_KEYS, TEST_SECRET
from .databases import asyncpg_dsn, open_database
from .factories import gid, make_admin, make_org, make_person
from .test_migrations import _empty_database, _migrate

ID_NUMBER = "36010219850615002X"
MOBILE = "13907911234"


def _key(byte: bytes) -> str:
    return base64.b64encode(byte * 32).decode()


def ring(current: str, *ids: str) -> KeyRing:
    keys = ",".join(f"{key_id}={_key(key_id[-1].encode())}" for key_id in ids)
    return key_ring_of(keys, current, TEST_DATA_KEYS["data_hash_key"])


# --- pure: normalisation, sealing, the settings ------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("36010219850615002X", "36010219850615002X"),
        ("36010219850615002x", "36010219850615002X"),
        (" 360102 19850615 002X ", "36010219850615002X"),
        ("３６０１０２１９８５０６１５００２ｘ", "36010219850615002X"),  # full-width forms
    ],
)
def test_an_id_number_is_compared_folded_without_spaces_and_with_an_upper_x(
    written: str, normalised: str
) -> None:
    assert normalised_id_number(written) == normalised


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("13907911234", "13907911234"),
        ("139-0791-1234", "13907911234"),
        ("+86 139 0791 1234", "13907911234"),
        ("0086 13907911234", "13907911234"),
        ("１３９０７９１１２３４", "13907911234"),
        ("86 13907911234", "8613907911234"),  # a bare 86 is not the country code: kept
    ],
)
def test_a_mobile_is_compared_without_separators_or_the_country_code(
    written: str, normalised: str
) -> None:
    assert normalised_mobile(written) == normalised


def test_a_sealed_value_opens_only_in_its_column_and_never_repeats() -> None:
    first = TEST_KEYS.seal(ID_NUMBER, "person.id_number")
    second = TEST_KEYS.seal(ID_NUMBER, "person.id_number")
    assert first != second
    assert ID_NUMBER not in first
    assert key_id_of(first) == "test1"
    assert TEST_KEYS.open(first, "person.id_number") == ID_NUMBER
    with pytest.raises(UnknownKey, match="does not open"):
        TEST_KEYS.open(first, "person.mobile")


def test_a_value_of_a_key_not_in_the_ring_is_refused_by_name() -> None:
    sealed = ring("k1", "k1").seal(MOBILE, "person.mobile")
    with pytest.raises(UnknownKey, match="key 'k1', not in the ring"):
        ring("k2", "k2").open(sealed, "person.mobile")


def test_the_lookup_hash_is_keyed_and_of_the_normalised_value() -> None:
    other = key_ring_of(TEST_DATA_KEYS["data_keys"], "test1", _key(b"o"))
    assert TEST_KEYS.digest("id_number", ID_NUMBER) != other.digest("id_number", ID_NUMBER)
    assert TEST_KEYS.digest("id_number", ID_NUMBER) != TEST_KEYS.digest("mobile", ID_NUMBER)


def test_production_without_data_keys_refuses_to_start() -> None:
    with pytest.raises(SettingsError, match="LMS_DATA_KEYS, LMS_DATA_KEY_ID and LMS_DATA_HASH_KEY"):
        Settings(jwt_secret=TEST_SECRET).checked()


def test_development_mode_derives_its_own_clearly_named_ring() -> None:
    settings = Settings(dev_mode=True).checked()
    assert settings.data_key_id == DEV_DATA_KEY_ID == "development"
    assert list(settings.key_ring().keys) == ["development"]
    # Given keys win over the development ones, in development mode too.
    assert Settings(dev_mode=True, **TEST_DATA_KEYS).checked().key_ring() == TEST_KEYS


@pytest.mark.parametrize(
    ("keys", "current", "hash_key", "message"),
    [
        ("k1", "k1", _key(b"h"), "id=base64key"),
        ("k1=notbase64!", "k1", _key(b"h"), "a key must be base64"),
        ("k1=" + base64.b64encode(b"short").decode(), "k1", _key(b"h"), "must be 32 bytes"),
        (f"k1={_key(b'a')}", "k2", _key(b"h"), "current key id 'k2' is not in the ring"),
        (f"k1={_key(b'a')},k1={_key(b'b')}", "k1", _key(b"h"), "names the key id 'k1' twice"),
        (f"k 1={_key(b'a')}", "k 1", _key(b"h"), "key id 'k 1'"),
        (f"k1={_key(b'a')}", "k1", "", "LMS_DATA_HASH_KEY: a key must be 32 bytes"),
    ],
)
def test_a_malformed_key_ring_is_refused_with_its_reason(
    keys: str, current: str, hash_key: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings(
            jwt_secret=TEST_SECRET, data_keys=keys, data_key_id=current, data_hash_key=hash_key
        ).checked()


# --- the database ------------------------------------------------------------------------------


async def _raw_person(person_id: int) -> dict[str, Any]:
    client = connections.get("default")
    mark = "$1" if client.capabilities.dialect == "postgres" else "?"
    rows = await client.execute_query_dict(
        f'SELECT * FROM "person" WHERE "id" = {mark}', [person_id]
    )
    return dict(rows[0])


async def test_the_columns_hold_sealed_values_and_python_reads_them_plain(db: str) -> None:
    person = await make_person("sealed.teacher")
    person.id_number, person.mobile = ID_NUMBER, MOBILE
    await person.save(update_fields=["id_number", "mobile"])

    row = await _raw_person(person.id)
    assert row["id_number"].startswith("sealed:test1:")
    assert row["mobile"].startswith("sealed:test1:")
    assert ID_NUMBER not in str(row)
    assert MOBILE not in str(row)
    loaded = await Person.get(id=person.id)
    assert (loaded.id_number, loaded.mobile) == (ID_NUMBER, MOBILE)
    assert await Person.filter(id=person.id).values_list("id_number", "mobile") == [
        (ID_NUMBER, MOBILE)
    ]


async def test_people_are_found_by_the_hash_of_the_normalised_value(db: str) -> None:
    person = await make_person("hashed.teacher")
    person.id_number, person.mobile = ID_NUMBER, MOBILE
    await person.save()

    for written in (ID_NUMBER, ID_NUMBER.lower(), " 360102 19850615002x"):
        assert [p.id for p in await Person.filter(**by_id_number(written))] == [person.id]
    assert [p.id for p in await Person.filter(**by_mobile("+86 139-0791-1234"))] == [person.id]
    assert await Person.filter(**by_id_number("360102198506150011")).count() == 0


async def test_an_id_number_is_unique_by_its_hash(db: str) -> None:
    first = await make_person("first.holder")
    first.id_number = ID_NUMBER
    await first.save(update_fields=["id_number"])
    with pytest.raises(IntegrityError):
        await Person.create(username="second.holder", real_name="乙", id_number=ID_NUMBER.lower())


async def test_a_sealed_column_cannot_be_filtered_or_updated_in_bulk(db: str) -> None:
    with pytest.raises(TypeError, match="by_id_number"):
        await Person.filter(id_number=ID_NUMBER).count()
    with pytest.raises(TypeError, match="save the model"):
        await Person.filter(id=1).update(mobile=MOBILE)


async def test_a_value_longer_than_its_field_is_refused_without_showing_it(db: str) -> None:
    person = await make_person("long.number")
    person.id_number = ID_NUMBER + "0"
    with pytest.raises(ValidationError) as refused:
        await person.save(update_fields=["id_number"])
    assert str(refused.value) == "id_number: Length of value 19 > 18"


async def test_rotation_reseals_every_value_and_the_old_key_can_then_go(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old = ring("k1", "k1")
    use_key_ring(old)
    people = [await make_person(f"rotated{n}") for n in range(5)]
    people[2].mobile = None
    await people[2].save(update_fields=["mobile"])
    clear = {p.id: (p.id_number, p.mobile) for p in await Person.all()}

    both = Settings(
        database_url=db,
        jwt_secret=TEST_SECRET,
        data_keys=f"k1={_key(b'1')},k2={_key(b'2')}",
        data_key_id="k2",
        data_hash_key=TEST_DATA_KEYS["data_hash_key"],
    )
    await rotate_keys_now(both, batch_size=2, after_id=0)
    first = capsys.readouterr().out.splitlines()
    # Again: nothing is left under the old key.
    await rotate_keys_now(both, batch_size=2, after_id=0)
    again = capsys.readouterr().out.splitlines()

    assert first == [
        f"… people up to id {people[1].id}: 4 values resealed",
        f"… people up to id {people[3].id}: 7 values resealed",
        f"… people up to id {people[4].id}: 9 values resealed",
        "rotated to key 'k2': 5 people read, 9 values resealed, 0 already under it",
    ]
    assert again[-1] == "rotated to key 'k2': 5 people read, 0 values resealed, 9 already under it"
    use_key_ring(ring("k2", "k2"))
    for person in people:
        row = await _raw_person(person.id)
        assert key_id_of(row["id_number"]) == "k2"
        loaded = await Person.get(id=person.id)
        assert (loaded.id_number, loaded.mobile) == clear[person.id]
    assert await Person.filter(**by_id_number(clear[people[0].id][0] or "")).count() == 1


async def test_rotation_resumes_after_the_last_id_it_printed(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    use_key_ring(ring("k1", "k1"))
    people = [await make_person(f"resumed{n}") for n in range(3)]
    both = Settings(
        database_url=db,
        jwt_secret=TEST_SECRET,
        data_keys=f"k1={_key(b'1')},k2={_key(b'2')}",
        data_key_id="k2",
        data_hash_key=TEST_DATA_KEYS["data_hash_key"],
    )
    await rotate_keys_now(both, batch_size=10, after_id=people[0].id)

    assert capsys.readouterr().out.splitlines()[-1] == (
        "rotated to key 'k2': 2 people read, 4 values resealed, 0 already under it"
    )
    assert key_id_of((await _raw_person(people[0].id))["id_number"]) == "k1"
    assert key_id_of((await _raw_person(people[1].id))["id_number"]) == "k2"


async def test_migration_0004_seals_the_people_already_stored(backend: str, tmp_path: Path) -> None:
    async with _empty_database(backend, tmp_path) as url:
        await _migrate(url, "models.0003_school_code")
        async with open_database(url) as context:
            client = context.connections.get("default")
            await client.execute_script(
                'INSERT INTO "person" ("username", "real_name", "id_number", "mobile") VALUES'
                f" ('clear.one', '甲', '{ID_NUMBER}', '{MOBILE}'),"
                " ('clear.two', '乙', NULL, NULL)"
            )
        await migrate_database(url)
        async with open_database(url):
            one = await Person.get(username="clear.one")
            two = await Person.get(username="clear.two")
            assert (one.id_number, one.mobile) == (ID_NUMBER, MOBILE)
            assert (two.id_number, two.mobile) == (None, None)
            assert (await _raw_person(one.id))["id_number"].startswith("sealed:test1:")
            assert (await _raw_person(two.id))["id_number_hash"] is None
            assert [p.id for p in await Person.filter(**by_id_number(ID_NUMBER))] == [one.id]


async def test_migration_0004_without_a_key_ring_stops_on_personal_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _empty_database("sqlite", tmp_path) as url:
        await _migrate(url, "models.0003_school_code")
        async with open_database(url) as context:
            await context.connections.get("default").execute_script(
                'INSERT INTO "person" ("username", "real_name", "id_number")'
                f" VALUES ('x', '甲', '{ID_NUMBER}')"
            )
        monkeypatch.setattr("lms_plugin.storage.personal_data._ring", None)
        with pytest.raises(Exception, match="personal data needs the key ring: LMS_DATA_KEYS"):
            await migrate(config=tortoise_config(url))


# --- a dump shows none of it -------------------------------------------------------------------

REVEAL = """
mutation Reveal($input: RevealPersonalDataInput!) {
  revealPersonalData(input: $input) { personalData { idNumber mobile } userErrors { code } }
}
"""


async def _dump(backend: str, url: str) -> str:
    if backend == "sqlite":
        path = url.removeprefix("sqlite://").split("?")[0]
        connection = sqlite3.connect(path)
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()
    if shutil.which("pg_dump"):
        process = await asyncio.create_subprocess_exec(
            "pg_dump", "--data-only", asyncpg_dsn(url), stdout=asyncio.subprocess.PIPE
        )
        out, _ = await process.communicate()
        assert process.returncode == 0
        return out.decode()
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        rows = [
            str(await connection.fetch(f'SELECT t::text FROM "{t["tablename"]}" t')) for t in tables
        ]
        return "\n".join(rows)
    finally:
        await connection.close()


async def test_a_dump_of_the_database_has_no_id_number_or_mobile_in_clear(
    api: Api, backend: str, db: str
) -> None:
    org = await make_org()
    admin = await make_admin("dump.admin", Role.PROVINCE_ADMIN, region=org.province)
    teachers = [await make_person(f"dumped{n}", school=org.school) for n in range(3)]
    for teacher in teachers:
        body = await api.data(
            REVEAL, {"input": {"person": gid(teacher), "reason": "核对"}}, as_=admin
        )
        assert body["revealPersonalData"]["personalData"] == {
            "idNumber": teacher.id_number,
            "mobile": teacher.mobile,
        }
    secrets = [v for t in teachers for v in (t.id_number, t.mobile) if v]
    assert len(secrets) == 6

    dump = await _dump(backend, db)

    assert "revealPersonalData" in dump  # the audit log is in the dump
    assert "sealed:test1:" in dump
    assert [secret for secret in secrets if secret in dump] == []


async def test_a_viewer_loads_without_opening_personal_data_until_it_is_read(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await make_person("lazy.teacher")
    person.id_number, person.mobile = ID_NUMBER, MOBILE
    await person.save(update_fields=["id_number", "mobile"])
    opened: list[str] = []
    open_sealed = KeyRing.open

    def counting_open(ring: KeyRing, stored: str, column: str) -> str:
        opened.append(column)
        return open_sealed(ring, stored, column)

    monkeypatch.setattr(KeyRing, "open", counting_open)

    viewer = await load_viewer("lazy.teacher")

    assert viewer is not None
    assert opened == []
    assert viewer.person.id_number == ID_NUMBER
    assert opened == ["person.id_number"]
    assert (viewer.person.id_number, viewer.person.mobile) == (ID_NUMBER, MOBILE)
    assert opened == ["person.id_number", "person.mobile"]
    # A viewer's person saved with its personal data never read keeps it, sealed anew.
    unread = await load_viewer("lazy.teacher")
    assert unread is not None
    unread.person.real_name = "改名"
    await unread.person.save()
    row = await _raw_person(person.id)
    assert row["id_number"].startswith("sealed:test1:")
    loaded = await Person.get(id=person.id)
    assert (loaded.real_name, loaded.id_number, loaded.mobile) == ("改名", ID_NUMBER, MOBILE)
    assert [p.id for p in await Person.filter(**by_id_number(ID_NUMBER))] == [person.id]
