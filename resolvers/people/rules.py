"""The roster's rules, pure: one row of the 报名汇总表 (seed 004 附件一/附件二) as a teacher's
record, the Chinese terms people write mapped to the stored enums, and duplicates in a file.

Every refusal is a `RowError` naming the row, the column heading and a Chinese message, so that
the person who filled the sheet finds the cell.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

from lms_plugin.resolvers.core.errors import ErrorCode
from lms_plugin.resolvers.core.identity_numbers import (
    id_number_error,
    mobile_error,
    normalise_id_number,
    normalise_mobile,
)
from lms_plugin.resolvers.core.sheets import RowError, SheetRow
from lms_plugin.storage.enums import Post, Stage, TitleRank, Track

USERNAME = "用户名"
REAL_NAME = "姓名"
ID_NUMBER = "身份证号"
MOBILE = "手机号码"
SCHOOL_CODE = "学校代码"
STAGE = "学段"
SUBJECT = "学科"
TITLE_RANK = "职称"
POST = "岗位"
TRACK = "研修方式"

# 培训报名汇总表: the columns in the order of the form (grouped by title rank and stage).
ROSTER_HEADINGS = (
    USERNAME,
    REAL_NAME,
    ID_NUMBER,
    MOBILE,
    SCHOOL_CODE,
    STAGE,
    SUBJECT,
    TITLE_RANK,
    POST,
    TRACK,
)
# The stored column widths (storage/organisation.py Person).
_LIMITS = {USERNAME: 64, REAL_NAME: 64, SUBJECT: 32}


def term(value: str) -> str:
    """A written term compared as people mean it: full-width forms folded (NFKC), every space
    (full-width ones too) dropped."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value))


STAGE_TERMS: Mapping[str, Stage] = {
    "高中": Stage.HIGH,
    "普通高中": Stage.HIGH,
    "高级中学": Stage.HIGH,
    "初中": Stage.JUNIOR,
    "初级中学": Stage.JUNIOR,
    "小学": Stage.PRIMARY,
    "幼儿园": Stage.KINDERGARTEN,
    "幼教": Stage.KINDERGARTEN,
    "学前": Stage.KINDERGARTEN,
    "学前教育": Stage.KINDERGARTEN,
    "职业中学": Stage.VOCATIONAL,
    "职中": Stage.VOCATIONAL,
    "职高": Stage.VOCATIONAL,
    "中职": Stage.VOCATIONAL,
}
# 初级 / 中级 / 高级 (seed 004), also the grades of the titles themselves: 中学高级 and the
# 2015 正高级 / 高级 are senior; 中学一级 and the old 小学高级 intermediate; 二级 and 三级 junior.
TITLE_TERMS: Mapping[str, TitleRank] = {
    "高级": TitleRank.SENIOR,
    "正高级": TitleRank.SENIOR,
    "正高": TitleRank.SENIOR,
    "副高": TitleRank.SENIOR,
    "副高级": TitleRank.SENIOR,
    "中学高级": TitleRank.SENIOR,
    "中级": TitleRank.INTERMEDIATE,
    "一级": TitleRank.INTERMEDIATE,
    "中学一级": TitleRank.INTERMEDIATE,
    "小学高级": TitleRank.INTERMEDIATE,
    "幼儿园高级": TitleRank.INTERMEDIATE,
    "初级": TitleRank.JUNIOR,
    "二级": TitleRank.JUNIOR,
    "三级": TitleRank.JUNIOR,
    "中学二级": TitleRank.JUNIOR,
    "中学三级": TitleRank.JUNIOR,
    "小学一级": TitleRank.JUNIOR,
    "小学二级": TitleRank.JUNIOR,
    "小学三级": TitleRank.JUNIOR,
    "幼儿园一级": TitleRank.JUNIOR,
    "幼儿园二级": TitleRank.JUNIOR,
}
POST_TERMS: Mapping[str, Post] = {
    "教师": Post.TEACHER,
    "普通教师": Post.TEACHER,
    "专任教师": Post.TEACHER,
    "新入职教师": Post.NEW_TEACHER,
    "新入职": Post.NEW_TEACHER,
    "新教师": Post.NEW_TEACHER,
    "新任班主任": Post.NEW_HEAD_TEACHER,
    "校长": Post.PRINCIPAL,
    "园长": Post.KINDERGARTEN_DIRECTOR,
    "远程培训管理者": Post.TRAINING_MANAGER,
    "培训管理者": Post.TRAINING_MANAGER,
}
TRACK_TERMS: Mapping[str, Track] = {
    "网络": Track.NETWORK,
    "网络学习": Track.NETWORK,
    "网络研修": Track.NETWORK,
    "过渡": Track.TRANSITIONAL,
    "过渡学习": Track.TRANSITIONAL,
    "过渡性学习": Track.TRANSITIONAL,
}


def _title_key(value: str) -> str:
    """`中学高级教师` and `高级职称` name the same grade as `中学高级` and `高级`."""
    key = term(value)
    for suffix in ("教师", "职称"):
        key = key.removesuffix(suffix)
    return key


def stage_of(value: str) -> Stage | None:
    return STAGE_TERMS.get(term(value))


def title_rank_of(value: str) -> TitleRank | None:
    return TITLE_TERMS.get(_title_key(value))


def post_of(value: str) -> Post | None:
    """An empty cell is an ordinary teacher."""
    return Post.TEACHER if not term(value) else POST_TERMS.get(term(value))


def track_of(value: str) -> Track | None:
    """An empty cell is the network track."""
    return Track.NETWORK if not term(value) else TRACK_TERMS.get(term(value))


class RosterEntry(NamedTuple):
    """A valid row as the values stored on the teacher's record (a tuple: 400,000 of them are
    held between validating a file and writing it)."""

    row: int
    username: str
    real_name: str
    id_number: str
    mobile: str
    school_id: int
    stage: Stage
    subject: str
    title_rank: TitleRank
    post: Post
    track: Track


def roster_row(
    row: SheetRow, today: dt.date, schools: Mapping[str, int]
) -> RosterEntry | list[RowError]:
    """The teacher a row describes, or every error of the row.

    `schools` maps the codes of the schools in the uploader's scope to their ids: a code outside
    it reads like an unknown one (an admin learns nothing of other regions' schools)."""
    cells = row.cells
    errors: list[RowError] = []

    def error(column: str, code: ErrorCode, message: str) -> None:
        errors.append(RowError(row.number, column, code, message))

    for column in (USERNAME, REAL_NAME, ID_NUMBER, MOBILE, SCHOOL_CODE, STAGE, SUBJECT, TITLE_RANK):
        if not cells[column]:
            error(column, ErrorCode.REQUIRED_VALUE, f"“{column}”不能为空")
    for column, limit in _LIMITS.items():
        if len(term(cells[column])) > limit:
            error(column, ErrorCode.INVALID_INPUT, f"“{column}”不能超过{limit}个字")
    username = cells[USERNAME]
    if username and re.search(r"\s", username):
        error(USERNAME, ErrorCode.INVALID_INPUT, "用户名不能含有空格")
    id_number = normalise_id_number(cells[ID_NUMBER])
    if id_number and (message := id_number_error(id_number, today)):
        error(ID_NUMBER, ErrorCode.INVALID_ID_NUMBER, message)
    mobile = normalise_mobile(cells[MOBILE])
    if mobile and (message := mobile_error(mobile)):
        error(MOBILE, ErrorCode.INVALID_MOBILE, message)
    school_code = term(cells[SCHOOL_CODE])
    school_id = schools.get(school_code)
    if school_code and school_id is None:
        error(
            SCHOOL_CODE,
            ErrorCode.UNKNOWN_SCHOOL,
            f"学校代码“{school_code}”不存在，或不在你的管理范围内",
        )
    stage = stage_of(cells[STAGE])
    if cells[STAGE] and stage is None:
        error(STAGE, ErrorCode.UNKNOWN_TERM, "学段须为：高中、初中、小学、幼儿园或职业中学")
    title_rank = title_rank_of(cells[TITLE_RANK])
    if cells[TITLE_RANK] and title_rank is None:
        error(
            TITLE_RANK,
            ErrorCode.UNKNOWN_TERM,
            "职称须为：初级、中级、高级（或中学高级、一级、二级等）",
        )
    post = post_of(cells[POST])
    if post is None:
        error(
            POST,
            ErrorCode.UNKNOWN_TERM,
            "岗位须为：教师、新入职教师、新任班主任、校长、园长或远程培训管理者（可不填）",
        )
    track = track_of(cells[TRACK])
    if track is None:
        error(TRACK, ErrorCode.UNKNOWN_TERM, "研修方式须为：网络学习或过渡学习")
    # Each of these is None only when the row has an error about it.
    if errors or school_id is None or not (stage and title_rank and post and track):
        return errors
    return RosterEntry(
        row=row.number,
        username=username,
        real_name=term(cells[REAL_NAME]),
        id_number=id_number,
        mobile=mobile,
        school_id=school_id,
        stage=stage,
        subject=term(cells[SUBJECT]),
        title_rank=title_rank,
        post=post,
        track=track,
    )


class FileDuplicates:
    """Remembers the ID numbers and user names seen in a file: a second row with either is an
    error naming the first (the first row stands)."""

    def __init__(self) -> None:
        self._id_numbers: dict[str, int] = {}
        self._usernames: dict[str, int] = {}

    def errors(self, entry: RosterEntry) -> list[RowError]:
        found: list[RowError] = []
        for column, seen, value in (
            (ID_NUMBER, self._id_numbers, entry.id_number),
            (USERNAME, self._usernames, entry.username),
        ):
            first = seen.setdefault(value, entry.row)
            if first != entry.row:
                found.append(
                    RowError(
                        entry.row,
                        column,
                        ErrorCode.DUPLICATE_IN_FILE,
                        f"{column}与第{first}行重复",
                    )
                )
        return found


def teacher_of_other_school(row: int) -> RowError:
    """The ID number is a teacher's of a school outside the uploader's scope: not moved."""
    return RowError(
        row,
        ID_NUMBER,
        ErrorCode.TEACHER_OF_OTHER_SCHOOL,
        "该身份证号已登记为你管理范围之外学校的教师，不能在此导入；请联系其所在地区的管理员",
    )


def username_taken(row: int) -> RowError:
    return RowError(row, USERNAME, ErrorCode.USERNAME_TAKEN, "该用户名已被另一位教师使用")


# The fields of a teacher's record an import writes, in the order of `RosterEntry`.
RECORD_FIELDS = (
    "username",
    "real_name",
    "mobile",
    "school_id",
    "stage",
    "subject",
    "title_rank",
    "post",
    "track",
)


def changed_fields(current: Mapping[str, object], entry: RosterEntry) -> list[str]:
    """The record's fields the row changes (none: the teacher is unchanged)."""
    return [name for name in RECORD_FIELDS if current[name] != getattr(entry, name)]
