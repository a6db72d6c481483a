"""Workshops over HTTP: the catalogue, node scope, and setting up workshops, topics, resources,
classes and trainees' places (who may, and every refusal at its edge)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.enums import EnrollmentStatus, Role, Stage
from lms_plugin.storage.models import (
    Enrollment,
    Person,
    Program,
    Resource,
    TrainingClass,
    TutorTeamPolicy,
    Workshop,
)

from .api import Api
from .factories import (
    add_tutor,
    batch_number,
    enroll,
    gid,
    make_admin,
    make_class,
    make_org,
    make_person,
    make_workshop,
    reference_program,
)


@dataclass
class Scene:
    """The high-school mathematics workshop of the 2012 program, with its people."""

    program: Program
    admin: Person
    county_admin: Person
    leader: Person
    workshop: Workshop
    tutor: Person  # runs the class
    other_tutor: Person  # in the team, no class
    training_class: TrainingClass
    trainee: Person  # placed in the class
    enrollment: Enrollment
    other_leader: Person
    other_workshop: Workshop  # high-school Chinese
    teacher: Person  # no role here


async def _scene() -> Scene:
    program = await reference_program()
    org = await make_org()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    county_admin = await make_admin("county", Role.COUNTY_ADMIN, region=org.county)
    leader = await make_person("leader", real_name="王名师")
    tutor, other_tutor = await make_person("tutor"), await make_person("tutor2")
    workshop = await make_workshop(program, leader, tutors=(tutor, other_tutor))
    training_class = await make_class(workshop, tutor)
    trainee = await make_person("trainee", school=org.school)
    enrollment = await enroll(
        trainee, workshop, await batch_number(program, 1), training_class=training_class
    )
    other_leader = await make_person("leader2", subject="语文")
    other_workshop = await make_workshop(program, other_leader, subject="语文")
    return Scene(
        program=program,
        admin=admin,
        county_admin=county_admin,
        leader=leader,
        workshop=workshop,
        tutor=tutor,
        other_tutor=other_tutor,
        training_class=training_class,
        trainee=trainee,
        enrollment=enrollment,
        other_leader=other_leader,
        other_workshop=other_workshop,
        teacher=await make_person("teacher"),
    )


def _errors(
    mutation: str, *errors: tuple[str, list[str], str], object_field: str
) -> dict[str, Any]:
    return {
        mutation: {
            object_field: None,
            "userErrors": [
                {"code": code, "field": ["input", *field], "message": message}
                for code, field, message in errors
            ],
        }
    }


# The catalogue

# Topics with their resources, per workshop of a page of 20: over the cost budget with the lists'
# estimate of 10 each (test_cost.py), so the catalogue's tests lift it.
CATALOGUE = """
query ($programId: ID, $stage: Stage, $subject: String, $first: Int, $after: String) {
  workshops(programId: $programId, stage: $stage, subject: $subject, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage }
    edges { cursor }
    nodes {
      name stage subject tutorCap placesLeft
      leader { username realName }
      topics { title position resources { title url minutes } }
      tutorTeam { person { username } }
    }
  }
}"""


@pytest.mark.uncosted
async def test_the_catalogue_shows_leader_topics_team_and_places_to_any_teacher(api: Api) -> None:
    scene = await _scene()
    topic_id = (await scene.workshop.topics.all().order_by("position"))[0].id
    await Resource.create(topic_id=topic_id, title="课例", url="https://v.example/1", minutes=45)

    data = await api.data(CATALOGUE, {"stage": "HIGH", "subject": "数学"}, as_=scene.teacher)

    edges = data["workshops"].pop("edges")
    assert data == {
        "workshops": {
            "totalCount": 1,
            "pageInfo": {"hasNextPage": False},
            "nodes": [
                {
                    "name": "high-数学名师网络研修工作室",
                    "stage": "HIGH",
                    "subject": "数学",
                    "tutorCap": 8,
                    "placesLeft": 6,
                    "leader": {"username": "leader", "realName": "王名师"},
                    "topics": [
                        {
                            "title": "专题1",
                            "position": 0,
                            "resources": [
                                {"title": "课例", "url": "https://v.example/1", "minutes": 45}
                            ],
                        },
                        {"title": "专题2", "position": 1, "resources": []},
                    ],
                    "tutorTeam": [
                        {"person": {"username": "tutor"}},
                        {"person": {"username": "tutor2"}},
                    ],
                }
            ],
        }
    }
    assert len(edges) == 1


@pytest.mark.uncosted
@pytest.mark.parametrize(
    ("stage", "names"),
    [
        ("HIGH", ["high-数学名师网络研修工作室"]),
        ("VOCATIONAL", ["high-数学名师网络研修工作室"]),  # R4: 职业中学 studies with 高中
        ("JUNIOR", []),
    ],
)
async def test_the_catalogue_filters_by_stage(api: Api, stage: str, names: list[str]) -> None:
    scene = await _scene()

    data = await api.data(CATALOGUE, {"stage": stage, "subject": "数学"}, as_=scene.teacher)

    assert [node["name"] for node in data["workshops"]["nodes"]] == names


@pytest.mark.uncosted
async def test_the_catalogue_pages_and_filters_by_program(api: Api) -> None:
    scene = await _scene()
    later = await reference_program()
    await make_workshop(later, scene.leader, stage=Stage.JUNIOR)

    first = await api.data(CATALOGUE, {"first": 1}, as_=scene.teacher)
    rest = await api.data(
        CATALOGUE,
        {"first": 5, "after": first["workshops"]["edges"][0]["cursor"]},
        as_=scene.teacher,
    )
    of_later = await api.data(CATALOGUE, {"programId": gid(later)}, as_=scene.teacher)

    def names(data: dict[str, Any]) -> tuple[int, bool, list[str]]:
        page = data["workshops"]
        return (
            page["totalCount"],
            page["pageInfo"]["hasNextPage"],
            [n["name"] for n in page["nodes"]],
        )

    assert names(first) == (3, True, ["high-数学名师网络研修工作室"])
    assert names(rest) == (
        3,
        False,
        ["high-语文名师网络研修工作室", "junior-数学名师网络研修工作室"],
    )
    assert names(of_later) == (1, False, ["junior-数学名师网络研修工作室"])


@pytest.mark.uncosted
async def test_the_catalogue_needs_a_sign_in_before_it_reads_its_arguments(api: Api) -> None:
    await _scene()

    anonymous = await api.gql(CATALOGUE, {"programId": "not-an-id"}, as_=None)

    assert anonymous["data"] is None
    assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]


@pytest.mark.uncosted
@pytest.mark.parametrize("program_id", ["not-an-id", "workshop"])
async def test_a_program_id_that_names_no_program_lists_nothing(api: Api, program_id: str) -> None:
    scene = await _scene()
    wrong = gid(scene.workshop) if program_id == "workshop" else program_id

    data = await api.data(CATALOGUE, {"programId": wrong}, as_=scene.teacher)

    assert data == {
        "workshops": {"totalCount": 0, "pageInfo": {"hasNextPage": False}, "edges": [], "nodes": []}
    }


# node(id:) scope

NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename
    ... on Workshop { name }
    ... on Topic { title }
    ... on Resource { title }
    ... on TrainingClass { name tutor { username } workshop { name } }
  }
}"""


async def test_catalogue_objects_load_by_id_for_anyone_signed_in(api: Api) -> None:
    scene = await _scene()
    topic = (await scene.workshop.topics.all().order_by("position"))[0]
    resource = await Resource.create(topic_id=topic.id, title="课例")

    found = [
        (await api.data(NODE, {"id": global_id}, as_=scene.teacher))["node"]
        for global_id in (
            gid(scene.workshop),
            gid(topic),
            gid(resource),
            encode_id("Workshop", 999),
        )
    ]

    assert found == [
        {"__typename": "Workshop", "name": "high-数学名师网络研修工作室"},
        {"__typename": "Topic", "title": "专题1"},
        {"__typename": "Resource", "title": "课例"},
        None,
    ]


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("tutor", True),
        ("leader", True),
        ("other_tutor", True),
        ("trainee", True),
        ("admin", True),
        ("unplaced_trainee", False),
        ("teacher", False),
        ("other_leader", False),
        ("county_admin", False),
    ],
)
async def test_a_class_is_visible_in_its_scope_only(api: Api, who: str, visible: bool) -> None:
    scene = await _scene()
    unplaced = await make_person("unplaced")
    await enroll(unplaced, scene.workshop, await batch_number(scene.program, 1))
    viewer = unplaced if who == "unplaced_trainee" else getattr(scene, who)

    data = await api.data(NODE, {"id": gid(scene.training_class)}, as_=viewer)

    expected = {
        "__typename": "TrainingClass",
        "name": "一班",
        "tutor": {"username": "tutor"},
        "workshop": {"name": "high-数学名师网络研修工作室"},
    }
    assert data == {"node": expected if visible else None}


# Workshops

WORKSHOP_FIELDS = """
    workshop {
      name stage subject description researchPlan tutorCap placesLeft
      leader { username } topics { title } tutorTeam { person { username } }
    }
    userErrors { code field message }"""
CREATE_WORKSHOP = (
    "mutation ($input: CreateWorkshopInput!) { createWorkshop(input: $input) {"
    + WORKSHOP_FIELDS
    + "} }"
)
UPDATE_WORKSHOP = (
    "mutation ($input: UpdateWorkshopInput!) { updateWorkshop(input: $input) {"
    + WORKSHOP_FIELDS
    + "} }"
)


def _new_workshop(scene: Scene, **changes: Any) -> dict[str, Any]:
    values = {
        "programId": gid(scene.program),
        "name": " 初中数学名师工作室 ",
        "stage": "JUNIOR",
        "subject": "数学",
        "leaderId": gid(scene.other_leader),
        "researchPlan": "研修方案",
    }
    return {"input": {**values, **changes}}


async def test_a_province_admin_sets_up_a_workshop_with_the_programs_tutor_cap(api: Api) -> None:
    scene = await _scene()
    await TutorTeamPolicy.filter(program_id=scene.program.id).update(cap=5)

    data = await api.data(CREATE_WORKSHOP, _new_workshop(scene), as_=scene.admin)

    assert data == {
        "createWorkshop": {
            "workshop": {
                "name": "初中数学名师工作室",
                "stage": "JUNIOR",
                "subject": "数学",
                "description": "",
                "researchPlan": "研修方案",
                "tutorCap": 5,
                "placesLeft": 5,
                "leader": {"username": "leader2"},
                "topics": [],
                "tutorTeam": [],
            },
            "userErrors": [],
        }
    }


@pytest.mark.parametrize(
    ("stage", "subject", "same_program", "refused"),
    [
        ("HIGH", "数学", True, True),
        ("HIGH", " 数学 ", True, True),
        ("HIGH", "物理", True, False),
        ("JUNIOR", "数学", True, False),
        ("HIGH", "数学", False, False),
    ],
)
async def test_one_workshop_per_stage_and_subject_in_a_program(
    api: Api, stage: str, subject: str, same_program: bool, refused: bool
) -> None:
    scene = await _scene()
    program = scene.program if same_program else await reference_program()
    variables = _new_workshop(scene, stage=stage, subject=subject, programId=gid(program))

    data = await api.data(CREATE_WORKSHOP, variables, as_=scene.admin)

    if refused:
        assert data == _errors(
            "createWorkshop",
            ("WORKSHOP_EXISTS", ["subject"], "本项目已有高中数学工作室（每个学段学科一个）"),
            object_field="workshop",
        )
    else:
        assert data["createWorkshop"]["userErrors"] == []
        assert data["createWorkshop"]["workshop"]["subject"] == subject.strip()
    assert await Workshop.filter(program_id=program.id).count() == (
        (2 if refused else 3) if same_program else 1
    )


async def test_a_workshop_needs_a_name_a_subject_a_workshop_stage_and_a_leader(api: Api) -> None:
    scene = await _scene()
    variables = _new_workshop(
        scene, name=" ", subject="", stage="VOCATIONAL", leaderId=encode_id("Person", 999)
    )

    data = await api.data(CREATE_WORKSHOP, variables, as_=scene.admin)

    assert data == _errors(
        "createWorkshop",
        ("INVALID_INPUT", ["name"], "工作室名称不能为空"),
        ("INVALID_INPUT", ["subject"], "学科不能为空"),
        ("INVALID_INPUT", ["stage"], "职业中学教师选学高中工作室，不单设职业中学工作室"),
        ("NOT_FOUND", ["leaderId"], "找不到该主持人"),
        object_field="workshop",
    )


async def test_a_province_admin_changes_a_workshops_leader_and_plan(api: Api) -> None:
    scene = await _scene()
    variables = {
        "input": {
            "id": gid(scene.workshop),
            "leaderId": gid(scene.tutor),
            "researchPlan": "新方案",
            "name": None,
        }
    }

    data = await api.data(UPDATE_WORKSHOP, variables, as_=scene.admin)

    assert data == {
        "updateWorkshop": {
            "workshop": {
                "name": "high-数学名师网络研修工作室",
                "stage": "HIGH",
                "subject": "数学",
                "description": "",
                "researchPlan": "新方案",
                "tutorCap": 8,
                "placesLeft": 6,
                "leader": {"username": "tutor"},
                "topics": [{"title": "专题1"}, {"title": "专题2"}],
                "tutorTeam": [
                    {"person": {"username": "tutor"}},
                    {"person": {"username": "tutor2"}},
                ],
            },
            "userErrors": [],
        }
    }


async def test_a_workshop_cannot_move_onto_another_workshops_subject(api: Api) -> None:
    scene = await _scene()
    variables = {"input": {"id": gid(scene.other_workshop), "subject": "数学"}}

    data = await api.data(UPDATE_WORKSHOP, variables, as_=scene.admin)

    assert data == _errors(
        "updateWorkshop",
        ("WORKSHOP_EXISTS", ["subject"], "本项目已有高中数学工作室（每个学段学科一个）"),
        object_field="workshop",
    )


@pytest.mark.parametrize(
    ("which", "changes", "refused"),
    [
        ("enrolled", {"subject": "物理"}, True),
        ("enrolled", {"stage": "JUNIOR"}, True),
        ("enrolled", {"subject": " 数学 ", "name": "新名称"}, False),
        ("empty", {"subject": "物理"}, False),
    ],
)
async def test_stage_and_subject_are_fixed_once_trainees_enrolled(
    api: Api, which: str, changes: dict[str, str], refused: bool
) -> None:
    scene = await _scene()
    workshop = scene.workshop if which == "enrolled" else scene.other_workshop
    variables = {"input": {"id": gid(workshop), **changes}}

    data = await api.data(UPDATE_WORKSHOP, variables, as_=scene.admin)

    if refused:
        assert data == _errors(
            "updateWorkshop",
            ("INVALID_INPUT", ["stage"], "已有学员报名该工作室，不能修改学段或学科"),
            object_field="workshop",
        )
    else:
        assert data["updateWorkshop"]["userErrors"] == []
        stored = await Workshop.get(id=workshop.id)
        assert stored.subject == changes["subject"].strip()


# Topics and resources

TOPIC = "topic { title summary position } userErrors { code field message }"
CREATE_TOPIC = (
    f"mutation ($input: CreateTopicInput!) {{ createTopic(input: $input) {{ {TOPIC} }} }}"
)
UPDATE_TOPIC = (
    f"mutation ($input: UpdateTopicInput!) {{ updateTopic(input: $input) {{ {TOPIC} }} }}"
)
ADD_RESOURCE = """
mutation ($input: AddResourceInput!) {
  addResource(input: $input) {
    resource { title url minutes }
    userErrors { code field message }
  }
}"""


async def _first_topic_id(workshop: Workshop) -> str:
    topic = (await workshop.topics.all().order_by("position"))[0]
    return gid(topic)


@pytest.mark.parametrize("who", ["leader", "admin"])
async def test_a_topic_goes_after_the_others_or_where_it_is_put(api: Api, who: str) -> None:
    scene = await _scene()
    caller = getattr(scene, who)
    appended = {"input": {"workshopId": gid(scene.workshop), "title": " 课堂观察 "}}
    placed = {"input": {**appended["input"], "title": "说课", "summary": "概要", "position": 0}}

    first = await api.data(CREATE_TOPIC, appended, as_=caller)
    second = await api.data(CREATE_TOPIC, placed, as_=caller)

    assert (first, second) == (
        {
            "createTopic": {
                "topic": {"title": "课堂观察", "summary": "", "position": 2},
                "userErrors": [],
            }
        },
        {
            "createTopic": {
                "topic": {"title": "说课", "summary": "概要", "position": 0},
                "userErrors": [],
            }
        },
    )


async def test_a_topic_needs_a_title_and_a_position_from_zero(api: Api) -> None:
    scene = await _scene()
    variables = {"input": {"workshopId": gid(scene.workshop), "title": " ", "position": -1}}

    data = await api.data(CREATE_TOPIC, variables, as_=scene.leader)

    assert data == _errors(
        "createTopic",
        ("INVALID_INPUT", ["title"], "专题名称不能为空"),
        ("INVALID_INPUT", ["position"], "不能为负数"),
        object_field="topic",
    )
    assert await scene.workshop.topics.all().count() == 2


async def test_the_leader_changes_a_topic(api: Api) -> None:
    scene = await _scene()
    topic_id = await _first_topic_id(scene.workshop)

    changed = await api.data(
        UPDATE_TOPIC,
        {"input": {"id": topic_id, "summary": "新概要", "position": 3}},
        as_=scene.leader,
    )
    refused = await api.data(
        UPDATE_TOPIC, {"input": {"id": topic_id, "position": -1}}, as_=scene.leader
    )

    assert changed == {
        "updateTopic": {
            "topic": {"title": "专题1", "summary": "新概要", "position": 3},
            "userErrors": [],
        }
    }
    assert refused == _errors(
        "updateTopic", ("INVALID_INPUT", ["position"], "不能为负数"), object_field="topic"
    )


@pytest.mark.parametrize("who", ["leader", "admin"])
@pytest.mark.parametrize("url", ["", "https://v.example/1", "http://v.example/1"])
async def test_a_resource_is_added_to_a_topic(api: Api, who: str, url: str) -> None:
    scene = await _scene()
    variables = {
        "input": {"topicId": await _first_topic_id(scene.workshop), "title": " 课例 ", "url": url}
    }

    data = await api.data(ADD_RESOURCE, variables, as_=getattr(scene, who))

    assert data == {
        "addResource": {"resource": {"title": "课例", "url": url, "minutes": 0}, "userErrors": []}
    }


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://v.example/1", "//v.example/1"])
async def test_a_resource_needs_a_title_a_web_address_and_minutes_from_zero(
    api: Api, url: str
) -> None:
    scene = await _scene()
    variables = {
        "input": {
            "topicId": await _first_topic_id(scene.workshop),
            "title": "",
            "url": url,
            "minutes": -1,
        }
    }

    data = await api.data(ADD_RESOURCE, variables, as_=scene.leader)

    assert data == _errors(
        "addResource",
        ("INVALID_INPUT", ["title"], "资源名称不能为空"),
        ("INVALID_INPUT", ["url"], "链接须以 http:// 或 https:// 开头"),
        ("INVALID_INPUT", ["minutes"], "不能为负数"),
        object_field="resource",
    )
    assert await Resource.all().count() == 0


# Classes and trainees

CREATE_CLASS = """
mutation ($input: CreateClassInput!) {
  createClass(input: $input) {
    trainingClass { name tutor { username } workshop { name } }
    userErrors { code field message }
  }
}"""
ASSIGN = """
mutation ($input: AssignTraineesInput!) {
  assignTrainees(input: $input) {
    trainingClass { name }
    enrollments { teacher { username } trainingClass { name } tutor { username } }
    userErrors { code field message }
  }
}"""


@pytest.mark.parametrize("who", ["leader", "admin"])
async def test_a_class_is_run_by_a_member_of_the_team(api: Api, who: str) -> None:
    scene = await _scene()
    variables = {
        "input": {
            "workshopId": gid(scene.workshop),
            "name": " 二班 ",
            "tutorId": gid(scene.other_tutor),
        }
    }

    data = await api.data(CREATE_CLASS, variables, as_=getattr(scene, who))

    assert data == {
        "createClass": {
            "trainingClass": {
                "name": "二班",
                "tutor": {"username": "tutor2"},
                "workshop": {"name": "high-数学名师网络研修工作室"},
            },
            "userErrors": [],
        }
    }


@pytest.mark.parametrize(
    ("name", "tutor", "error"),
    [
        ("二班", "teacher", ("NOT_A_MEMBER", "tutorId", "班级辅导教师须为本工作室辅导团队成员")),
        ("二班", "other_team", ("NOT_A_MEMBER", "tutorId", "班级辅导教师须为本工作室辅导团队成员")),
        ("一班", "other_tutor", ("INVALID_INPUT", "name", "本工作室已有同名班级")),
        (" ", "other_tutor", ("INVALID_INPUT", "name", "班级名称不能为空")),
    ],
)
async def test_a_class_needs_a_team_member_and_a_new_name(
    api: Api, name: str, tutor: str, error: tuple[str, str, str]
) -> None:
    scene = await _scene()
    if tutor == "other_team":
        person = await make_person("other_team")
        await add_tutor(scene.other_workshop, person)
    else:
        person = getattr(scene, tutor)
    variables = {"input": {"workshopId": gid(scene.workshop), "name": name, "tutorId": gid(person)}}

    data = await api.data(CREATE_CLASS, variables, as_=scene.leader)

    code, field, message = error
    assert data == _errors("createClass", (code, [field], message), object_field="trainingClass")
    assert await TrainingClass.filter(workshop_id=scene.workshop.id).count() == 1


async def _unplaced(scene: Scene, username: str, workshop: Workshop | None = None) -> Enrollment:
    return await enroll(
        await make_person(username),
        workshop or scene.workshop,
        await batch_number(scene.program, 1),
    )


@pytest.mark.parametrize("who", ["leader", "admin"])
async def test_trainees_of_the_workshop_are_placed_in_a_class(api: Api, who: str) -> None:
    scene = await _scene()
    first, second = await _unplaced(scene, "trainee2"), await _unplaced(scene, "trainee3")
    variables = {
        "input": {"classId": gid(scene.training_class), "enrollmentIds": [gid(second), gid(first)]}
    }

    data = await api.data(ASSIGN, variables, as_=getattr(scene, who))

    placed = {"trainingClass": {"name": "一班"}, "tutor": {"username": "tutor"}}
    assert data == {
        "assignTrainees": {
            "trainingClass": {"name": "一班"},
            "enrollments": [
                {"teacher": {"username": "trainee2"}, **placed},
                {"teacher": {"username": "trainee3"}, **placed},
            ],
            "userErrors": [],
        }
    }


async def test_trainees_are_placed_all_or_none(api: Api) -> None:
    scene = await _scene()
    good = await _unplaced(scene, "trainee2")
    elsewhere = await _unplaced(scene, "chinese", scene.other_workshop)
    withdrawn = await _unplaced(scene, "withdrawn")
    await Enrollment.filter(id=withdrawn.id).update(status=EnrollmentStatus.WITHDRAWN)
    ids = [gid(good), gid(elsewhere), encode_id("Enrollment", 999), gid(withdrawn)]

    data = await api.data(
        ASSIGN,
        {"input": {"classId": gid(scene.training_class), "enrollmentIds": ids}},
        as_=scene.leader,
    )

    assert data == {
        "assignTrainees": {
            "trainingClass": None,
            "enrollments": None,
            "userErrors": [
                {
                    "code": "WORKSHOP_MISMATCH",
                    "field": ["input", "enrollmentIds", "1"],
                    "message": "该学员报名的不是本班所在工作室",
                },
                {
                    "code": "NOT_FOUND",
                    "field": ["input", "enrollmentIds", "2"],
                    "message": "找不到该报名",
                },
                {
                    "code": "NOT_ENROLLED",
                    "field": ["input", "enrollmentIds", "3"],
                    "message": "该学员已退出研修",
                },
            ],
        }
    }
    assert await Enrollment.filter(training_class_id=scene.training_class.id).count() == 1


@pytest.mark.parametrize("count", [0, 100, 101])
async def test_one_to_a_hundred_trainees_are_placed_at_a_time(api: Api, count: int) -> None:
    scene = await _scene()
    ids = [encode_id("Enrollment", 1000 + n) for n in range(count)]

    data = await api.data(
        ASSIGN,
        {"input": {"classId": gid(scene.training_class), "enrollmentIds": ids}},
        as_=scene.leader,
    )

    errors = data["assignTrainees"]["userErrors"]
    if count == 100:  # inside the limit: each unknown id is named
        assert errors == [
            {
                "code": "NOT_FOUND",
                "field": ["input", "enrollmentIds", str(n)],
                "message": "找不到该报名",
            }
            for n in range(100)
        ]
    else:
        assert errors == [
            {
                "code": "INVALID_INPUT",
                "field": ["input", "enrollmentIds"],
                "message": "每次分配1至100名学员",
            }
        ]


# Who may: every mutation as a role outside its scope and without a token


def _variables(mutation: str, scene: Scene, topic_id: str) -> dict[str, Any]:
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        CREATE_WORKSHOP: lambda: _new_workshop(scene),
        UPDATE_WORKSHOP: lambda: {"input": {"id": gid(scene.workshop), "name": "新名称"}},
        CREATE_TOPIC: lambda: {"input": {"workshopId": gid(scene.workshop), "title": "新专题"}},
        UPDATE_TOPIC: lambda: {"input": {"id": topic_id, "title": "新名称"}},
        ADD_RESOURCE: lambda: {"input": {"topicId": topic_id, "title": "课例"}},
        CREATE_CLASS: lambda: {
            "input": {
                "workshopId": gid(scene.workshop),
                "name": "二班",
                "tutorId": gid(scene.other_tutor),
            }
        },
        ASSIGN: lambda: {
            "input": {
                "classId": gid(scene.training_class),
                "enrollmentIds": [gid(scene.enrollment)],
            }
        },
    }
    return builders[mutation]()


ADMIN_ONLY = [CREATE_WORKSHOP, UPDATE_WORKSHOP]
ADMIN_OR_LEADER = [CREATE_TOPIC, UPDATE_TOPIC, ADD_RESOURCE, CREATE_CLASS, ASSIGN]


@pytest.mark.parametrize(
    ("mutation", "who"),
    [(m, who) for m in ADMIN_ONLY for who in ["leader", "county_admin", "teacher", "nobody"]]
    + [
        (m, who)
        for m in ADMIN_OR_LEADER
        for who in ["other_leader", "tutor", "county_admin", "nobody"]
    ],
)
async def test_a_mutation_outside_ones_scope_is_forbidden(
    api: Api, mutation: str, who: str
) -> None:
    scene = await _scene()
    caller = None if who == "nobody" else getattr(scene, who)
    before = await _snapshot(scene)

    body = await api.gql(
        mutation, _variables(mutation, scene, await _first_topic_id(scene.workshop)), as_=caller
    )

    expected = "UNAUTHENTICATED" if caller is None else "FORBIDDEN"
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [expected]
    assert await _snapshot(scene) == before


async def _snapshot(scene: Scene) -> tuple[Any, ...]:
    """What the mutations above could change."""
    return (
        await Workshop.all().order_by("id").values_list("name", "stage", "subject", "leader_id"),
        await scene.workshop.topics.all().order_by("id").values_list("title", "position"),
        await Resource.all().count(),
        await TrainingClass.all().order_by("id").values_list("name", "tutor_id"),
        await Enrollment.all().order_by("id").values_list("id", "training_class_id"),
    )
