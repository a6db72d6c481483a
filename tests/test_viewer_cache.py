"""The signed-in viewer cached between requests (lms_plugin/viewers.py): loaded once, reloaded
when grants or the person change (in this process at once, in other workers through Redis),
when it is older than LMS_VIEWER_CACHE_SECONDS, and never sharing per-request scopes."""

import datetime as dt
from dataclasses import replace

import httpx

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.core.access import grants_changed, load_viewer
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import Person, RoleAssignment
from lms_plugin.tokens import mint_token
from lms_plugin.viewers import ViewerCache

from .api import Api
from .factories import grant, make_class, make_org, make_person, make_workshop, reference_program
from .sql_counter import count_sql

ROLES = "{ viewer { person { realName } roles { role } } }"
CLASSES = "{ viewer { tutoredClasses { name } } }"


def roles(*names: str, real_name: str = "测试教师") -> dict[str, object]:
    return {"viewer": {"person": {"realName": real_name}, "roles": [{"role": n} for n in names]}}


def viewer_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if '"person"' in s or '"role_assignment"' in s]


async def test_a_signed_in_person_is_loaded_once(api: Api) -> None:
    await make_person("teacher", real_name="测试教师")
    assert await api.data(ROLES, as_="teacher") == roles()
    with count_sql() as sql:
        assert await api.data(ROLES, as_="teacher") == roles()
    assert viewer_statements(sql.statements) == []


async def test_a_grant_or_a_change_of_the_person_counts_at_once(api: Api) -> None:
    teacher = await make_person("teacher", real_name="测试教师")
    assert await api.data(ROLES, as_=teacher) == roles()
    admin_grant = await grant(teacher, Role.PROVINCE_ADMIN)
    assert await api.data(ROLES, as_=teacher) == roles("PROVINCE_ADMIN")
    await admin_grant.delete()
    assert await api.data(ROLES, as_=teacher) == roles()
    teacher.real_name = "改名教师"
    await teacher.save()
    assert await api.data(ROLES, as_=teacher) == roles(real_name="改名教师")


async def test_writes_without_signals_announce_themselves(api: Api) -> None:
    teacher = await make_person("teacher", real_name="测试教师")
    await RoleAssignment.bulk_create([RoleAssignment(person_id=teacher.id, role=Role.VENDOR_STAFF)])
    assert await api.data(ROLES, as_=teacher) == roles("VENDOR_STAFF")
    await RoleAssignment.filter(person_id=teacher.id).delete()
    assert await api.data(ROLES, as_=teacher) == roles("VENDOR_STAFF")  # not announced yet
    grants_changed()
    assert await api.data(ROLES, as_=teacher) == roles()


async def test_a_cached_viewer_is_reloaded_when_old(api: Api, clock: FixedClock) -> None:
    await make_person("teacher", real_name="测试教师")
    await api.data(ROLES, as_="teacher")
    clock.advance(seconds=59)
    with count_sql() as sql:
        await api.data(ROLES, as_="teacher")
    assert viewer_statements(sql.statements) == []
    clock.advance(seconds=1)
    await Person.filter(username="teacher").update(real_name="改名教师")
    with count_sql() as sql:
        assert await api.data(ROLES, as_="teacher") == roles(real_name="改名教师")
    assert len(viewer_statements(sql.statements)) == 2


async def test_no_cache_when_its_time_is_zero(
    db: str, settings: Settings, clock: FixedClock
) -> None:
    app = create_app(replace(settings, viewer_cache_seconds=0), clock=clock, manage_database=False)
    await make_person("teacher", real_name="测试教师")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://lms.test"
    ) as client:
        api = Api(client, settings, clock)
        await api.data(ROLES, as_="teacher")
        with count_sql() as sql:
            await api.data(ROLES, as_="teacher")
    assert len(viewer_statements(sql.statements)) == 2


async def test_scopes_are_loaded_per_request(api: Api) -> None:
    """A class made after the first request is on the tutor's next one: only the rows are
    cached, not what a request loads on demand."""
    org = await make_org()
    tutor = await make_person("tutor", school=org.school)
    workshop = await make_workshop(await reference_program(), await make_person("leader"))
    await make_class(workshop, tutor, "一班")
    assert await api.data(CLASSES, as_=tutor) == {"viewer": {"tutoredClasses": [{"name": "一班"}]}}
    await make_class(workshop, tutor, "二班")
    assert await api.data(CLASSES, as_=tutor) == {
        "viewer": {"tutoredClasses": [{"name": "一班"}, {"name": "二班"}]}
    }


async def test_the_cache_is_bounded(db: str) -> None:
    cache = ViewerCache(60, max_entries=2)
    now = dt.datetime(2012, 4, 27, tzinfo=dt.UTC)
    for name in ("a", "b", "c"):
        await make_person(name)
    for name in ("a", "b", "c"):
        viewer = await load_viewer(name)
        assert viewer is not None
        cache.put(name, viewer, now, cache.generation())
    assert [cache.get(name, now) is not None for name in ("a", "b", "c")] == [False, True, True]


async def test_workers_learn_of_a_change_through_redis(
    db: str, redis_url: str, redis_prefix: str
) -> None:
    """Two workers, each with its own generation: one announces a change, the other drops
    its entries at its next poll."""
    counters = {"first": 0, "second": 0}
    first, second = (
        ViewerCache(
            60,
            redis_url=redis_url,
            redis_key=f"{redis_prefix}viewers",
            poll_seconds=0,
            generation=lambda name=name: counters[name],  # type: ignore[misc]
        )
        for name in ("first", "second")
    )
    now = dt.datetime(2012, 4, 27, tzinfo=dt.UTC)
    viewer = await load_viewer((await make_person("teacher")).username)
    assert viewer is not None
    try:
        await first.poll()
        first.put("teacher", viewer, now, first.generation())
        await second.publish()  # nothing changed: nothing announced
        await first.poll()
        assert first.get("teacher", now) is not None
        counters["second"] += 1
        await second.publish()
        assert first.get("teacher", now) is not None  # until the next poll
        await first.poll()
        assert first.get("teacher", now) is None
    finally:
        await first.close()
        await second.close()


async def test_an_expired_token_is_refused_while_its_viewer_is_cached(
    api: Api, clock: FixedClock, settings: Settings
) -> None:
    await make_person("teacher", real_name="测试教师")
    token = mint_token("teacher", settings, clock.now(), dt.timedelta(seconds=30))
    headers = {"Authorization": f"Bearer {token}"}
    body = {"query": ROLES}
    first = await api.client.post("/graphql", json=body, headers=headers)
    assert api.without_extensions(first.json()) == {"data": roles()}
    clock.advance(seconds=31)
    answer = api.without_extensions(
        (await api.client.post("/graphql", json=body, headers=headers)).json()
    )
    assert answer["data"] is None
    assert [e["extensions"]["code"] for e in answer["errors"]] == ["UNAUTHENTICATED"]
