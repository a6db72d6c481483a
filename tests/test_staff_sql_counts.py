"""A staff assessment (`staffAssessment`) is read in the same statements for a class of 5 and
of 17, with one announcement, topic and briefing or with many: its evidence is counted in SQL,
not loaded row by row."""

from typing import Any

from .api import Api
from .conftest import local
from .factories import enroll, make_person, tutor_duties
from .rates_world import RatesWorld, make_rates_world
from .sql_counter import count_sql
from .test_staff import ASSESSMENT, _vars

AT = local(2012, 5, 1)


async def _busier(world: RatesWorld, step: int, trainees: int) -> None:
    """One more announcement, topic with a reply and briefing by 一班's tutor, and more
    trainees in the class, in the county admin's county."""
    c = world.classes
    await tutor_duties(c, AT, number=step, suffix=str(step))
    for n in range(trainees):
        person = await make_person(school=c.org.school, real_name=f"学员{step}-{n}")
        await enroll(person, c.workshop, c.batch, training_class=c.training_class)


async def _statements(api: Api, world: RatesWorld, person: Any, role: str, reader: Any) -> int:
    # Growing the world saved people: the reader's cached viewer is loaded again first.
    await api.sign_in(reader)
    with count_sql() as counter:
        found = await api.data(ASSESSMENT, _vars(world, person, role), as_=reader)
    assert found["staffAssessment"] is not None
    return counter.count


async def test_a_tutor_s_and_an_admin_s_assessment_do_not_grow_with_the_class(api: Api) -> None:
    world = await make_rates_world()
    c = world.classes
    counts = []
    for step, trainees in ((1, 1), (2, 12)):
        await _busier(world, step, trainees)
        counts.append(
            (
                await _statements(api, world, c.tutor, "TUTOR", world.province_admin),
                await _statements(api, world, world.county_admin, "ADMIN", world.city_admin),
            )
        )

    assert counts[0] == counts[1]
