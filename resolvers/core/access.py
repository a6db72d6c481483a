"""Who is asking and what they may reach. Loaded once per request, each scope on first use."""

from dataclasses import dataclass, field

from lms_plugin.storage.batch import id_set
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import (
    Person,
    RoleAssignment,
    School,
    TrainingClass,
    TutorTeamMember,
    VendorCity,
    Workshop,
)

from .errors import Forbidden, NotAuthenticated


@dataclass
class Viewer:
    person: Person
    grants: list[RoleAssignment]
    _led_workshops: set[int] | None = field(default=None, repr=False)
    _team_workshops: set[int] | None = field(default=None, repr=False)
    _tutored_classes: set[int] | None = field(default=None, repr=False)
    _vendor_cities: set[int] | None = field(default=None, repr=False)

    @property
    def id(self) -> int:
        return self.person.id

    def has_role(self, role: Role) -> bool:
        return any(g.role == role for g in self.grants)

    @property
    def is_province_admin(self) -> bool:
        return self.has_role(Role.PROVINCE_ADMIN)

    def region_ids(self, role: Role) -> set[int]:
        return {g.region_id for g in self.grants if g.role == role and g.region_id is not None}

    async def led_workshop_ids(self) -> set[int]:
        if self._led_workshops is None:
            self._led_workshops = await id_set(Workshop.filter(leader_id=self.id))
        return self._led_workshops

    async def team_workshop_ids(self) -> set[int]:
        if self._team_workshops is None:
            members = TutorTeamMember.filter(person_id=self.id)
            self._team_workshops = await id_set(members, "workshop_id")
        return self._team_workshops

    async def tutored_class_ids(self) -> set[int]:
        if self._tutored_classes is None:
            self._tutored_classes = await id_set(TrainingClass.filter(tutor_id=self.id))
        return self._tutored_classes

    async def vendor_city_ids(self) -> set[int]:
        """Cities served by the viewer's vendors, in any program."""
        if self._vendor_cities is None:
            vendor_ids = {g.vendor_id for g in self.grants if g.role == Role.VENDOR_STAFF}
            cities = VendorCity.filter(vendor_id__in=vendor_ids)
            self._vendor_cities = await id_set(cities, "city_id") if vendor_ids else set()
        return self._vendor_cities

    def administers_school(self, school: School) -> bool:
        """Province, city, county or school admin whose region holds this school."""
        if self.is_province_admin:
            return True
        if school.city_id in self.region_ids(Role.CITY_ADMIN):
            return True
        if school.county_id in self.region_ids(Role.COUNTY_ADMIN):
            return True
        return any(g.role == Role.SCHOOL_ADMIN and g.school_id == school.id for g in self.grants)

    async def reaches_school(self, school: School) -> bool:
        """Administers it, or serves its city as vendor staff."""
        return self.administers_school(school) or school.city_id in await self.vendor_city_ids()

    async def leads(self, workshop_id: int) -> bool:
        return workshop_id in await self.led_workshop_ids()

    async def tutors_class(self, class_id: int | None) -> bool:
        return class_id is not None and class_id in await self.tutored_class_ids()

    async def works_in_workshop(self, workshop_id: int) -> bool:
        """The leader or a tutor-team member of the workshop."""
        return await self.leads(workshop_id) or workshop_id in await self.team_workshop_ids()


async def load_viewer(username: str) -> Viewer | None:
    """The person a verified token names, with their role grants; None if unknown here."""
    person = await Person.get_or_none(username=username)
    if person is None:
        return None
    grants = await RoleAssignment.filter(person_id=person.id)
    return Viewer(person=person, grants=list(grants))


def require_viewer(viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise NotAuthenticated
    return viewer


def require_province_admin(viewer: Viewer | None) -> Viewer:
    signed_in = require_viewer(viewer)
    if not signed_in.is_province_admin:
        raise Forbidden
    return signed_in
