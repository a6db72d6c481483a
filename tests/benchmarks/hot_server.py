"""The benchmark's server: the plugin's app beside hand-written Starlette routes that do the same
work for the three hot operations, in one process (or several workers), for `bench_hot_paths.py`.

A hand-written route checks the same token the same way (`verify_token`, the person by
username), sends the SQL a careful author would write (joins, no ORM, tortoise's connection from
the same pool), applies the same pure rules (R1, R8, R9) and answers the same JSON with orjson.
The benchmark asserts the answers equal before it times anything.

    uvicorn tests.benchmarks.hot_server:create --factory

reads LMS_* like `lms-plugin serve` and LMS_BENCH_AT (ISO instant): the clock stands there. Like
each process of `serve`, it freezes its heap once started (`serving.frozen_after_start_up`).
"""

import datetime as dt
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.http import bearer_token
from lms_plugin.resolvers.core import calendar, hours
from lms_plugin.resolvers.core.calendar import day_window, parse_holidays
from lms_plugin.resolvers.study.rules import (
    BeatLimits,
    counted_seconds,
    credit_heartbeat,
    ledger_plan,
)
from lms_plugin.schema.core.ids import decode_id, encode_id
from lms_plugin.serving import frozen_after_start_up
from lms_plugin.settings import Settings
from lms_plugin.storage.enums import EnrollmentStatus, LedgerKind, SubmissionStatus, Track
from lms_plugin.tokens import InvalidToken, verify_token

PERSON = """SELECT p.id, p.real_name, s.name FROM person p LEFT JOIN school s ON s.id = p.school_id
WHERE p.username = ?"""

STUDY_ENROLLMENT = """
SELECT b.name, b.starts_on, b.ends_on, pr.time_zone, pr.holidays, w.id, w.name, leader.real_name,
       c.id, c.name, tutor.real_name, e.track, e.online_seconds, e.offline_minutes,
       hp.network_online_hours, hp.network_offline_hours,
       hp.transitional_online_hours, hp.transitional_offline_hours
FROM enrollment e
JOIN batch b ON b.id = e.batch_id
JOIN program pr ON pr.id = e.program_id
JOIN hour_policy hp ON hp.program_id = e.program_id
JOIN workshop w ON w.id = e.workshop_id
JOIN person leader ON leader.id = w.leader_id
LEFT JOIN training_class c ON c.id = e.training_class_id
LEFT JOIN person tutor ON tutor.id = c.tutor_id
WHERE e.teacher_id = ? ORDER BY e.program_id DESC LIMIT 1"""

TEAM = """SELECT p.real_name FROM tutor_team_member m JOIN person p ON p.id = m.person_id
WHERE m.workshop_id = ? ORDER BY m.id"""
TOPICS = "SELECT id, title FROM topic WHERE workshop_id = ? ORDER BY position, id"

BEAT_STATE = """
SELECT s.enrollment_id, s.last_beat_at, s.last_sequence, s.ended_at, s.open_entry_id,
       s.open_entry_kind, e.teacher_id, e.status, e.track, e.online_seconds,
       b.starts_on, b.ends_on, pr.time_zone, tp.heartbeat_max_gap_seconds,
       hp.network_online_hours, hp.network_offline_hours,
       hp.transitional_online_hours, hp.transitional_offline_hours, s.counted_seconds
FROM study_session s
JOIN enrollment e ON e.id = s.enrollment_id
JOIN batch b ON b.id = e.batch_id
JOIN program pr ON pr.id = e.program_id
JOIN study_timer_policy tp ON tp.program_id = e.program_id
JOIN hour_policy hp ON hp.program_id = e.program_id
WHERE s.id = ?"""
EXTEND_LEDGER = """UPDATE study_ledger_entry SET seconds = seconds + ?, heartbeats = heartbeats + 1,
last_at = ? WHERE id = ?"""
ADVANCE_SESSION = """UPDATE study_session SET last_sequence = ?, last_beat_at = ?,
counted_seconds = counted_seconds + ?, open_entry_kind = ?
WHERE id = ? AND last_sequence = ? AND open_entry_id = ? AND ended_at IS NULL"""
ADD_TOTAL = """UPDATE enrollment SET online_seconds = CASE WHEN online_seconds >= ? THEN ?
ELSE online_seconds + ? END, last_activity_at = ? WHERE id = ?"""
# The plugin logs one audit row per steady beat, the session's change (README, "The audit log").
AUDIT_BEAT = """INSERT INTO audit_log (at, actor_id, operation, action, object_type, object_id,
person_id, changes, reason) VALUES (?, ?, 'heartbeat', 'UPDATE', 'StudySession', ?, ?, ?, NULL)"""

DESK_CLASSES = """SELECT c.id, c.name FROM training_class c JOIN workshop w ON w.id = c.workshop_id
WHERE c.tutor_id = ? OR w.leader_id = ? ORDER BY c.id"""
# One statement per class: the page, its trainees and both figures.
DESK_ROSTER = """
SELECT e.id, p.real_name, e.track, e.online_seconds, e.offline_minutes, e.last_activity_at,
       hp.network_online_hours, hp.network_offline_hours,
       hp.transitional_online_hours, hp.transitional_offline_hours,
       (SELECT COUNT(*) FROM submission s WHERE s.enrollment_id = e.id AND s.status = ?),
       (SELECT COUNT(*) FROM discussion_post d WHERE d.enrollment_id = e.id)
FROM enrollment e
JOIN person p ON p.id = e.teacher_id
JOIN hour_policy hp ON hp.program_id = e.program_id
WHERE e.training_class_id = ? AND e.status = ? ORDER BY e.id LIMIT ?"""


class RawRoutes:
    """The hand-written side: each route answers what the matching operation of
    `bench_hot_paths.py` answers, for the cases the benchmark drives."""

    def __init__(self, settings: Settings, clock: FixedClock) -> None:
        self.settings = settings
        self.clock = clock
        self.zone = ZoneInfo(settings.time_zone)
        self.db: BaseDBAsyncClient | None = None
        self.postgres = False

    def _sql(self, text: str) -> str:
        if not self.postgres:
            return text
        numbers = iter(range(1, 100))
        return re.sub(r"\?", lambda _: f"${next(numbers)}", text)

    def _connection(self) -> BaseDBAsyncClient:
        if self.db is None:
            self.db = connections.get("default")
            self.postgres = self.db.capabilities.dialect == "postgres"
        return self.db

    async def _rows(self, sql: str, values: list[Any]) -> list[Any]:
        _, rows = await self._connection().execute_query(self._sql(sql), values)
        return list(rows)

    async def _person(self, request: Request, now: dt.datetime) -> Any:
        token = bearer_token(request.headers)
        if token is None:
            return None
        try:
            username = verify_token(token, self.settings, now)
        except InvalidToken:
            return None
        rows = await self._rows(PERSON, [username])
        return rows[0] if rows else None

    def _shown(self, value: Any) -> str | None:
        if value is None:
            return None
        return _instant(value).astimezone(self.zone).isoformat()

    async def study_page(self, request: Request) -> Response:
        now = self.clock.now()
        orjson.loads(await request.body())
        person = await self._person(request, now)
        if person is None:
            return _refused()
        rows = await self._rows(STUDY_ENROLLMENT, [person[0]])
        enrollment: dict[str, Any] | None = None
        if rows:
            row = rows[0]
            (batch_name, starts_on, ends_on, time_zone, holidays, workshop_id) = row[:6]
            starts_on, ends_on = _date(starts_on), _date(ends_on)
            window = day_window(starts_on, ends_on, time_zone)
            team = await self._rows(TEAM, [workshop_id])
            topics = await self._rows(TOPICS, [workshop_id])
            progress = _progress(Track(row[11]), row[12], row[13], row[14:18])
            enrollment = {
                "batch": {
                    "name": batch_name,
                    "studyDays": calendar.study_days(
                        starts_on, ends_on, parse_holidays(_json(holidays))
                    ),
                    "window": {
                        "opensAt": window.opens_at.astimezone(self.zone).isoformat(),
                        "closesAt": window.closes_at.astimezone(self.zone).isoformat(),
                        "state": window.state(now).name,
                    },
                },
                "workshop": {
                    "name": row[6],
                    "leader": {"realName": row[7]},
                    "tutorTeam": [{"person": {"realName": member[0]}} for member in team],
                    "topics": [
                        {"id": encode_id("Topic", topic[0]), "title": topic[1]} for topic in topics
                    ],
                },
                "trainingClass": None
                if row[8] is None
                else {"id": encode_id("TrainingClass", row[8]), "name": row[9]},
                "tutor": None if row[10] is None else {"realName": row[10]},
                "hourProgress": {
                    "required": {
                        "onlineHours": progress.split.online_hours,
                        "offlineHours": progress.split.offline_hours,
                    },
                    "onlineHours": round(progress.online_counted_seconds / 3600, 2),
                    "offlineHours": round(progress.offline_counted_minutes / 60, 2),
                    "complete": progress.complete,
                },
            }
        viewer = {
            "person": {
                "realName": person[1],
                "school": None if person[2] is None else {"name": person[2]},
            },
            "enrollment": enrollment,
        }
        return _json_response({"data": {"viewer": viewer}})

    async def heartbeat(self, request: Request) -> Response:
        """The steady-state beat: one joined read, then in one transaction the ledger run
        extended, the session advanced (guarded by its sequence), the capped total and the
        beat's audit row."""
        now = self.clock.now()
        given = orjson.loads(await request.body())["variables"]["input"]
        person = await self._person(request, now)
        if person is None:
            return _refused()
        _, session_id = decode_id(given["sessionId"])
        sequence: int = given["sequence"]
        rows = await self._rows(BEAT_STATE, [session_id])
        row = rows[0]
        assert row[6] == person[0], "the trainee's own session"
        assert row[3] is None, "an open session"
        assert row[7] == EnrollmentStatus.ACTIVE.value
        last_sequence, open_entry_id = row[2], row[4]
        assert sequence > last_sequence, "the benchmark sends fresh beats only"
        track = Track(row[8])
        split = hours.hour_split(track, network=(row[14], row[15]), transitional=(row[16], row[17]))
        quota = split.online_hours * 3600
        pieces = credit_heartbeat(
            _instant(row[1]),
            now,
            BeatLimits(
                max_gap_seconds=row[13],
                window=day_window(_date(row[10]), _date(row[11]), row[12]),
                online_seconds=row[9],
                quota_seconds=quota,
            ),
        )
        plan = ledger_plan(LedgerKind(row[5]), pieces)
        # The benchmark drives the extend path only.
        assert plan.extend is not None
        assert not plan.new
        counted = counted_seconds(pieces)
        async with in_transaction() as connection:
            await connection.execute_query(
                self._sql(EXTEND_LEDGER), [plan.extend.seconds, plan.extend.ends_at, open_entry_id]
            )
            won, _ = await connection.execute_query(
                self._sql(ADVANCE_SESSION),
                [
                    sequence,
                    now,
                    counted,
                    pieces[-1].kind.value,
                    session_id,
                    last_sequence,
                    open_entry_id,
                ],
            )
            assert won == 1
            await connection.execute_query(
                self._sql(ADD_TOTAL), [quota - counted, quota, counted, now, row[0]]
            )
            changes = {
                "counted_seconds": [row[18], row[18] + counted],
                "last_beat_at": [_instant(row[1]).isoformat(), now.isoformat()],
                "last_sequence": [last_sequence, sequence],
            }
            await connection.execute_query(
                self._sql(AUDIT_BEAT),
                [now, person[0], session_id, row[6], orjson.dumps(changes).decode()],
            )
        beat = {"countedSeconds": counted}
        return _json_response({"data": {"heartbeat": {"heartbeat": beat, "userErrors": []}}})

    async def tutor_desk(self, request: Request) -> Response:
        now = self.clock.now()
        orjson.loads(await request.body())
        person = await self._person(request, now)
        if person is None:
            return _refused()
        classes = []
        for class_id, name in await self._rows(DESK_CLASSES, [person[0], person[0]]):
            rows = await self._rows(
                DESK_ROSTER,
                [SubmissionStatus.SUBMITTED.value, class_id, EnrollmentStatus.ACTIVE.value, 100],
            )
            nodes = []
            for row in rows:
                progress = _progress(Track(row[2]), row[3], row[4], row[6:10])
                nodes.append(
                    {
                        "enrollment": {"id": encode_id("Enrollment", row[0])},
                        "teacher": {"realName": row[1]},
                        "hourProgress": {
                            "onlineHours": round(progress.online_counted_seconds / 3600, 2),
                            "offlineHours": round(progress.offline_counted_minutes / 60, 2),
                            "complete": progress.complete,
                        },
                        "submissionsWaiting": row[10],
                        "postCount": row[11],
                        "lastActivityAt": self._shown(row[5]),
                    }
                )
            classes.append(
                {
                    "trainingClass": {"id": encode_id("TrainingClass", class_id), "name": name},
                    "roster": {"nodes": nodes},
                }
            )
        return _json_response({"data": {"tutorDesk": {"classes": classes}}})


def _progress(
    track: Track, online_seconds: int, offline_minutes: int, policy: Any
) -> hours.HourProgress:
    split = hours.hour_split(
        track, network=(policy[0], policy[1]), transitional=(policy[2], policy[3])
    )
    return hours.HourProgress(
        split=split, online_seconds=online_seconds, offline_minutes=offline_minutes
    )


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _instant(value: Any) -> dt.datetime:
    found = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def _json_response(body: object) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


def _refused() -> Response:
    return Response(b'{"errors":[{"message":"no token"}]}', 401, media_type="application/json")


def create() -> Starlette:
    settings = Settings.from_env().checked()
    clock = FixedClock(dt.datetime.fromisoformat(os.environ["LMS_BENCH_AT"]))
    ours = create_app(settings, clock=clock)
    raw = RawRoutes(settings, clock)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with ours.router.lifespan_context(ours):
            yield

    # Started as `lms-plugin serve` starts each process: both sides gain from it alike.
    return frozen_after_start_up(
        Starlette(
            routes=[
                Route("/raw/study-page", raw.study_page, methods=["POST"]),
                Route("/raw/heartbeat", raw.heartbeat, methods=["POST"]),
                Route("/raw/tutor-desk", raw.tutor_desk, methods=["POST"]),
                Mount("", ours),
            ],
            lifespan=lifespan,
        )
    )
