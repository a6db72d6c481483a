"""The workshop of batch 1 (window 4/27–5/8 2012) with its two classes and their trainees, for
the class-communication and tutor-desk tests."""

import datetime as dt
from dataclasses import dataclass

from lms_plugin.storage.models import DiscussionTopic, Enrollment, Person

from .conftest import local
from .factories import Classes, enroll, gid, make_classes, make_person, open_topic


@dataclass
class World(Classes):
    # 张三 and 李四 in 一班, 王五 in 二班; 赵六 is a teacher enrolled nowhere.
    zhang: Person
    li: Person
    wang: Person
    zhao: Person
    zhang_enrollment: Enrollment
    li_enrollment: Enrollment
    wang_enrollment: Enrollment

    @property
    def class_id(self) -> str:
        return gid(self.training_class)

    @property
    def other_class_id(self) -> str:
        return gid(self.other_class)

    @property
    def workshop_id(self) -> str:
        return gid(self.workshop)


async def make_world() -> World:
    classes = await make_classes()
    school = classes.org.school
    zhang = await make_person("zhang", school=school, real_name="张三")
    li = await make_person("li", school=school, real_name="李四")
    wang = await make_person("wang", school=school, real_name="王五")
    zhao = await make_person("zhao", school=school, real_name="赵六")
    workshop, batch = classes.workshop, classes.batch
    return World(
        **vars(classes),
        zhang=zhang,
        li=li,
        wang=wang,
        zhao=zhao,
        zhang_enrollment=await enroll(
            zhang, workshop, batch, training_class=classes.training_class
        ),
        li_enrollment=await enroll(li, workshop, batch, training_class=classes.training_class),
        wang_enrollment=await enroll(wang, workshop, batch, training_class=classes.other_class),
    )


# When the topics of the tests are opened: after registration (4/20–4/25), before the window.
TOPICS_OPEN = local(2012, 4, 26, 9, 0)


async def class_topic(
    world: World, title: str = "如何设计探究课", at: dt.datetime = TOPICS_OPEN
) -> DiscussionTopic:
    """A topic the tutor opened in 一班."""
    return await open_topic(
        world.workshop,
        world.tutor,
        title,
        body="请结合课例讨论。",
        at=at,
        training_class=world.training_class,
    )


async def workshop_topic(world: World, title: str = "工作室研讨") -> DiscussionTopic:
    """A workshop-wide topic the leader opened."""
    return await open_topic(
        world.workshop, world.leader, title, body="全体学员参与。", at=TOPICS_OPEN
    )
