"""The NUL check walks a document's literals once per document (then remembers the answer by
its text) and the variables on every request: a document seen before is still refused for its
literal, and a clean cached document still refused for a variable."""

from typing import Any

import pytest

from lms_plugin import app as app_module
from lms_plugin.storage.enums import Role

from .api import Api
from .factories import make_admin

LITERAL = '{ teachers(search: "张\\u0000") { totalCount } }'
VARIABLE = "query ($q: String) { teachers(search: $q) { totalCount } }"
REFUSED = {
    "data": None,
    "errors": [{"message": "输入不能包含空字符 U+0000", "extensions": {"code": "BAD_USER_INPUT"}}],
}


async def test_each_document_is_walked_once(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    await make_admin("teacher", Role.PROVINCE_ADMIN)
    walked: list[object] = []
    real_visit = app_module.visit

    def counted(document: Any, visitor: Any) -> Any:
        walked.append(document)
        return real_visit(document, visitor)

    app_module._LITERALS.clear()
    monkeypatch.setattr(app_module, "visit", counted)

    for _ in range(3):
        assert await api.gql(LITERAL, as_="teacher") == REFUSED
        assert await api.gql(VARIABLE, {"q": "张\x00"}, as_="teacher") == REFUSED
        assert await api.gql(VARIABLE, {"q": "张三"}, as_="teacher") == {
            "data": {"teachers": {"totalCount": 0}}
        }

    assert len(walked) == 2  # the two documents, once each
