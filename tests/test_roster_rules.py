"""The roster's pure rules at their edges: ID numbers, mobiles, the Chinese terms, a row."""

import datetime as dt

import pytest

from lms_plugin.identity import synthetic_id_number
from lms_plugin.resolvers.core.identity_numbers import (
    id_check_digit,
    id_number_error,
    mobile_error,
    normalise_id_number,
    normalise_mobile,
)
from lms_plugin.resolvers.core.sheets import RowError, SheetRow
from lms_plugin.resolvers.people.rules import (
    ROSTER_HEADINGS,
    FileDuplicates,
    RosterEntry,
    post_of,
    roster_row,
    stage_of,
    title_rank_of,
    track_of,
)
from lms_plugin.storage.enums import Post, Stage, TitleRank, Track

TODAY = dt.date(2012, 4, 20)


def with_check(first17: str) -> str:
    return first17 + id_check_digit(first17)


def test_a_valid_id_number_passes() -> None:
    assert id_number_error(with_check("36010219800101001"), TODAY) is None


def test_a_wrong_check_digit_is_refused() -> None:
    good = with_check("36010219800101001")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert id_number_error(wrong, TODAY) == "身份证号校验码不正确，请核对"


def test_check_digit_x() -> None:
    # 11010519491231002X is the standard's own example.
    assert id_check_digit("11010519491231002") == "X"
    assert id_number_error("11010519491231002X", dt.date(2020, 1, 1)) is None


@pytest.mark.parametrize(
    ("birth", "error"),
    [
        ("19800229", None),  # a leap year
        ("19810229", "身份证号中的出生日期不存在"),
        ("20000229", None),  # divisible by 400: a leap year
        ("19001301", "身份证号中的出生日期不存在"),
    ],
)
def test_feb_29_exists_only_in_leap_years(birth: str, error: str | None) -> None:
    assert id_number_error(with_check(f"360102{birth}001"), dt.date(2020, 1, 1)) == error


@pytest.mark.parametrize(
    ("birth", "ok"),
    [("19960420", True), ("19960421", False), ("19310421", True), ("19310420", False)],
)
def test_age_between_16_and_80(birth: str, ok: bool) -> None:
    error = id_number_error(with_check(f"360102{birth}001"), TODAY)
    assert (error is None) is ok
    if not ok:
        assert error == "身份证号中的出生日期不合理（年龄须在16至80岁之间）"


@pytest.mark.parametrize("value", ["3601021980010100", "36010219800101001Y", "", "３６"])
def test_id_number_shape(value: str) -> None:
    assert id_number_error(value, TODAY) == "身份证号须为18位：17位数字加1位校验码（数字或X）"


def test_id_number_written_with_spaces_and_lower_x() -> None:
    assert normalise_id_number(" 110105 19491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "ok"),
    [("13912345678", True), ("19912345678", True), ("12912345678", False), ("1391234567", False)],
)
def test_mobile(value: str, ok: bool) -> None:
    assert (mobile_error(value) is None) is ok


def test_mobile_written_with_prefix_and_dashes() -> None:
    assert normalise_mobile("+86 139-1234-5678") == "13912345678"


@pytest.mark.parametrize(
    ("written", "stage"),
    [
        ("高中", Stage.HIGH),
        ("初中", Stage.JUNIOR),
        ("小学", Stage.PRIMARY),
        ("幼儿园", Stage.KINDERGARTEN),
        ("职业中学", Stage.VOCATIONAL),
        ("　高 中　", Stage.HIGH),  # full-width spaces
        ("大学", None),
    ],
)
def test_stage_terms(written: str, stage: Stage | None) -> None:
    assert stage_of(written) == stage


@pytest.mark.parametrize(
    ("written", "rank"),
    [
        ("高级", TitleRank.SENIOR),
        ("中学高级", TitleRank.SENIOR),
        ("中学高级教师", TitleRank.SENIOR),
        ("正高级", TitleRank.SENIOR),
        ("中级", TitleRank.INTERMEDIATE),
        ("一级", TitleRank.INTERMEDIATE),
        ("小学高级", TitleRank.INTERMEDIATE),
        ("初级", TitleRank.JUNIOR),
        ("二级教师", TitleRank.JUNIOR),
        ("小学一级", TitleRank.JUNIOR),
        ("特级", None),
    ],
)
def test_title_rank_terms(written: str, rank: TitleRank | None) -> None:
    assert title_rank_of(written) == rank


@pytest.mark.parametrize(
    ("written", "post"),
    [
        ("", Post.TEACHER),
        ("教师", Post.TEACHER),
        ("新入职教师", Post.NEW_TEACHER),
        ("新任班主任", Post.NEW_HEAD_TEACHER),
        ("校长", Post.PRINCIPAL),
        ("园长", Post.KINDERGARTEN_DIRECTOR),
        ("远程培训管理者", Post.TRAINING_MANAGER),
        ("司机", None),
    ],
)
def test_post_terms(written: str, post: Post | None) -> None:
    assert post_of(written) == post


@pytest.mark.parametrize(
    ("written", "track"),
    [
        ("", Track.NETWORK),
        ("网络学习", Track.NETWORK),
        ("过渡学习", Track.TRANSITIONAL),
        ("x", None),
    ],
)
def test_track_terms(written: str, track: Track | None) -> None:
    assert track_of(written) == track


ID = synthetic_id_number("360102", "19800101", 1)


def row(number: int = 2, **cells: str) -> SheetRow:
    base = dict(
        zip(
            ROSTER_HEADINGS,
            ["t1", "张三", ID, "13912345678", "S1", "高中", "数学", "高级", "", ""],
            strict=True,
        )
    )
    return SheetRow(number, base | cells)


SCHOOLS = {"S1": 7}


def test_a_good_row_becomes_an_entry() -> None:
    assert roster_row(row(), TODAY, SCHOOLS) == RosterEntry(
        2, "t1", "张三", ID, "13912345678", 7, Stage.HIGH, "数学", TitleRank.SENIOR,
        Post.TEACHER, Track.NETWORK,
    )  # fmt: skip


def test_every_error_of_a_row_is_reported() -> None:
    bad = row(5, 姓名="", 身份证号="123", 手机号码="123", 学校代码="S9", 学段="大学", 职称="特级")
    assert roster_row(bad, TODAY, SCHOOLS) == [
        RowError(5, "姓名", "REQUIRED_VALUE", "“姓名”不能为空"),
        RowError(
            5, "身份证号", "INVALID_ID_NUMBER", "身份证号须为18位：17位数字加1位校验码（数字或X）"
        ),
        RowError(5, "手机号码", "INVALID_MOBILE", "手机号码须为以1开头的11位数字"),
        RowError(5, "学校代码", "UNKNOWN_SCHOOL", "学校代码“S9”不存在，或不在你的管理范围内"),
        RowError(5, "学段", "UNKNOWN_TERM", "学段须为：高中、初中、小学、幼儿园或职业中学"),
        RowError(
            5, "职称", "UNKNOWN_TERM", "职称须为：初级、中级、高级（或中学高级、一级、二级等）"
        ),
    ]


def test_duplicates_in_a_file_name_the_first_row() -> None:
    seen = FileDuplicates()
    first = roster_row(row(2), TODAY, SCHOOLS)
    second = roster_row(row(9, 用户名="t2"), TODAY, SCHOOLS)
    assert isinstance(first, RosterEntry)
    assert isinstance(second, RosterEntry)
    assert seen.errors(first) == []
    assert seen.errors(second) == [
        RowError(9, "身份证号", "DUPLICATE_IN_FILE", "身份证号与第2行重复")
    ]
