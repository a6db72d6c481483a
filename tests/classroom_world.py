"""A workshop of batch 1 (window 4/27–5/8 2012) with two classes, for the class-communication
and tutor-desk tests."""

from dataclasses import dataclass

from lms_plugin.schema.ids import encode_id
from lms_plugin.storage.models import Enrollment, Person, Program, TrainingClass, Workshop

from .factories import (
    add_tutor,
    batch_number,
    enroll,
    make_class,
    make_org,
    make_person,
    make_workshop,
    reference_program,
)


@dataclass
class World:
    program: Program
    workshop: Workshop
    leader: Person
    tutor: Person
    other_tutor: Person
    klass: TrainingClass
    other_class: TrainingClass
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
        return str(encode_id("TrainingClass", self.klass.id))

    @property
    def other_class_id(self) -> str:
        return str(encode_id("TrainingClass", self.other_class.id))

    @property
    def workshop_id(self) -> str:
        return str(encode_id("Workshop", self.workshop.id))

    def person(self, name: str) -> Person | None:
        """A role of the tests by name; "nobody" is a request without a token."""
        return None if name == "nobody" else getattr(self, name)


async def make_world() -> World:
    program = await reference_program()
    org = await make_org()
    batch = await batch_number(program, 1)
    leader = await make_person("leader", school=org.school, real_name="名师")
    tutor = await make_person("tutor", school=org.school, real_name="辅导甲")
    other_tutor = await make_person("tutor2", school=org.school, real_name="辅导乙")
    workshop = await make_workshop(program, leader)
    await add_tutor(workshop, tutor)
    await add_tutor(workshop, other_tutor)
    klass = await make_class(workshop, tutor, "一班")
    other_class = await make_class(workshop, other_tutor, "二班")
    zhang = await make_person("zhang", school=org.school, real_name="张三")
    li = await make_person("li", school=org.school, real_name="李四")
    wang = await make_person("wang", school=org.school, real_name="王五")
    zhao = await make_person("zhao", school=org.school, real_name="赵六")
    return World(
        program=program,
        workshop=workshop,
        leader=leader,
        tutor=tutor,
        other_tutor=other_tutor,
        klass=klass,
        other_class=other_class,
        zhang=zhang,
        li=li,
        wang=wang,
        zhao=zhao,
        zhang_enrollment=await enroll(zhang, workshop, batch, training_class=klass),
        li_enrollment=await enroll(li, workshop, batch, training_class=klass),
        wang_enrollment=await enroll(wang, workshop, batch, training_class=other_class),
    )


def gid(type_name: str, pk: int) -> str:
    return str(encode_id(type_name, pk))
