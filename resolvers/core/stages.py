"""Stages and subjects (R4), pure: which workshops a teacher's stage studies in."""

from lms_plugin.storage.enums import Stage

STAGE_NAMES = {
    Stage.HIGH: "高中",
    Stage.JUNIOR: "初中",
    Stage.PRIMARY: "小学",
    Stage.KINDERGARTEN: "幼儿园",
    Stage.VOCATIONAL: "职业中学",
}


def workshop_stage_for(stage: Stage) -> Stage:
    """R4: vocational-school teachers (职业中学) study with the high-school workshops."""
    return Stage.HIGH if stage is Stage.VOCATIONAL else stage
