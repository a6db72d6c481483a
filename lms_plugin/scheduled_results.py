"""The app's periodic computation of results whose assessment window has opened (R12), and the
`compute-results` command's run of the same pass."""

import asyncio
import logging

from lms_plugin.resolvers.assessment.results import ResultsSummary
from lms_plugin.resolvers.assessment.schedule import DueResults, compute_due_results

from .clock import Clock

logger = logging.getLogger(__name__)


def counts_text(summary: ResultsSummary) -> str:
    """ "PASSED 3, FAILED 1": how many results of each outcome a computation wrote."""
    return ", ".join(f"{o.name} {n}" for o, n in sorted(summary.counts.items())) or "no results"


def log_pass(done: DueResults) -> None:
    for summary in done.computed:
        logger.info(
            "computed the results of program %d: %s", summary.program.id, counts_text(summary)
        )


async def compute_results_periodically(clock: Clock, interval_seconds: int) -> None:
    """`compute_due_results` every `interval_seconds` until cancelled (the lifespan); every
    worker runs it, and the claim of each program lets one of them compute it."""
    while True:
        try:
            log_pass(await compute_due_results(clock.now()))
        except Exception:
            logger.exception("the scheduled computation of results failed")
        await asyncio.sleep(interval_seconds)
