"""The heartbeat's statements, written by hand: it is the hottest write of the system, and the
ORM spent more time building these statements than the database spent running them.

- `read_beat`: the session with its enrollment, batch, program and policies, one joined SELECT.
- `extend_beat`: the steady beat (one more stretch of the kind the open ledger run has): the
  session advanced (guarded by the sequence and open run it was read with), the run extended,
  the enrollment's total capped at the quota, and the beat's audit row. On PostgreSQL one
  statement outside any transaction (data-modifying CTEs: the run, the total and the row are
  written only if the session's guard held); on SQLite three UPDATEs and the row's INSERT in
  one short transaction, sent in one call to the driver's thread (`_in_one_call`). Either way
  the session row is locked first.
"""

import datetime as dt
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError, OperationalError

from . import audit
from .enums import EnrollmentStatus, LedgerKind, SessionEndReason, Track
from .sql import connection, for_backend, is_postgres

_READ = """
SELECT s.id, s.enrollment_id, s.topic_id, s.resource_id, s.started_at, s.last_beat_at,
       s.last_sequence, s.counted_seconds, s.ended_at, s.end_reason, s.open_entry_id,
       s.open_entry_kind, s.course_progress_id, cp.seconds, c.hours,
       e.teacher_id, e.status, e.track, e.online_seconds, b.starts_on, b.ends_on, p.time_zone,
       t.heartbeat_max_gap_seconds, h.network_online_hours, h.network_offline_hours,
       h.transitional_online_hours, h.transitional_offline_hours
FROM study_session s
JOIN enrollment e ON e.id = s.enrollment_id
JOIN batch b ON b.id = e.batch_id
JOIN program p ON p.id = e.program_id
JOIN study_timer_policy t ON t.program_id = e.program_id
JOIN hour_policy h ON h.program_id = e.program_id
LEFT JOIN course_progress cp ON cp.id = s.course_progress_id
LEFT JOIN course c ON c.id = cp.course_id
WHERE s.id = ?"""

_ADVANCE_SESSION = """
UPDATE study_session SET last_sequence = ?, last_beat_at = ?, counted_seconds = counted_seconds + ?
WHERE id = ? AND last_sequence = ? AND open_entry_id = ? AND ended_at IS NULL"""
_EXTEND_RUN = """
UPDATE study_ledger_entry SET seconds = seconds + ?, heartbeats = heartbeats + 1, last_at = ?
WHERE id = ?"""
_ADD_TOTAL = """
UPDATE enrollment SET online_seconds = CASE WHEN online_seconds >= ? THEN ?
    ELSE online_seconds + ? END, last_activity_at = ?
WHERE id = ?"""

# $1–$6 are the session's advance and guard (`_advance_values`); `{logged}` the audit row's CTE.
_EXTEND = """
WITH advanced AS (
  UPDATE study_session SET last_sequence = $1, last_beat_at = $2,
         counted_seconds = counted_seconds + $3
  WHERE id = $4 AND last_sequence = $5 AND open_entry_id = $6 AND ended_at IS NULL
  RETURNING enrollment_id
), extended AS (
  UPDATE study_ledger_entry SET seconds = seconds + $7, heartbeats = heartbeats + 1, last_at = $8
  WHERE id = $6 AND EXISTS (SELECT 1 FROM advanced)
), totalled AS (
  UPDATE enrollment SET online_seconds = CASE WHEN online_seconds >= $9 THEN $10
         ELSE online_seconds + $3 END, last_activity_at = $2
  WHERE id IN (SELECT enrollment_id FROM advanced)
){logged}
SELECT count(*) FROM advanced"""
_EXTEND_IN_ONE = _EXTEND.format(logged="")
_EXTEND_AND_LOG_IN_ONE = _EXTEND.format(
    logged=f", logged AS (\n  {audit.insert_per_row_of('advanced', 11)}\n)"
)


@dataclass(frozen=True)
class SessionRow:
    """A study session's row as a heartbeat reads it: plain values, no model instance (the
    hottest read of the system; the ORM's instances cost more than the SELECT)."""

    id: int
    enrollment_id: int
    topic_id: int | None
    resource_id: int | None
    started_at: dt.datetime
    last_beat_at: dt.datetime
    last_sequence: int
    counted_seconds: int
    ended_at: dt.datetime | None
    end_reason: SessionEndReason | None
    open_entry_id: int | None
    open_entry_kind: LedgerKind | None
    course_progress_id: int | None


@dataclass(frozen=True)
class BeatRow:
    """What one heartbeat is judged by, as read."""

    session: SessionRow
    teacher_id: int
    status: EnrollmentStatus
    track: Track
    online_seconds: int
    starts_on: dt.date
    ends_on: dt.date
    time_zone: str
    max_gap_seconds: int
    # The HourPolicy's (online, offline) hours of the network and the transitional track.
    network_hours: tuple[int, int]
    transitional_hours: tuple[int, int]
    # A course session's counted seconds in the course and the course's hours; None for a topic.
    course_seconds: int | None
    course_hours: int | None


@dataclass(frozen=True)
class Extension:
    """A steady beat: the session's new sequence and instant, the seconds it counts, the open
    run's new length and end, and the enrollment's online quota."""

    session_id: int
    enrollment_id: int
    read_sequence: int
    open_entry_id: int
    sequence: int
    now: dt.datetime
    counted: int
    run_seconds: int
    run_ends_at: dt.datetime
    quota: int


def _instant(value: Any) -> dt.datetime:
    # SQLite hands back the ISO text the driver stored; asyncpg an aware datetime.
    found = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


async def read_beat(session_id: int) -> BeatRow | None:
    client = connection()
    _, rows = await client.execute_query(for_backend(_READ, client), [session_id])
    if not rows:
        return None
    row = tuple(rows[0])
    session = SessionRow(
        id=row[0],
        enrollment_id=row[1],
        topic_id=row[2],
        resource_id=row[3],
        started_at=_instant(row[4]),
        last_beat_at=_instant(row[5]),
        last_sequence=row[6],
        counted_seconds=row[7],
        ended_at=None if row[8] is None else _instant(row[8]),
        end_reason=None if row[9] is None else SessionEndReason(row[9]),
        open_entry_id=row[10],
        open_entry_kind=None if row[11] is None else LedgerKind(row[11]),
        course_progress_id=row[12],
    )
    return BeatRow(
        session=session,
        teacher_id=row[15],
        status=EnrollmentStatus(row[16]),
        track=Track(row[17]),
        online_seconds=row[18],
        starts_on=_date(row[19]),
        ends_on=_date(row[20]),
        time_zone=row[21],
        max_gap_seconds=row[22],
        network_hours=(row[23], row[24]),
        transitional_hours=(row[25], row[26]),
        course_seconds=row[13],
        course_hours=row[14],
    )


def _advance_values(change: Extension) -> list[Any]:
    """The session's advance and its guard, as both backends' statements take them first."""
    return [
        change.sequence,
        change.now,
        change.counted,
        change.session_id,
        change.read_sequence,
        change.open_entry_id,
    ]


async def extend_beat(change: Extension, log: Mapping[str, Any] | None) -> bool:
    """The steady beat written with its audit row (`log`, by column; None outside a mutation);
    False when a concurrent request changed the session since it was read (then nothing is
    written)."""
    client = connection()
    if is_postgres(client):
        values = [
            *_advance_values(change),
            change.run_seconds,
            change.run_ends_at,
            change.quota - change.counted,
            change.quota,
        ]
        if log is None:
            _, rows = await client.execute_query(_EXTEND_IN_ONE, values)
        else:
            values += audit.entry_values(log)
            _, rows = await client.execute_query(_EXTEND_AND_LOG_IN_ONE, values)
        return bool(rows[0][0])
    statements = [
        (_ADVANCE_SESSION, _advance_values(change)),
        (_EXTEND_RUN, [change.run_seconds, change.run_ends_at, change.open_entry_id]),
        (
            _ADD_TOTAL,
            [
                change.quota - change.counted,
                change.quota,
                change.counted,
                change.now,
                change.enrollment_id,
            ],
        ),
    ]
    if log is not None:
        statements.append(audit.insert_of(log))
    return await _in_one_call(statements)


Statements = Sequence[tuple[str, list[Any]]]


async def _in_one_call(statements: Statements) -> bool:
    """SQLite: the statements in one transaction, kept only if the first changed a row (the
    guard). aiosqlite runs each call in its own thread, and a tortoise transaction makes a call
    of BEGIN (two), of each statement and of COMMIT: here the whole transaction is one call
    (aiosqlite's `_execute`, which has no public equivalent; tests/test_study_timer.py pins
    it). Tortoise's client lock is held meanwhile, as its own transactions hold it, so nothing
    else runs on the connection in between; each statement is logged as tortoise logs its own
    (the statement-counting tests read that log)."""
    client = connection()
    async with client.acquire_connection() as driver:
        for sql, values in statements:
            client.log.debug("%s: %s", sql, values)
        try:
            won: bool = await driver._execute(_guarded, driver._conn, statements)
        except sqlite3.IntegrityError as error:
            raise IntegrityError(error) from error
        except sqlite3.OperationalError as error:
            raise OperationalError(error) from error
        return won


def _guarded(database: sqlite3.Connection, statements: Statements) -> bool:
    """Runs in aiosqlite's thread (see `_in_one_call`)."""
    (guard, guard_values), *rest = statements
    database.execute("BEGIN")
    try:
        if not database.execute(guard, guard_values).rowcount:
            database.execute("ROLLBACK")
            return False
        for sql, values in rest:
            database.execute(sql, values)
        database.execute("COMMIT")
    except BaseException:
        if database.in_transaction:  # SQLite rolls some failures back by itself
            database.execute("ROLLBACK")
        raise
    return True
