"""Personal data (ID numbers, mobiles) never leaves the API unmasked, whoever asks and however.

Besides the fields known to show people, a crawler walks the live schema: every query field, every
object reachable from it, `node(id:)` of every seeded row, as every role. The crawl grows with the
schema; the scenario (`seed_scenario`) is shared with the fuzz tests.
"""

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import graphql
import httpx
import pytest
from tortoise import Tortoise

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.schema.build import build_schema
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import OfflineKind, Role, Stage, Track
from lms_plugin.storage.models import (
    Enrollment,
    OfflineStudyLog,
    Person,
    Program,
    Resource,
    Topic,
    TrainingClass,
    Workshop,
)

from .api import Api
from .factories import (
    REGISTERED_AT,
    add_tutor,
    batch_number,
    enroll,
    make_admin,
    make_announcement,
    make_assignment,
    make_briefing,
    make_class,
    make_org,
    make_person,
    make_submission,
    make_vendor,
    make_workshop,
    open_topic,
    post,
    reference_program,
)

# --- the scenario -------------------------------------------------------------------------------

# One person per role; None signs in as nobody.
ROLES = (
    "province_admin",
    "city_admin",
    "county_admin",
    "school_admin",
    "vendor_staff",
    "leader",
    "tutor",
    "trainee",
    "teacher",
    "anonymous",
)


@dataclass
class Scenario:
    program: Program
    workshop: Workshop
    people: dict[str, Person | None]


async def seed_scenario() -> Scenario:
    """The 2012 calendar; 南昌 东湖区: a high-school maths workshop with its leader, a tutor and
    a class with an enrolled trainee (with homework, an announcement, a briefing, a discussion
    and offline study); admins of every level, vendor staff, and teachers of both schools, with
    known synthetic ID numbers (one ending in X) and mobiles."""
    org = await make_org()
    program = await reference_program()
    vendor = await make_vendor(program, "承训网络培训机构", org.city)
    leader = await make_person("leader", school=org.school)
    workshop = await make_workshop(program, leader)
    tutor = await make_person("tutor", school=org.school)
    await add_tutor(workshop, tutor)
    training_class = await make_class(workshop, tutor)
    trainee = await make_person("trainee", school=org.school)
    enrollment = await enroll(
        trainee, workshop, await batch_number(program, 1), training_class=training_class
    )
    await _seed_class_life(workshop, training_class, tutor, enrollment)
    rural = await make_person("rural", school=org.other_school, track=Track.TRANSITIONAL)
    await enroll(rural, workshop, await batch_number(program, 5), track=Track.TRANSITIONAL)
    await make_person("junior", school=org.other_school, stage=Stage.JUNIOR, subject="语文")
    people: dict[str, Person | None] = {
        "province_admin": await make_admin("province", Role.PROVINCE_ADMIN),
        "city_admin": await make_admin("city", Role.CITY_ADMIN, region=org.other_city),
        "county_admin": await make_admin("county", Role.COUNTY_ADMIN, region=org.county),
        "school_admin": await make_admin("school", Role.SCHOOL_ADMIN, school=org.school),
        "vendor_staff": await make_admin("vendor", Role.VENDOR_STAFF, vendor=vendor),
        "leader": leader,
        "tutor": tutor,
        "trainee": trainee,
        "teacher": await make_person("teacher", school=org.other_school),
        "anonymous": None,
    }
    trainee.id_number = "36010219850615002X"
    await trainee.save(update_fields=["id_number"])
    return Scenario(program=program, workshop=workshop, people=people)


async def _seed_class_life(
    workshop: Workshop, training_class: TrainingClass, tutor: Person, enrollment: Enrollment
) -> None:
    """One of each thing a class does (R8–R11), so that the operations on them have a target."""
    at = REGISTERED_AT + dt.timedelta(days=8)  # 2012-04-28, inside batch 1
    topic = await Topic.filter(workshop_id=workshop.id).order_by("position").first()
    assert topic is not None
    await Resource.create(topic_id=topic.id, title="课例视频", minutes=40)
    assignment = await make_assignment(
        workshop,
        tutor,
        "教学设计",
        instructions="提交一份教学设计",
        due_at=at + dt.timedelta(days=5),
        created_at=at,
    )
    await make_submission(assignment, enrollment, "我的教学设计", at=at)
    await make_announcement(training_class, tutor, "开班通知", body="欢迎", at=at)
    await make_briefing(
        training_class, tutor, 1, "第一期简报", created_at=at, due_at=at + dt.timedelta(days=10)
    )
    discussion = await open_topic(
        workshop, tutor, "如何评课", body="请讨论", at=at, training_class=training_class
    )
    await post(discussion, "我的看法", at, by=enrollment)
    await OfflineStudyLog.create(
        enrollment_id=enrollment.id,
        kind=OfflineKind.LESSON_OBSERVATION,
        studied_on=at.date(),
        minutes=90,
        description="听课",
        logged_at=at,
    )


async def personal_data() -> list[tuple[str, str]]:
    """(ID number, mobile) of everyone in the database."""
    rows = await Person.all().order_by("id").values_list("id_number", "mobile")
    return [(str(id_number), str(mobile)) for id_number, mobile in rows]


def leaks(text: str, people: list[tuple[str, str]]) -> list[str]:
    """Personal data found in `text`: a full ID number or mobile, or the hidden middle of an ID
    number (its birth date and sequence), in any letter case."""
    found = []
    lowered = text.lower()
    for id_number, mobile in people:
        for secret in (id_number, id_number[3:-4], mobile):
            if secret.lower() in lowered:
                found.append(secret)
    return found


def masked_id(id_number: str) -> str:
    return id_number[:3] + "*" * 11 + id_number[-4:]


def masked_mobile(mobile: str) -> str:
    return mobile[:3] + "****" + mobile[-4:]


async def global_ids() -> dict[str, list[str]]:
    """Global ids of every row of every model, by model name (which is the GraphQL type name
    for the types that are nodes; other ids simply find nothing)."""
    found: dict[str, list[str]] = {}
    for app in Tortoise.apps.values():
        for name, model in sorted(app.items()):
            pks = await model.all().order_by("id").values_list("id", flat=True)
            found[name] = [encode_id(name, int(pk)) for pk in pks]
    return found


# --- the crawler ---------------------------------------------------------------------------------

MAX_DEPTH = 4  # object levels below a root field

# Literal values for required arguments of nested fields, by named type.
SAMPLE_VALUES = {
    "Int": "1",
    "Float": "1.0",
    "String": '"a"',
    "Boolean": "true",
    "Date": '"2012-05-01"',
    "DateTime": '"2012-05-01T10:00:00+08:00"',
    "Time": '"10:00:00"',
}


def _sample(type_: graphql.GraphQLInputType) -> str | None:
    named = graphql.get_named_type(type_)
    if isinstance(named, graphql.GraphQLEnumType):
        return next(iter(named.values))
    return SAMPLE_VALUES.get(named.name)


def _arguments(field: graphql.GraphQLField, given: dict[str, str] | None = None) -> str | None:
    """Literals for the required arguments (`given` ones as given, `first` at its maximum);
    None when one cannot be made up."""
    given = given or {}
    parts = []
    for name, argument in field.args.items():
        value = given.get(name)
        if value is None and name == "first":
            value = "100"
        elif value is None and graphql.is_required_argument(argument):
            value = _sample(argument.type)
            if value is None:
                return None
        if value is not None:
            parts.append(f"{name}: {value}")
    return f"({', '.join(parts)})" if parts else ""


def selection(
    schema: graphql.GraphQLSchema, type_: graphql.GraphQLNamedType, path: tuple[str, ...]
) -> str:
    """Every field of `type_` that can be asked for, objects expanded unless already on the path."""
    if isinstance(type_, graphql.GraphQLInterfaceType | graphql.GraphQLUnionType):
        fragments = [
            f"... on {possible.name} {{ {selection(schema, possible, path)} }}"
            for possible in schema.get_possible_types(type_)
            if possible.name not in path
        ]
        return " ".join(["__typename", *fragments])
    assert isinstance(type_, graphql.GraphQLObjectType)
    parts = []
    for name, field in type_.fields.items():
        arguments = _arguments(field)
        named = graphql.get_named_type(field.type)
        if arguments is None or (name == "edges" and "nodes" in type_.fields):
            continue
        # Fields of fragments on different types may share a name but not a type: alias them.
        alias = f"{type_.name}_{name}: "
        if graphql.is_leaf_type(named):
            parts.append(f"{alias}{name}{arguments}")
        elif named.name not in path and len(path) < MAX_DEPTH:
            inner = selection(schema, named, (*path, type_.name))
            parts.append(f"{alias}{name}{arguments} {{ {inner} }}")
    return " ".join(parts) or "__typename"


def _string(value: str) -> str:
    return graphql.print_ast(graphql.StringValueNode(value=value))


def _ids_for(argument: str, ids: dict[str, list[str]]) -> list[str]:
    """Seeded ids that may fit an ID argument, by its name: `classId` → TrainingClass,
    `topicId` → Topic and DiscussionTopic; all ids when no type name fits."""
    base = argument.removesuffix("Ids").removesuffix("Id").lower()
    fitting = [i for name, group in ids.items() if name.lower().endswith(base) for i in group]
    return fitting or [i for group in ids.values() for i in group]


def crawl(schema: graphql.GraphQLSchema, ids: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    """(label, document): each query field, called with fitting seeded ids for its required ID
    arguments; `node(id:)` with every id of a node type and a fragment of that type."""
    query = schema.query_type
    node_interface = schema.get_type("Node")
    assert query is not None
    assert isinstance(node_interface, graphql.GraphQLInterfaceType)
    node_types = {t.name: t for t in schema.get_possible_types(node_interface)}
    for name, field in query.fields.items():
        if name == "node":
            calls = [
                f"n{n}_{type_name}: node(id: {_string(global_id)}) {{ __typename "
                f"... on {type_name} {{ {selection(schema, node_type, (type_name,))} }} }}"
                for type_name, group in ids.items()
                if (node_type := node_types.get(type_name)) is not None
                for n, global_id in enumerate(group)
            ]
            yield name, "{ " + " ".join(calls) + " }"
            continue
        named = graphql.get_named_type(field.type)
        body = "" if graphql.is_leaf_type(named) else f" {{ {selection(schema, named, ())} }}"
        id_arguments = [
            arg
            for arg, argument in field.args.items()
            if graphql.is_required_argument(argument)
            and graphql.get_named_type(argument.type).name == "ID"
        ]
        # One call per request: a refusal of a non-null field would null the whole document.
        for combination in itertools.product(*(_ids_for(arg, ids) for arg in id_arguments)):
            given = {arg: _string(i) for arg, i in zip(id_arguments, combination, strict=True)}
            arguments = _arguments(field, given)
            if arguments is not None:
                yield f"{name}{arguments}", f"{{ {name}{arguments}{body} }}"


# --- tests -------------------------------------------------------------------------------------


@pytest.fixture
def crawl_settings(settings: Settings) -> Settings:
    """The crawl's documents are large and many (every query with every id): the limits are
    not what this test is about."""
    return replace(
        settings,
        # `importJob(id:)` and the reports are asked with every seeded id, as each role.
        rate_limit_points_per_minute=10**10,
        max_query_depth=100,
        max_query_tokens=10_000_000,
        max_aliases=100_000,
        max_body_bytes=100_000_000,
    )


# The crawl asks for every field at once (the region tree's children under every node too).
@pytest.mark.uncosted
async def test_the_crawl_of_every_query_shows_no_personal_data_to_any_role(
    db: str, crawl_settings: Settings, clock: FixedClock
) -> None:
    scenario = await seed_scenario()
    people = await personal_data()
    schema = graphql.build_schema(build_schema().as_str())
    documents = list(crawl(schema, await global_ids()))
    app = create_app(crawl_settings, clock=clock, manage_database=False)
    seen_by_admin = ""
    problems: list[str] = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://lms.test"
    ) as client:
        api = Api(client, crawl_settings, clock)
        for role, person in scenario.people.items():
            for label, document in documents:
                response = await api.post(document, as_=person)
                body = response.json()
                codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
                if response.status_code != 200 or "INTERNAL_SERVER_ERROR" in codes:
                    problems.append(f"{role} {label}: {response.status_code} {body}")
                if found := leaks(response.text, people):
                    problems.append(f"{role} {label}: shows {found}")
                if role == "province_admin":
                    seen_by_admin += response.text
    assert problems == []
    # The crawl reached people: the province admin saw every teacher, masked.
    teachers = await Person.filter(school_id__isnull=False).values_list("id_number", "mobile")
    assert len(teachers) == 6
    for id_number, mobile in teachers:
        assert masked_id(str(id_number)) in seen_by_admin
        assert masked_mobile(str(mobile)) in seen_by_admin


PERSON = "idNumberMasked mobileMasked"


async def test_the_viewer_sees_their_own_data_masked(api: Api) -> None:
    scenario = await seed_scenario()
    for role, person in scenario.people.items():
        if person is None:
            continue
        await person.refresh_from_db()
        data = await api.data(f"{{ viewer {{ person {{ {PERSON} }} }} }}", as_=person)
        assert data == {
            "viewer": {
                "person": {
                    "idNumberMasked": masked_id(str(person.id_number)),
                    "mobileMasked": masked_mobile(str(person.mobile)),
                }
            }
        }, role


async def test_masks_show_the_first_three_and_the_last_four(api: Api) -> None:
    scenario = await seed_scenario()
    trainee = scenario.people["trainee"]
    assert trainee is not None
    trainee.mobile = "13907910123"
    await trainee.save(update_fields=["mobile"])

    data = await api.data(f"{{ viewer {{ person {{ {PERSON} }} }} }}", as_=trainee)

    assert data == {
        "viewer": {
            "person": {"idNumberMasked": "360***********002X", "mobileMasked": "139****0123"}
        }
    }


async def test_node_shows_teachers_masked_to_the_province_admin(api: Api) -> None:
    scenario = await seed_scenario()
    people = await Person.filter(school_id__isnull=False).order_by("id")
    query = "query ($id: ID!) { node(id: $id) { ... on Person { username " + PERSON + " } } }"
    for person in people:
        data = await api.data(
            query, {"id": encode_id("Person", person.id)}, as_=scenario.people["province_admin"]
        )
        assert data == {
            "node": {
                "username": person.username,
                "idNumberMasked": masked_id(str(person.id_number)),
                "mobileMasked": masked_mobile(str(person.mobile)),
            }
        }


async def test_teacher_rosters_show_people_masked(api: Api) -> None:
    scenario = await seed_scenario()
    query = "{ teachers(first: 100) { nodes { username " + PERSON + " } } }"
    data = await api.data(query, as_=scenario.people["county_admin"])
    teachers = await Person.filter(school__county__name="东湖区").order_by("id")
    assert data == {
        "teachers": {
            "nodes": [
                {
                    "username": t.username,
                    "idNumberMasked": masked_id(str(t.id_number)),
                    "mobileMasked": masked_mobile(str(t.mobile)),
                }
                for t in teachers
            ]
        }
    }


@pytest.mark.uncosted  # every person field of every list at once (test_cost.py)
async def test_workshop_leaders_and_tutor_teams_show_people_masked(api: Api) -> None:
    scenario = await seed_scenario()
    leader, tutor = scenario.people["leader"], scenario.people["tutor"]
    assert leader is not None
    assert tutor is not None
    query = (
        "{ workshops(first: 100) { nodes { leader { " + PERSON + " } "
        "tutorTeam { person { " + PERSON + " } } classes { tutor { " + PERSON + " } } } } }"
    )
    data = await api.data(query, as_=scenario.people["trainee"])

    def shown(person: Person) -> dict[str, str]:
        return {
            "idNumberMasked": masked_id(str(person.id_number)),
            "mobileMasked": masked_mobile(str(person.mobile)),
        }

    assert data == {
        "workshops": {
            "nodes": [
                {
                    "leader": shown(leader),
                    "tutorTeam": [{"person": shown(tutor)}],
                    "classes": [{"tutor": shown(tutor)}],
                }
            ]
        }
    }


def test_the_leak_detector_finds_what_it_should() -> None:
    people = [("36010219850615002X", "13907910123")]
    assert leaks('{"idNumber":"36010219850615002x"}', people) == [
        "36010219850615002X",
        "10219850615",
    ]
    assert leaks('{"born":"10219850615"}', people) == ["10219850615"]
    assert leaks('{"mobile":"13907910123"}', people) == ["13907910123"]
    assert (
        leaks('{"idNumberMasked":"360***********002X","mobileMasked":"139****0123"}', people) == []
    )
    assert re.fullmatch(r"360\*{11}002X", masked_id("36010219850615002X"))
