"""Results computed by themselves when a program's assessment window opens (R12): no admin
needs to ask. The app's workers run `compute_due_results` on a period, and hosts that run jobs
by cron run `lms-plugin compute-results`; each program is claimed by one row (`ResultRun`), so
of several workers and processes exactly one computes it, with the system (no person) as the
actor of its results, their history and the audit log."""

import datetime as dt
import logging
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from lms_plugin.resolvers.core.audit import logged
from lms_plugin.resolvers.core.programs import phase_window_of
from lms_plugin.storage.enums import PhaseKind
from lms_plugin.storage.models import AssessmentResult, ProgramPhase, ResultRun

from .results import ResultsSummary, compute_program_results

logger = logging.getLogger(__name__)

# A claim unfinished this long after it was made is taken to be dead (its process stopped
# mid-computation) and may be taken again; far longer than a province's computation lasts.
CLAIM_LEASE = dt.timedelta(minutes=30)
OPERATION = "computeResultsWhenAssessmentOpens"
# The widest offset of a time zone from UTC: a phase starting on UTC's tomorrow may be open.
_ZONE_AHEAD = dt.timedelta(days=1)


async def due_program_ids(now: dt.datetime, program_id: int | None = None) -> list[int]:
    """The programs whose ASSESSMENT phase has begun by `now` in their own zone and that have
    no results yet and no finished scheduled computation, in id order."""
    phases = ProgramPhase.filter(
        kind=PhaseKind.ASSESSMENT, starts_on__lte=(now.astimezone(dt.UTC) + _ZONE_AHEAD).date()
    ).select_related("program")
    if program_id is not None:
        phases = phases.filter(program_id=program_id)
    opened = {
        phase.program_id
        for phase in await phases
        if phase_window_of(phase, phase.program.time_zone).window.opens_at <= now
    }
    if not opened:
        return []
    computed = set(
        await AssessmentResult.filter(program_id__in=opened)
        .distinct()
        .values_list("program_id", flat=True)
    )
    finished = set(
        await ResultRun.filter(program_id__in=opened, finished_at__isnull=False).values_list(
            "program_id", flat=True
        )
    )
    return sorted(opened - computed - finished)


async def claim(program_id: int, now: dt.datetime) -> bool:
    """Whether this caller computes the program: the first INSERT of its claim row wins (the
    row is unique per program); a dead claim is taken by a conditional UPDATE, which one
    caller wins too. Outside any transaction: a failed INSERT aborts a PostgreSQL one."""
    try:
        await ResultRun.create(program_id=program_id, claimed_at=now)
    except IntegrityError:
        # In UTC, as instants are stored: SQLite compares them as text.
        dead = (now - CLAIM_LEASE).astimezone(dt.UTC)
        taken = await ResultRun.filter(
            program_id=program_id, finished_at__isnull=True, claimed_at__lt=dead
        ).update(claimed_at=now)
        return taken == 1
    return True


async def compute_claimed(program_id: int, now: dt.datetime) -> ResultsSummary | None:
    """The claimed program's results, with its claim marked finished in the same transaction;
    None when a claimant elsewhere finished first. On failure the claim is released, so the
    next period tries again."""
    try:
        async with logged(None, OPERATION, now):
            run = await ResultRun.filter(program_id=program_id).select_related("program").get()
            if run.finished_at is not None:
                return None
            summary = await compute_program_results(run.program, None, now)
            run.finished_at = now
            await run.save(update_fields=["finished_at"])
    except Exception:
        await ResultRun.filter(program_id=program_id, finished_at__isnull=True).delete()
        raise
    return summary


@dataclass(frozen=True)
class DueResults:
    """What one pass computed, and the programs whose computation failed (logged, released)."""

    computed: list[ResultsSummary]
    failed: list[int]


async def compute_due_results(now: dt.datetime, program_id: int | None = None) -> DueResults:
    """Every due program's results (or only `program_id`'s), each computed by the one caller
    that claims it; what another caller claimed is left to it. A program that fails does not
    stop the others."""
    computed, failed = [], []
    for due in await due_program_ids(now, program_id):
        if not await claim(due, now):
            continue
        try:
            summary = await compute_claimed(due, now)
        except Exception:
            logger.exception("the results of program %d were not computed", due)
            failed.append(due)
            continue
        if summary is not None:
            computed.append(summary)
    return DueResults(computed, failed)
