"""The rates of a program (R14) in SQL: one GROUP BY over teachers → schools → the region tree.

Every figure is a count of teachers (people with a school) by where they stand in the program:
exempt (on a tutor team, R7), expected (not exempt), participating (an active enrollment with
any counted study), complete (both hour parts met, R8) and passed. Each is a 0/1 expression over
one row per teacher, so a unit's figures are sums, the trainees behind a figure are the rows
where its expression is 1, and a level's figures add up to the level above exactly.

The statements are written here, not through the ORM: the left joins on the program and the
conditional sums are what the database is good at, and the benchmark compares this path with
the same GROUP BY sent by hand. Parameters are numbered (`$n` on PostgreSQL, `?n` on SQLite),
so that an expression can use one twice.
"""

from dataclasses import dataclass
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from .assessment import AssessmentResult
from .enums import EnrollmentStatus, Outcome, RateLevel, Standing, Track


def passed_condition(complete: str, program: str) -> str:
    """SQL truth of "passed" for a row of `person p` / `assessment_result r` (R12, R14), given
    the condition "hours complete" and the program's parameter. Once the program has any
    assessment result, passed is the teacher's result: outcome PASSED (EXEMPT is not passed:
    exempt tutor-team members are not expected, and ABSENT / FAILED are not). Until then it is
    the forecast, hours complete. `passed_is_forecast` says which one a program's figures are."""
    results = f"EXISTS (SELECT 1 FROM assessment_result WHERE program_id = {program})"
    passed = f"r.outcome = '{Outcome.PASSED.value}'"
    return f"(({results} AND {passed}) OR (NOT {results} AND {complete}))"


async def passed_is_forecast(program_id: int) -> bool:
    """Whether the program's "passed" figures are the forecast: it has no results yet."""
    return not await AssessmentResult.exists(program_id=program_id)


@dataclass(frozen=True)
class HourQuotas:
    """R8: what complete means, per track, from the program's hour policy."""

    network_online_seconds: int
    network_offline_minutes: int
    transitional_online_seconds: int
    transitional_offline_minutes: int


@dataclass(frozen=True)
class Reach:
    """The teachers a reader may count: the union of its parts (the province: everywhere).
    `vendor_ids`: the cities those vendors serve in the program."""

    everywhere: bool = False
    city_ids: frozenset[int] = frozenset()
    county_ids: frozenset[int] = frozenset()
    school_ids: frozenset[int] = frozenset()
    vendor_ids: frozenset[int] = frozenset()

    @property
    def empty(self) -> bool:
        return not (
            self.everywhere
            or self.city_ids
            or self.county_ids
            or self.school_ids
            or self.vendor_ids
        )


@dataclass(frozen=True)
class Unit:
    """One unit of some level, by its key: a region, school, class or vendor id."""

    level: RateLevel
    id: int


@dataclass(frozen=True)
class UnitCounts:
    unit_id: int
    expected: int
    exempt: int
    participants: int
    complete: int
    passed: int


class _Statement:
    """SQL text with numbered parameters, in the dialect of the connection."""

    def __init__(self, dialect: str) -> None:
        self.mark = "$" if dialect == "postgres" else "?"
        self.values: list[Any] = []

    def param(self, value: object) -> str:
        self.values.append(value)
        mark = f"{self.mark}{len(self.values)}"
        # PostgreSQL cannot infer a parameter's type inside CASE: numbers say theirs.
        return f"CAST({mark} AS INTEGER)" if isinstance(value, int) else mark

    def params(self, values: frozenset[int]) -> str:
        return ", ".join(self.param(value) for value in sorted(values))


class _Query:
    """The rows (one per teacher) a rates statement reads, and its 0/1 figures."""

    def __init__(self, sql: _Statement, program_id: int, quotas: HourQuotas) -> None:
        self.sql = sql
        self.where: list[str] = []
        program = self.program = sql.param(program_id)
        self.joins = [
            "JOIN school s ON s.id = p.school_id",
            f"LEFT JOIN enrollment e ON e.teacher_id = p.id AND e.program_id = {program}"
            f" AND e.status = '{EnrollmentStatus.ACTIVE.value}'",
            "LEFT JOIN (SELECT DISTINCT person_id FROM tutor_team_member"
            f" WHERE program_id = {program}) t ON t.person_id = p.id",
            # At most one result per teacher and program (unique together).
            f"LEFT JOIN assessment_result r ON r.teacher_id = p.id AND r.program_id = {program}",
        ]
        # The quotas are the program's integers and the track a constant, written into the
        # text: a parameter some statements would not use has no type on PostgreSQL.
        network, q = f"'{Track.NETWORK.value}'", quotas
        online = (
            f"CASE WHEN e.track = {network} THEN {int(q.network_online_seconds)}"
            f" ELSE {int(q.transitional_online_seconds)} END"
        )
        offline = (
            f"CASE WHEN e.track = {network} THEN {int(q.network_offline_minutes)}"
            f" ELSE {int(q.transitional_offline_minutes)} END"
        )
        participating = (
            "t.person_id IS NULL AND e.id IS NOT NULL"
            " AND (e.online_seconds > 0 OR e.offline_minutes > 0)"
        )
        complete = (
            f"{participating} AND e.online_seconds >= {online} AND e.offline_minutes >= {offline}"
        )
        self.conditions = {
            "expected": "t.person_id IS NULL",
            "exempt": "t.person_id IS NOT NULL",
            "enrolled": "t.person_id IS NULL AND e.id IS NOT NULL",
            "participants": participating,
            "complete": complete,
            "passed": f"{participating} AND {passed_condition(complete, program)}",
        }

    def flag(self, name: str) -> str:
        return f"CASE WHEN {self.conditions[name]} THEN 1 ELSE 0 END"

    def standing(self, standing: Standing) -> str:
        """The rows of the teachers behind a figure."""
        flag = self.flag
        return {
            Standing.EXPECTED: f"{flag('expected')} = 1",
            Standing.EXEMPT: f"{flag('exempt')} = 1",
            Standing.ENROLLED: f"{flag('enrolled')} = 1",
            Standing.NOT_STARTED: f"{flag('expected')} = 1 AND {flag('participants')} = 0",
            Standing.PARTICIPATING: f"{flag('participants')} = 1",
            Standing.COMPLETE: f"{flag('complete')} = 1",
            Standing.NOT_COMPLETE: f"{flag('participants')} = 1 AND {flag('complete')} = 0",
            Standing.PASSED: f"{flag('passed')} = 1",
            Standing.NOT_PASSED: f"{flag('participants')} = 1 AND {flag('passed')} = 0",
        }[standing]

    def vendor_cities(self, vendor_ids: frozenset[int]) -> str:
        return (
            f"SELECT city_id FROM vendor_city WHERE program_id = {self.program}"
            f" AND vendor_id IN ({self.sql.params(vendor_ids)})"
        )

    def reach(self, reach: Reach) -> None:
        if reach.everywhere:
            return
        parts = [
            f"{column} IN ({self.sql.params(ids)})"
            for column, ids in (
                ("s.city_id", reach.city_ids),
                ("s.county_id", reach.county_ids),
                ("s.id", reach.school_ids),
            )
            if ids
        ]
        if reach.vendor_ids:
            parts.append(f"s.city_id IN ({self.vendor_cities(reach.vendor_ids)})")
        self.where.append(f"({' OR '.join(parts)})" if parts else "1 = 0")

    def within(self, unit: Unit) -> None:
        if unit.level is RateLevel.VENDOR:
            self.where.append(f"s.city_id IN ({self.vendor_cities(frozenset({unit.id}))})")
            return
        key = self.sql.param(unit.id)
        self.where.append(
            {
                RateLevel.PROVINCE: f"s.city_id IN (SELECT id FROM region WHERE parent_id = {key})",
                RateLevel.CITY: f"s.city_id = {key}",
                RateLevel.COUNTY: f"s.county_id = {key}",
                RateLevel.SCHOOL: f"s.id = {key}",
                RateLevel.CLASS: f"e.training_class_id = {key}",
            }[unit.level]
        )

    def body(self) -> str:
        where = " AND ".join(self.where) or "1 = 1"
        return f"FROM person p {' '.join(self.joins)} WHERE {where}"


def _unit_key(query: _Query, level: RateLevel) -> str:
    """The column a level groups by; classes count enrolled trainees only."""
    if level is RateLevel.PROVINCE:
        query.joins.append("JOIN region c ON c.id = s.city_id")
        return "c.parent_id"
    if level is RateLevel.VENDOR:
        query.joins.append(
            f"JOIN vendor_city vc ON vc.city_id = s.city_id AND vc.program_id = {query.program}"
        )
        return "vc.vendor_id"
    if level is RateLevel.CLASS:
        query.where.append("e.training_class_id IS NOT NULL")
        return "e.training_class_id"
    return {RateLevel.CITY: "s.city_id", RateLevel.COUNTY: "s.county_id", RateLevel.SCHOOL: "s.id"}[
        level
    ]


def _connection() -> BaseDBAsyncClient:
    return connections.get("default")


def _query(program_id: int, quotas: HourQuotas, reach: Reach, within: Unit | None) -> _Query:
    query = _Query(_Statement(_connection().capabilities.dialect), program_id, quotas)
    query.reach(reach)
    if within is not None:
        query.within(within)
    return query


FIGURES = ("expected", "exempt", "participants", "complete", "passed")


def unit_counts_statement(
    program_id: int, level: RateLevel, quotas: HourQuotas, reach: Reach, within: Unit | None
) -> tuple[str, list[Any]]:
    """The one statement of a level's figures (for the benchmark to time it by hand as well)."""
    query = _query(program_id, quotas, reach, within)
    key = _unit_key(query, level)
    sums = ", ".join(f"SUM({query.flag(name)}) AS {name}" for name in FIGURES)
    sql = f"SELECT {key} AS unit_id, {sums} {query.body()} GROUP BY {key} ORDER BY {key}"
    return sql, query.sql.values


async def unit_counts(
    program_id: int, level: RateLevel, quotas: HourQuotas, reach: Reach, within: Unit | None
) -> list[UnitCounts]:
    """A level's figures per unit, in one statement; units without teachers are absent."""
    sql, values = unit_counts_statement(program_id, level, quotas, reach, within)
    rows = await _connection().execute_query_dict(sql, values)
    return [
        UnitCounts(unit_id=int(row["unit_id"]), **{name: int(row[name]) for name in FIGURES})
        for row in rows
    ]


async def standing_ids(
    program_id: int,
    quotas: HourQuotas,
    reach: Reach,
    unit: Unit,
    standing: Standing,
    *,
    after: int | None,
    limit: int,
    among: frozenset[int] | None = None,
) -> list[int]:
    """The ids of the teachers behind a figure of a unit, in key order, after a key (and
    among some people only, when given)."""
    query = _query(program_id, quotas, reach, unit)
    query.where.append(query.standing(standing))
    if among is not None:
        query.where.append(f"p.id IN ({query.sql.params(among)})" if among else "1 = 0")
    if after is not None:
        query.where.append(f"p.id > {query.sql.param(after)}")
    sql = f"SELECT p.id AS id {query.body()} ORDER BY p.id LIMIT {query.sql.param(limit)}"
    rows = await _connection().execute_query_dict(sql, query.sql.values)
    return [int(row["id"]) for row in rows]


async def standing_count(
    program_id: int, quotas: HourQuotas, reach: Reach, unit: Unit, standing: Standing
) -> int:
    query = _query(program_id, quotas, reach, unit)
    query.where.append(query.standing(standing))
    rows = await _connection().execute_query_dict(
        f"SELECT COUNT(*) AS n {query.body()}", query.sql.values
    )
    return int(rows[0]["n"])


@dataclass(frozen=True)
class GroupCount:
    """Teachers behind a figure who share a city, a track and a title rank (R16's fees)."""

    city_id: int
    track: str
    title_rank: str | None
    count: int


async def city_track_title_counts(
    program_id: int, quotas: HourQuotas, reach: Reach, unit: Unit, standing: Standing
) -> list[GroupCount]:
    """The teachers behind a figure of a unit, counted by city, track and title rank."""
    query = _query(program_id, quotas, reach, unit)
    query.where.append(query.standing(standing))
    columns = "s.city_id, e.track, p.title_rank"
    rows = await _connection().execute_query_dict(
        f"SELECT {columns}, COUNT(*) AS n {query.body()} GROUP BY {columns} ORDER BY {columns}",
        query.sql.values,
    )
    return [
        GroupCount(int(row["city_id"]), str(row["track"]), row["title_rank"], int(row["n"]))
        for row in rows
    ]
