"""Regions, schools, vendors, people and their role assignments."""

from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient

from .enums import Distinction, Post, RegionLevel, Role, Stage, TitleRank, Track
from .personal_data import (
    DigestField,
    SealedField,
    left_sealed,
    lookup_digest,
    open_lazily,
)
from .sql import connection, fields_of, for_backend, plain_values_of
from .tracking import Tracked

if TYPE_CHECKING:
    from .programs import Program


class Region(Tracked):
    """province → city (设区市, 省直管县, 赣江新区) → county (县区)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64)
    code = fields.CharField(max_length=16, unique=True)
    level = fields.CharEnumField(RegionLevel, max_length=16)
    parent: fields.ForeignKeyNullableRelation["Region"] = fields.ForeignKeyField(
        "models.Region", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    parent_id: int | None

    class Meta:
        table = "region"


class School(Tracked):
    """A school, known to the province by its code (学校代码), which rosters name it by."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    code = fields.CharField(max_length=16, unique=True, null=True)
    county: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="schools", on_delete=fields.RESTRICT
    )
    county_id: int
    # Denormalised from the county so that city-level scopes filter without a join.
    city: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="city_schools", on_delete=fields.RESTRICT
    )
    city_id: int

    class Meta:
        table = "school"


class Vendor(Tracked):
    """承训网络培训机构."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128, unique=True)

    class Meta:
        table = "vendor"


class VendorCity(Tracked):
    """A vendor serves a city for a program year (seed 001, attachment 1)."""

    id = fields.IntField(primary_key=True)
    vendor: fields.ForeignKeyRelation[Vendor] = fields.ForeignKeyField(
        "models.Vendor", related_name="cities", on_delete=fields.CASCADE
    )
    vendor_id: int
    program: fields.ForeignKeyRelation["Program"] = fields.ForeignKeyField(
        "models.Program", related_name="vendor_cities", on_delete=fields.CASCADE
    )
    program_id: int
    city: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="vendor_programs", on_delete=fields.RESTRICT
    )
    city_id: int

    class Meta:
        table = "vendor_city"
        unique_together = (("program", "city"),)


class Person(Tracked):
    """Anyone who signs in. Teachers carry their school and teaching profile.

    `username` is the user name on the host platform (the token subject, single sign-on).
    `id_number` (身份证号) and `mobile` are personal data: never shown unmasked, stored sealed
    (storage/personal_data.py) and plain in Python; their keyed hashes beside them are written
    with the row: the ID number's is unique (it identifies a teacher), the mobile's indexed.
    """

    audit_person = "id"

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    real_name = fields.CharField(max_length=64)
    id_number: str | None = SealedField("person.id_number", 18, null=True)  # type: ignore[assignment]
    id_number_hash = DigestField("id_number", "id_number", null=True, unique=True)
    mobile: str | None = SealedField("person.mobile", 16, null=True)  # type: ignore[assignment]
    mobile_hash = DigestField("mobile", "mobile", null=True, db_index=True)
    school: fields.ForeignKeyNullableRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="teachers", null=True, on_delete=fields.RESTRICT
    )
    school_id: int | None
    stage = fields.CharEnumField(Stage, max_length=16, null=True)
    subject = fields.CharField(max_length=32, null=True)
    title_rank = fields.CharEnumField(TitleRank, max_length=16, null=True)
    post = fields.CharEnumField(Post, max_length=32, null=True)
    track = fields.CharEnumField(Track, max_length=16, null=True)
    # 特级教师 / 省级学科带头人, set by a province admin (seed 002 §二(二)); null: neither.
    distinction: Distinction | None = fields.CharEnumField(  # type: ignore[assignment]
        Distinction, max_length=32, null=True
    )

    class Meta:
        table = "person"

    async def save(
        self,
        using_db: BaseDBAsyncClient | None = None,
        update_fields: Iterable[str] | None = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        # A hash follows its value: saving one names the other too.
        if update_fields is not None:
            named = set(update_fields)
            named |= {f"{name}_hash" for name in ("id_number", "mobile") if name in named}
            update_fields = list(named)
        await super().save(using_db, update_fields, force_create, force_update)


class PersonRow:
    """A person as the read models (the study page, the desk) read them: every column of Person
    (`fields_of`), converted as tortoise converts them, the sealed ones opened only when read
    (`open_lazily`), on a plain object (a page reads many people; the model's instances cost
    more to build)."""

    # What the schema's Person reads of it.
    id: int
    username: str
    real_name: str
    school_id: int | None
    stage: Stage | None
    subject: str | None
    title_rank: TitleRank | None
    post: Post | None
    track: Track | None
    distinction: Distinction | None
    id_number: str | None
    mobile: str | None

    def __init__(self, record: Mapping[str, object], alias: str) -> None:
        self.__dict__.update(plain_values_of(Person, record, alias))


open_lazily(Person, PersonRow)


@cache
def _person_by_username() -> str:
    columns = ", ".join(f'"{column}"' for column in fields_of(Person))
    return f'SELECT {columns} FROM "person" WHERE "username" = ?'


async def person_by_username(username: str) -> Person | None:
    """The person a token names, in one hand-written SELECT (every request without a cached
    viewer loads one), their personal data left sealed until something reads it."""
    client = connection()
    _, rows = await client.execute_query(for_backend(_person_by_username(), client), [username])
    if not rows:
        return None
    row = dict(zip(fields_of(Person), tuple(rows[0]), strict=True))
    return Person._init_from_db(**left_sealed(Person, row))


def by_id_number(id_number: str) -> dict[str, Any]:
    """The filter that finds a person by their ID number (身份证号), by its keyed hash.

    The one place that knows how the number is stored: every lookup goes through it.
    """
    return {"id_number_hash": lookup_digest("id_number", id_number)}


def by_id_numbers(id_numbers: Iterable[str]) -> tuple[str, dict[str, str], dict[str, list[str]]]:
    """`by_id_number` for many numbers at once (an import looks up 1,000 a statement).

    Answers the column compared, each number's value in that column (to map rows read back to
    the numbers asked for), and the filter; derived from `by_id_number`, so it follows it."""
    lookups = {number: by_id_number(number) for number in id_numbers}
    column = next(iter(next(iter(lookups.values())))) if lookups else "id_number"
    keys = {number: lookup[column] for number, lookup in lookups.items()}
    return column, keys, {f"{column}__in": list(keys.values())}


def by_mobile(mobile: str) -> dict[str, Any]:
    """The filter that finds people by their mobile, by its keyed hash."""
    return {"mobile_hash": lookup_digest("mobile", mobile)}


class RoleAssignment(Tracked):
    """An administrative role and the scope it is granted in (R scope rules)."""

    audit_person = "person_id"

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="role_assignments", on_delete=fields.CASCADE
    )
    person_id: int
    role = fields.CharEnumField(Role, max_length=32)
    region: fields.ForeignKeyNullableRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="role_assignments", null=True, on_delete=fields.CASCADE
    )
    region_id: int | None
    school: fields.ForeignKeyNullableRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="role_assignments", null=True, on_delete=fields.CASCADE
    )
    school_id: int | None
    vendor: fields.ForeignKeyNullableRelation[Vendor] = fields.ForeignKeyField(
        "models.Vendor", related_name="role_assignments", null=True, on_delete=fields.CASCADE
    )
    vendor_id: int | None

    class Meta:
        table = "role_assignment"
        # One grant per person, role and scope: the unique index role_assignment_once of
        # migration 0010, on COALESCE of the scope columns (raw SQL: not declarable here).
        # Every signed-in request's viewer reads its grants by person.
        indexes = (("person_id",),)
