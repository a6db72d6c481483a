"""The 2012 Jiangxi workshop phase (seed 000): the reference calendar the demo and tests load."""

import datetime as dt

from lms_plugin.storage.enums import PhaseKind, Stage, Track
from lms_plugin.storage.models import Batch, Program, ProgramPhase
from lms_plugin.storage.policies import create_policies

HIGH_SUBJECTS = (
    "思想政治", "语文", "数学", "英语", "物理", "化学", "生物",
    "历史", "地理", "音乐", "美术", "体育与健康", "信息技术",
)  # fmt: skip
JUNIOR_SUBJECTS = (
    "思想品德", "数学", "英语", "物理", "化学", "生物",
    "历史", "地理", "音乐", "美术", "体育与健康", "信息技术",
)  # fmt: skip
PRIMARY_SUBJECTS = (
    "品德与生活（社会）", "数学", "英语", "科学", "音乐", "美术", "体育与健康",
    "信息技术（含综合实践活动）", "综合（文）", "综合（理）",
)  # fmt: skip
KINDERGARTEN_SUBJECTS = ("幼儿教育",)

# (number, name, track, starts, ends, [(stage, subject)]); the transitional cohort starts 5/10.
BATCHES_2012: tuple[tuple[int, str, Track, dt.date, dt.date, list[tuple[Stage, str]]], ...] = (
    (1, "第一批：高中教师", Track.NETWORK, dt.date(2012, 4, 27), dt.date(2012, 5, 8),
     [(Stage.HIGH, s) for s in HIGH_SUBJECTS]),
    (2, "第二批：初中各学科（不含语文）", Track.NETWORK, dt.date(2012, 5, 10), dt.date(2012, 5, 19),
     [(Stage.JUNIOR, s) for s in JUNIOR_SUBJECTS]),
    (3, "第三批：初中和小学语文", Track.NETWORK, dt.date(2012, 5, 21), dt.date(2012, 5, 30),
     [(Stage.JUNIOR, "语文"), (Stage.PRIMARY, "语文")]),
    (4, "第四批：小学各学科（不含语文）、幼儿园", Track.NETWORK, dt.date(2012, 6, 2),
     dt.date(2012, 6, 11),
     [(Stage.PRIMARY, s) for s in PRIMARY_SUBJECTS]
     + [(Stage.KINDERGARTEN, s) for s in KINDERGARTEN_SUBJECTS]),
    (5, "过渡学习：农村教师（县教师进修学校组织）", Track.TRANSITIONAL, dt.date(2012, 5, 10),
     dt.date(2012, 5, 19), []),
)  # fmt: skip

# The phases of 2012 (seed 000 §二, §三): registration 4/20–4/25, the batches' study from 4/27 to
# 6/11, and grading until the assessment ends on 6/30.
REGISTRATION_2012 = (dt.date(2012, 4, 20), dt.date(2012, 4, 25))
PHASES_2012 = (
    (PhaseKind.REGISTRATION, *REGISTRATION_2012),
    (PhaseKind.STUDY, dt.date(2012, 4, 27), dt.date(2012, 6, 11)),
    (PhaseKind.ASSESSMENT, dt.date(2012, 6, 12), dt.date(2012, 6, 30)),
)

MAY_DAY_2012 = (dt.date(2012, 4, 29), dt.date(2012, 4, 30), dt.date(2012, 5, 1))

# Jiangxi's eleven cities (设区市), with their administrative codes.
JIANGXI_CITIES = (
    ("360100", "南昌市"), ("360200", "景德镇市"), ("360300", "萍乡市"), ("360400", "九江市"),
    ("360500", "新余市"), ("360600", "鹰潭市"), ("360700", "赣州市"), ("360800", "吉安市"),
    ("360900", "宜春市"), ("361000", "抚州市"), ("361100", "上饶市"),
)  # fmt: skip


def all_subject_pairs() -> list[tuple[Stage, str]]:
    """Every stage and subject the 2012 network batches serve (one workshop each)."""
    return [pair for *_, pairs in BATCHES_2012 for pair in pairs]


async def create_reference_program() -> Program:
    """The program with its policies (the seed's defaults), its phases, four batches and the
    transitional cohort."""
    program = await Program.create(
        name="江西省中小学（幼儿园）教师全员远程培训第二阶段选学名师网络研修专题",
        year="2011学年",
        holidays=[d.isoformat() for d in MAY_DAY_2012],
    )
    await create_policies(program.id)
    for kind, starts_on, ends_on in PHASES_2012:
        await ProgramPhase.create(
            program_id=program.id, kind=kind, starts_on=starts_on, ends_on=ends_on
        )
    for number, name, track, starts_on, ends_on, pairs in BATCHES_2012:
        await Batch.create(
            program_id=program.id,
            number=number,
            name=name,
            track=track,
            starts_on=starts_on,
            ends_on=ends_on,
            subjects=[{"stage": stage.value, "subject": subject} for stage, subject in pairs],
        )
    return program
