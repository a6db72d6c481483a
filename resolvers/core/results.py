"""Assessment results as other areas read them (R12): the one place that knows where scores
come from. Until the assessment results exist (the assessment issue), nobody has a score."""

from collections.abc import Collection


async def trainee_scores(program_id: int, person_ids: Collection[int]) -> dict[int, int]:
    """Each person's assessment score out of 100 in the program, for those who have one."""
    return {}
