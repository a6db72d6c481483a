"""Who is asking and what they may reach. Loaded once per request, each scope on first use.

Each use case that writes declares who may run it with `@requires(...)`: the declaration checks
the role before the use case runs, and the API writes the same declaration into the mutation's
description, so the two cannot drift. Scopes finer than a role (this trainee's class tutor) are
checked by the use case's rules, which answer with their own codes.
"""

import asyncio
import functools
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from tortoise.exceptions import ValidationError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.signals import post_delete, post_save

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
from lms_plugin.storage.organisation import person_by_username

from .errors import (
    ErrorCode,
    Forbidden,
    NotAuthenticated,
    Refused,
    invalid_column_value,
    refuse,
)

# Roles that register and withdraw the teachers of their region or school (seed 000 §二, §五.2).
ADMIN_ROLES = frozenset(
    {Role.PROVINCE_ADMIN, Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN}
)


class GrantsNotLoaded(RuntimeError):
    """A grant was read before `await viewer.role_grants()`: a bug in the caller."""


async def grants_of(person_id: int) -> list[RoleAssignment]:
    return list(await RoleAssignment.filter(person_id=person_id))


class Viewer:
    """The signed-in person; their role grants are loaded on the first `await role_grants()`
    (one statement, once per request), so a request that checks no grant pays nothing for them.
    After that, `grants` and the checks below read them without waiting."""

    def __init__(self, person: Person, grants: Iterable[RoleAssignment] | None = None) -> None:
        self.person = person
        self._grants = None if grants is None else list(grants)
        self._loading: asyncio.Lock | None = None
        # Called with the grants once loaded (lms_plugin/viewers.py keeps them for the user).
        self.remember_grants: Callable[[list[RoleAssignment]], None] | None = None
        self._led_workshops: set[int] | None = None
        self._team_workshops: set[int] | None = None
        self._tutored_classes: set[int] | None = None
        self._vendor_cities: set[int] | None = None

    def __repr__(self) -> str:
        return f"Viewer(person={self.person!r}, grants={self._grants!r})"

    @property
    def grants_loaded(self) -> bool:
        return self._grants is not None

    @property
    def grants(self) -> list[RoleAssignment]:
        if self._grants is None:
            raise GrantsNotLoaded("await viewer.role_grants() before reading the viewer's grants")
        return self._grants

    async def role_grants(self) -> list[RoleAssignment]:
        if self._grants is not None:
            return self._grants
        # Root fields resolve concurrently: the first loads, the others wait for it.
        if self._loading is None:
            self._loading = asyncio.Lock()
        async with self._loading:
            if self._grants is None:
                self._grants = await grants_of(self.id)
                if self.remember_grants is not None:
                    self.remember_grants(self._grants)
        return self._grants

    @property
    def id(self) -> int:
        return self.person.id

    def has_role(self, role: Role) -> bool:
        return any(g.role == role for g in self.grants)

    @property
    def is_province_admin(self) -> bool:
        return self.has_role(Role.PROVINCE_ADMIN)

    @property
    def is_admin(self) -> bool:
        """An admin of some region or school (province, city, county, school)."""
        return any(g.role in ADMIN_ROLES for g in self.grants)

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
            await self.role_grants()
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
        await self.role_grants()
        return self.administers_school(school) or school.city_id in await self.vendor_city_ids()

    async def leads(self, workshop_id: int) -> bool:
        return workshop_id in await self.led_workshop_ids()

    async def tutors_class(self, class_id: int | None) -> bool:
        return class_id is not None and class_id in await self.tutored_class_ids()

    async def works_in_workshop(self, workshop_id: int) -> bool:
        """The leader or a tutor-team member of the workshop."""
        return await self.leads(workshop_id) or workshop_id in await self.team_workshop_ids()


async def schools_in_scope(viewer: Viewer) -> QuerySet[School] | None:
    """The schools an admin or vendor staff reaches; None for the whole province."""
    await viewer.role_grants()
    if viewer.is_province_admin:
        return None
    cities = viewer.region_ids(Role.CITY_ADMIN) | await viewer.vendor_city_ids()
    counties = viewer.region_ids(Role.COUNTY_ADMIN)
    schools = {g.school_id for g in viewer.grants if g.role == Role.SCHOOL_ADMIN and g.school_id}
    return School.filter(Q(city_id__in=cities) | Q(county_id__in=counties) | Q(id__in=schools))


async def load_viewer(username: str) -> Viewer | None:
    """The person a verified token names (their grants load when first asked for); None if
    unknown here."""
    person = await person_by_username(username)
    return None if person is None else Viewer(person)


# Viewers are cached between requests (lms_plugin/viewers.py) under this number: a change of
# anyone's grants or person row bumps it, and every viewer loaded before is loaded again.
_generation = 0


def viewer_generation() -> int:
    return _generation


def grants_changed() -> None:
    """Call after changing a person's role grants (grant, revoke) or their person row by a
    queryset `.update()`/`.delete()`/`bulk_create`: saving or deleting a `RoleAssignment` or
    `Person` instance calls it by itself. Cached viewers of this process are loaded again at
    once; other workers learn of it through Redis (`LMS_REDIS_URL`) within a second."""
    global _generation
    _generation += 1


@post_save(RoleAssignment, Person)
async def _saved(*_: object) -> None:
    grants_changed()


@post_delete(RoleAssignment, Person)
async def _deleted(*_: object) -> None:
    grants_changed()


async def require_class_tutor(
    viewer: Viewer, training_class_id: int | None, action: str, field: str
) -> None:
    """R8, R10: only the trainee's class tutor (not other tutors, leaders or admins)."""
    if not await viewer.tutors_class(training_class_id):
        raise refuse(ErrorCode.NOT_YOUR_CLASS, f"只有学员所在班级的辅导教师可以{action}", field)


def require_viewer(viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise NotAuthenticated
    return viewer


@dataclass(frozen=True)
class Requirement:
    """Who may run a use case: `who` describes it to people, `allows` checks the role (None:
    any signed-in person, the use case's rules judge the scope)."""

    who: str
    allows: Callable[[Viewer], bool] | None = None

    def admits(self, viewer: Viewer) -> bool:
        return self.allows is None or self.allows(viewer)

    def check(self, viewer: Viewer | None) -> Viewer:
        signed_in = require_viewer(viewer)
        if not self.admits(signed_in):
            raise Forbidden
        return signed_in


SIGNED_IN = Requirement("任何已登录用户（any signed-in person）")
PROVINCE_ADMIN = Requirement(
    "省级管理员（province admin）", lambda viewer: viewer.is_province_admin
)
ORGANISATION_ADMIN = Requirement(
    "省、市、县级管理员，限其管辖范围（a province, city or county admin, inside their region）",
    lambda viewer: any(
        g.role in (Role.PROVINCE_ADMIN, Role.CITY_ADMIN, Role.COUNTY_ADMIN) for g in viewer.grants
    ),
)
REGION_ADMIN = Requirement(
    "省、市、县级或学校管理员，限其管辖范围（an admin of the teacher's region or school）",
    lambda viewer: viewer.is_admin,
)
COUNTY_ADMIN = Requirement(
    "县级管理员，限其县（a county admin of the teacher's county）",
    lambda viewer: viewer.has_role(Role.COUNTY_ADMIN),
)
TEACHER = Requirement("教师本人报名（a teacher registering themselves）")
TRAINEE = Requirement("报名的学员本人（the enrolled trainee）")
CLASS_TUTOR = Requirement("学员所在班级的辅导教师（the trainee's class tutor）")
WORKSHOP_MANAGER = Requirement(
    "省级管理员或该工作室主持人（province admin or the workshop's leader）"
)
WORKSHOP_STAFF = Requirement(
    "该工作室主持人或辅导团队成员（the workshop's leader or a tutor-team member）"
)
CLASS_TRAINEE = Requirement("班级的学员（a trainee of the class）")
CLASS_MEMBER = Requirement(
    "班级的学员、辅导教师或工作室主持人（a trainee, the tutor or the leader of the class）"
)
DISCUSSION_HOST = Requirement(
    "班级辅导教师（班级研讨）或工作室主持人（工作室研讨）"
    "（the class tutor for a class, the leader for the whole workshop）"
)
RECOMMENDER = Requirement(
    "推荐阶梯的一级：班级辅导教师→班级，工作室主持人→工作室，省级管理员或承训机构→首页"
    "（the recommendation ladder: class tutor, workshop leader, province admin or vendor）"
)

P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class UseCase(Protocol[P, T_co]):
    """A use case that takes the viewer first, with its declared requirement."""

    requirement: Requirement

    def __call__(
        self, viewer: Viewer | None, /, *args: P.args, **kwargs: P.kwargs
    ) -> Awaitable[T_co]: ...


def requires(
    requirement: Requirement,
) -> Callable[[Callable[Concatenate[Viewer, P], Awaitable[T]]], UseCase[P, T]]:
    """Declares and enforces who may run the use case; its body receives the signed-in viewer."""

    def declare(use_case: Callable[Concatenate[Viewer, P], Awaitable[T]]) -> UseCase[P, T]:
        @functools.wraps(use_case)
        async def checked(viewer: Viewer | None, /, *args: P.args, **kwargs: P.kwargs) -> T:
            if viewer is not None and requirement.allows is not None:
                await viewer.role_grants()
            try:
                return await use_case(requirement.check(viewer), *args, **kwargs)
            except ValidationError as error:
                # The ORM refused a value before the write (a text longer than its column),
                # inside the use case's transaction: a refusal with its field, not a bug.
                raise Refused([invalid_column_value(str(error))]) from error

        checked.requirement = requirement  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return declare
