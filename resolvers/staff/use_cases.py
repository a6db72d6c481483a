"""The year's assessment of tutors and admins (seed 002 §五(一), seed 003 §一(二)(三)): one
person's 辅导教师成绩 or 管理员成绩 with each component explained, for themselves and for the
admins whose region covers them (the province; the city of a tutor's school or of a county
admin's county; the county of a tutor's school, or the admins of the same region)."""

from lms_plugin.resolvers.core.access import SIGNED_IN, Viewer
from lms_plugin.resolvers.core.scopes import hour_quotas
from lms_plugin.resolvers.core.staff import admin_regions, admin_scores, tutor_scores
from lms_plugin.resolvers.core.staff_scores import StaffRole, StaffScore
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import Person, Region, School, TutorTeamMember


def _covers(viewer: Viewer, regions: set[int]) -> bool:
    """Whether the viewer administers one of the regions (a city or county admin)."""
    mine = viewer.region_ids(Role.CITY_ADMIN) | viewer.region_ids(Role.COUNTY_ADMIN)
    return bool(mine & regions)


async def _tutor_regions(person_id: int) -> set[int]:
    """The city and county of a tutor's school."""
    person = await Person.get_or_none(id=person_id)
    school = (
        None
        if person is None or person.school_id is None
        else await School.get_or_none(id=person.school_id)
    )
    return set() if school is None else {school.city_id, school.county_id}


async def _admin_scope(region_id: int) -> set[int]:
    """An admin's region and the region above it (a county's city)."""
    region = await Region.get(id=region_id)
    return {region.id} if region.parent_id is None else {region.id, region.parent_id}


async def staff_assessment(
    viewer: Viewer | None, program_id: int, person_id: int, role: StaffRole
) -> StaffScore | None:
    """A person's assessment in a role; None when they hold no such role in the program, when
    the program names nothing, or when they are not the viewer's to read."""
    signed_in = SIGNED_IN.check(viewer)
    quotas = await hour_quotas(program_id)
    if quotas is None:
        return None
    own = signed_in.id == person_id or signed_in.is_province_admin
    if role is StaffRole.TUTOR:
        if not await TutorTeamMember.exists(program_id=program_id, person_id=person_id):
            return None
        if not own and not _covers(signed_in, await _tutor_regions(person_id)):
            return None
        return (await tutor_scores(program_id, quotas, [person_id]))[person_id].assessment
    regions = await admin_regions([person_id])
    if person_id not in regions:
        return None
    if not own and not _covers(signed_in, await _admin_scope(regions[person_id])):
        return None
    return (await admin_scores(program_id, quotas, regions))[person_id]
