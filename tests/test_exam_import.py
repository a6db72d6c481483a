"""Exam results from an XLSX sheet (issue 7): 身份证号, 姓名, 成绩 (or 缺考), for the trainees
of the admin's scope; any refused row refuses the whole sheet, each row with its error."""

import base64
import datetime as dt
import io
from typing import Any

from openpyxl import Workbook

from lms_plugin.storage.enums import ExamKind, Role
from lms_plugin.storage.models import ExamResult, Person

from .api import Api, error_codes, refused
from .assessment_world import make_scene
from .factories import gid, make_admin
from .test_assessment_scenarios import JIANGXI_2012

IMPORT = """
mutation ($input: ImportExamResultsInput!) {
  importExamResults(input: $input) {
    imported rowErrors { row column code message }
    userErrors { code field message }
  }
}"""


def _sheet(
    *rows: tuple[object, ...], headings: tuple[str, ...] = ("身份证号", "姓名", "成绩")
) -> str:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


async def _world(api: Api) -> tuple[Any, Any, list[Person]]:
    scene = await make_scene(api)
    program, batch, workshop = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    people = []
    for name in ("甲学员", "乙学员"):
        enrollment = await scene.trainee(workshop, batch, name)
        people.append(await Person.get(id=enrollment.teacher_id))
    return scene, program, people


def _input(program: Any, sheet: str) -> dict[str, Any]:
    return {
        "input": {
            "programId": gid(program),
            "kind": "FORMAL",
            "filename": "正考成绩.xlsx",
            "sheetBase64": sheet,
        }
    }


async def test_a_county_admin_imports_a_sheet_of_scores_and_absences(api: Api) -> None:
    scene, program, (first, second) = await _world(api)
    sheet = _sheet((first.id_number, "甲学员", 85), (second.id_number, "乙学员", "缺考"), ())

    data = await api.data(IMPORT, _input(program, sheet), as_=scene.county)

    assert data["importExamResults"] == {"imported": 2, "rowErrors": [], "userErrors": []}
    results = await ExamResult.all().order_by("id").values_list("kind", "score")
    assert results == [(ExamKind.FORMAL, 85), (ExamKind.FORMAL, None)]


async def test_a_sheet_with_a_refused_row_writes_nothing_and_names_each_row(api: Api) -> None:
    scene, program, (first, second) = await _world(api)
    stranger = await make_admin("stranger", Role.SCHOOL_ADMIN, school=scene.org.other_school)
    sheet = _sheet(
        (first.id_number, "甲学员", 85),
        ("360102198001019999", "无此人", 70),
        (second.id_number, "乙学员", 101),
        (first.id_number, "甲学员", 60),
    )

    data = await api.data(IMPORT, _input(program, sheet), as_=scene.county)
    outside = await api.data(
        IMPORT, _input(program, _sheet((first.id_number, "甲", 1))), as_=stranger
    )

    assert data["importExamResults"] == {
        "imported": 0,
        "rowErrors": [
            {
                "row": 3,
                "column": "身份证号",
                "code": "NOT_FOUND",
                "message": "本项目在你管辖范围内没有该学员",
            },
            {
                "row": 4,
                "column": "成绩",
                "code": "INVALID_INPUT",
                "message": "成绩须为0至100的整数，或填“缺考”",
            },
            {
                "row": 5,
                "column": "身份证号",
                "code": "INVALID_INPUT",
                "message": "该学员在表中重复",
            },
        ],
        "userErrors": [],
    }
    assert outside["importExamResults"]["rowErrors"] == [
        {
            "row": 2,
            "column": "身份证号",
            "code": "NOT_FOUND",
            "message": "本项目在你管辖范围内没有该学员",
        }
    ]
    assert not await ExamResult.exists()


async def test_an_unreadable_file_or_a_missing_column_is_refused_whole(api: Api) -> None:
    scene, program, _ = await _world(api)

    not_xlsx = await api.data(
        IMPORT, _input(program, base64.b64encode(b"%PDF-1.4").decode()), as_=scene.county
    )
    no_column = await api.data(
        IMPORT, _input(program, _sheet(("x", "y"), headings=("身份证号", "姓名"))), as_=scene.county
    )
    not_base64 = await api.data(IMPORT, _input(program, "%%%"), as_=scene.county)

    assert not_xlsx["importExamResults"] == {
        "imported": None,
        "rowErrors": None,
        "userErrors": [
            {
                "code": "SHEET_UNREADABLE",
                "field": ["input", "sheetBase64"],
                "message": "只能读取 XLSX 或 CSV 文件",
            }
        ],
    }
    assert no_column["importExamResults"]["userErrors"] == [
        {
            "code": "MISSING_COLUMN",
            "field": ["input", "sheetBase64"],
            "message": "表格缺少“成绩”列（表头须与模板一致）",
        }
    ]
    assert not_base64["importExamResults"]["userErrors"] == [
        {
            "code": "INVALID_INPUT",
            "field": ["input", "sheetBase64"],
            "message": "表格内容须为 base64 编码",
        }
    ]


async def test_only_an_admin_imports_exam_results(api: Api) -> None:
    scene, program, (first, _) = await _world(api)
    variables = _input(program, _sheet((first.id_number, "甲学员", 85)))

    as_trainee = await api.gql(IMPORT, variables, as_=first)
    anonymous = await api.gql(IMPORT, variables, as_=None)
    unknown = await api.data(
        IMPORT, {"input": {**variables["input"], "programId": gid(first)}}, as_=scene.county
    )

    assert error_codes(as_trainee) == ["FORBIDDEN"]
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert unknown["importExamResults"] == {
        **refused("imported", "NOT_FOUND", "找不到该项目", "programId"),
        "rowErrors": None,
    }
