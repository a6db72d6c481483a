"""Role grants load only when a field asks for them (resolvers/core/access.py:Viewer.role_grants,
schema/core/grants.py): a request that checks no grant sends no statement for them, one that
does sends it once however many fields ask. Each request here starts with the viewer cache
emptied (`grants_changed`), as after anyone's grant change."""

from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.core.access import grants_changed
from lms_plugin.storage.enums import Role

from .api import Api
from .conftest import local
from .factories import grant, make_org, make_person
from .sql_counter import count_sql
from .study_world import beat, make_world, start_id


def grant_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if '"role_assignment"' in s]


def person_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if 'FROM "person"' in s]


async def test_a_query_that_checks_no_grant_loads_none(api: Api) -> None:
    await make_person("teacher", real_name="测试教师")
    grants_changed()
    with count_sql() as sql:
        data = await api.data("{ viewer { person { realName } } }", as_="teacher")
    assert data == {"viewer": {"person": {"realName": "测试教师"}}}
    assert (len(person_statements(sql.statements)), grant_statements(sql.statements)) == (1, [])


STUDY_PAGE = """query StudyPage {
  viewer {
    person { realName school { name } }
    enrollment {
      batch { name studyDays window { opensAt closesAt state } }
      workshop { name leader { realName } tutorTeam { person { realName } } topics { id title } }
      trainingClass { id name }
      tutor { realName }
      hourProgress { required { onlineHours offlineHours } onlineHours offlineHours complete }
    }
  }
}"""


async def test_the_study_page_loads_no_grant(api: Api) -> None:
    """The README's `StudyPage`, for a trainee of a class (its tutor, its class shown)."""
    world = await make_world()
    grants_changed()
    with count_sql() as sql:
        data = await api.data(STUDY_PAGE, as_=world.trainee)
    assert data["viewer"]["enrollment"]["trainingClass"]["name"] == "一班"
    assert grant_statements(sql.statements) == []


async def test_a_heartbeat_loads_no_grant(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    session_id = await start_id(api, world.trainee, world)
    clock.advance(seconds=120)
    grants_changed()
    with count_sql() as sql:
        payload = await beat(api, world.trainee, session_id, 1)
    assert payload["userErrors"] == []
    assert grant_statements(sql.statements) == []


async def test_fields_that_check_grants_load_them_once(api: Api) -> None:
    """`roles` and `teachers` (a root field resolved beside it) both ask; one statement."""
    org = await make_org()
    admin = await make_person("admin", real_name="管理员", school=org.school)
    await grant(admin, Role.PROVINCE_ADMIN)
    grants_changed()
    query = "{ viewer { roles { role } } teachers(first: 1) { nodes { realName } } }"
    with count_sql() as sql:
        data = await api.data(query, as_=admin)
    assert data == {
        "viewer": {"roles": [{"role": "PROVINCE_ADMIN"}]},
        "teachers": {"nodes": [{"realName": "管理员"}]},
    }
    assert len(grant_statements(sql.statements)) == 1
    # Loaded once, they stay with the cached viewer: the next request sends none.
    with count_sql() as sql:
        assert await api.data(query, as_=admin) == data
    assert grant_statements(sql.statements) == []
