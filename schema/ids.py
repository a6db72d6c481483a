"""Global ids (`Type:pk`, base64) and cursors."""

import base64
import binascii

import strawberry

from lms_plugin.resolvers.errors import ErrorCode, refuse


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


def pk_of(global_id: str, type_name: str, *field: str) -> int:
    """The primary key of an input id of the expected type, or a NOT_FOUND refusal."""
    try:
        found_type, pk = decode_id(global_id)
    except InvalidId:
        found_type, pk = "", 0
    if found_type != type_name:
        raise refuse(ErrorCode.NOT_FOUND, f"找不到该{type_name}", *field)
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
