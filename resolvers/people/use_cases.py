"""Who may look up whom: teacher rosters for admins and vendor staff, people by id."""

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from lms_plugin.resolvers.core.access import Viewer, require_viewer, schools_in_scope
from lms_plugin.resolvers.core.errors import Forbidden
from lms_plugin.resolvers.core.loaders import Loaders
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import Enrollment, Person, School, TutorTeamMember, Workshop

# A search is a part of a name: longer text is refused (SQLite also refuses a LIKE pattern of
# over 50,000 bytes as "too complex", a 500 before this cap).
MAX_SEARCH_LENGTH = 50


class SearchTooLong(ValueError):
    """The search text (stripped) is longer than MAX_SEARCH_LENGTH characters."""


ROSTER_ROLES = frozenset(
    {
        Role.PROVINCE_ADMIN,
        Role.CITY_ADMIN,
        Role.COUNTY_ADMIN,
        Role.SCHOOL_ADMIN,
        Role.VENDOR_STAFF,
    }
)


async def teachers_visible(
    viewer: Viewer | None, school_id: int | None, search: str | None
) -> QuerySet[Person]:
    """Teachers of the schools the viewer reaches (admins by region, vendor staff by city).

    `search` matches a part of the real name or the user name, literally (tortoise escapes `%`,
    `_` and `\\` in the LIKE pattern); personal data is not searchable.
    """
    text = (search or "").strip()
    if len(text) > MAX_SEARCH_LENGTH:
        raise SearchTooLong
    signed_in = require_viewer(viewer)
    if not any(g.role in ROSTER_ROLES for g in signed_in.grants):
        raise Forbidden
    teachers = Person.filter(school_id__isnull=False)
    schools = await schools_in_scope(signed_in)
    if schools is not None:
        teachers = teachers.filter(school_id__in=Subquery(schools.values("id")))
    if school_id is not None:
        teachers = teachers.filter(school_id=school_id)
    if text:
        teachers = teachers.filter(Q(real_name__icontains=text) | Q(username__icontains=text))
    return teachers


async def can_see_person(viewer: Viewer | None, person: Person, loaders: Loaders) -> bool:
    """Oneself; admins and vendor staff reaching their school; the leader and tutors of a
    workshop they study in; and anyone who leads or tutors a workshop, since workshops show
    their leader and tutor team to every signed-in person."""
    signed_in = require_viewer(viewer)
    if person.id == signed_in.id:
        return True
    if person.school_id is not None:
        school = await loaders.by_id(School).load(person.school_id)
        if school is not None and await signed_in.reaches_school(school):
            return True
    for enrollment in await loaders.grouped(Enrollment, "teacher_id").load(person.id):
        if await signed_in.works_in_workshop(enrollment.workshop_id):
            return True
    if await loaders.grouped(Workshop, "leader_id").load(person.id):
        return True
    return bool(await loaders.grouped(TutorTeamMember, "person_id").load(person.id))
