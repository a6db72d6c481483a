"""Assessment results as other areas read them (R12): the one place that knows where scores
come from, the results computed by computeAssessmentResults."""

from collections.abc import Collection

from lms_plugin.storage.models import AssessmentResult


async def trainee_scores(program_id: int, person_ids: Collection[int]) -> dict[int, int]:
    """Each person's assessment score out of 100 in the program, for those who have a result."""
    rows = await AssessmentResult.filter(
        program_id=program_id, teacher_id__in=list(person_ids)
    ).values_list("teacher_id", "score")
    return {int(teacher_id): int(score) for teacher_id, score in rows}
