"""Global ids (`Type:pk`, base64) and cursors."""

import base64
import binascii

import strawberry

from lms_plugin.resolvers.core.errors import ErrorCode, refuse


class InvalidId(ValueError):
    pass


def encode_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode())


def decode_id(global_id: str) -> tuple[str, int]:
    try:
        type_name, _, pk = base64.urlsafe_b64decode(global_id.encode()).decode().partition(":")
        return type_name, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidId(global_id) from exc


# What a refusal calls each type: messages are in Chinese, type names are not.
_NOUNS = {
    "Program": "项目",
    "Batch": "批次",
    "Workshop": "工作室",
    "Topic": "专题",
    "Resource": "资源",
    "TrainingClass": "班级",
    "Person": "人员",
    "School": "学校",
    "Region": "地区",
    "Vendor": "承训机构",
    "RoleGrant": "角色授予",
    "Enrollment": "报名记录",
    "StudySession": "学习记录",
    "OfflineStudyLog": "线下研修记录",
    "Assignment": "作业",
    "Submission": "作业提交",
    "Attachment": "附件",
    "Announcement": "公告",
    "Briefing": "简报",
    "DiscussionTopic": "讨论主题",
    "DiscussionPost": "讨论帖",
    "Recommendation": "推荐",
    "ImportJob": "导入任务",
    "GroupRegistration": "集体报名",
}


def noun_of(type_name: str) -> str:
    """What a refusal calls an object of this type."""
    return _NOUNS.get(type_name, "对象")


def found_pk(global_id: str | None, type_name: str) -> int | None:
    """The key of a query argument's id of that type; None when absent.

    An id that names nothing (malformed, or of another type) reads as not found, as an object
    outside the caller's scope does and as `node(id:)` does: None, never an error.
    """
    if global_id is None:
        return None
    try:
        found_type, pk = decode_id(global_id)
    except InvalidId:
        return None
    return pk if found_type == type_name else None


def names_nothing(global_id: str | None, type_name: str) -> bool:
    """An optional query argument given an id that names nothing: the answer is not found
    (null or empty), not the one without that argument."""
    return global_id is not None and found_pk(global_id, type_name) is None


def pk_of(global_id: str, type_name: str, *field: str) -> int:
    """The primary key of an input id of the expected type, or a NOT_FOUND refusal."""
    pk = found_pk(global_id, type_name)
    if pk is None:
        raise refuse(ErrorCode.NOT_FOUND, f"找不到该{noun_of(type_name)}", *field)
    return pk


def optional_pk(global_id: str | None, type_name: str, *field: str) -> int | None:
    return None if global_id is None else pk_of(global_id, type_name, *field)


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{pk}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        prefix, _, pk = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if prefix == "cursor":
            return int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidId(cursor)
