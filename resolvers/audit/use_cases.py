"""Reading the audit log (province admins) and revealing a teacher's personal data (an admin
of the teacher's region, with a reason, logged as a reveal)."""

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from tortoise.queryset import QuerySet

from lms_plugin.resolvers.core.access import Requirement, Viewer, require_viewer, requires
from lms_plugin.resolvers.core.audit import audit_log, record_reveal
from lms_plugin.resolvers.core.errors import ErrorCode, Forbidden, refuse
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import AuditEntry, Person, School

REVEALED_FIELDS = ("id_number", "mobile")
MAX_REASON_LENGTH = 500

PERSONAL_DATA_ADMIN = Requirement(
    "省级管理员，或教师所在设区市、县区的管理员（province admin, or the admin of the teacher's"
    " city or county）",
    lambda viewer: any(
        viewer.has_role(role) for role in (Role.PROVINCE_ADMIN, Role.CITY_ADMIN, Role.COUNTY_ADMIN)
    ),
)


@dataclass(frozen=True)
class Revealed:
    person: Person
    id_number: str | None
    mobile: str | None


class Located(Protocol):
    """Where a school is (a School row)."""

    @property
    def city_id(self) -> int: ...

    @property
    def county_id(self) -> int: ...


def reaches_personal_data(viewer: Viewer, school: Located | None) -> bool:
    """Province admins reach everyone; city and county admins the teachers of their region's
    schools (school admins and vendor staff never see personal data in clear)."""
    if viewer.is_province_admin:
        return True
    if school is None:
        return False
    return school.city_id in viewer.region_ids(
        Role.CITY_ADMIN
    ) or school.county_id in viewer.region_ids(Role.COUNTY_ADMIN)


def reason_error_message(reason: str) -> str | None:
    """Why a reveal's reason is refused, or None: required, at most MAX_REASON_LENGTH."""
    text = reason.strip()
    if not text:
        return "查看完整个人信息须填写理由"
    if len(text) > MAX_REASON_LENGTH:
        return f"理由不能超过 {MAX_REASON_LENGTH} 个字"
    return None


@requires(PERSONAL_DATA_ADMIN)
async def reveal_personal_data(viewer: Viewer, person_id: int, reason: str) -> Revealed:
    person = await Person.get_or_none(id=person_id)
    school = None
    if person is not None and person.school_id is not None:
        school = await School.get_or_none(id=person.school_id)
    if person is None or not reaches_personal_data(viewer, school):
        # Outside the admin's region the teacher reads as not found.
        raise refuse(ErrorCode.NOT_FOUND, "找不到该人员", "person")
    if (message := reason_error_message(reason)) is not None:
        raise refuse(ErrorCode.INVALID_INPUT, message, "reason")
    record_reveal(person, REVEALED_FIELDS, reason.strip())
    return Revealed(person=person, id_number=person.id_number, mobile=person.mobile)


def audit_entries(
    viewer: Viewer | None,
    *,
    person_id: int | None,
    object_type: str | None,
    object_id: int | None,
    actor_id: int | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> QuerySet[AuditEntry]:
    """The log for province admins, filtered by whom it concerns, object, actor and period."""
    if not require_viewer(viewer).is_province_admin:
        raise Forbidden
    return audit_log(
        person_id=person_id,
        object_type=object_type,
        object_id=object_id,
        actor_id=actor_id,
        since=since,
        until=until,
    )
