"""Rosters as files for the import tests: rows of the 报名汇总表, an XLSX or CSV of them, the
upload and the import over HTTP."""

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from lms_plugin.identity import synthetic_id_number, synthetic_mobile
from lms_plugin.resolvers.people.rules import ROSTER_HEADINGS
from lms_plugin.storage.models import Person

from .api import Api

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

IMPORT = """
mutation ($input: ImportRosterInput!) {
  importRoster(input: $input) {
    job { ...Job }
    userErrors { code field message }
  }
}
fragment Job on ImportJob {
  status progress totalRows errorRows createdCount updatedCount unchangedCount message
  dryRun importGoodRows
  rowErrors(first: 100) { totalCount nodes { row column code message } }
}
"""
JOB = """
query ($id: ID!) {
  importJob(id: $id) {
    status progress totalRows errorRows createdCount updatedCount unchangedCount message
  }
}
"""


def teacher_row(n: int, school_code: str, **cells: str) -> list[str]:
    """Row `n` of a roster: a synthetic teacher of `school_code`, cells replaced by heading."""
    values = {
        "用户名": f"t{n:06d}",
        "姓名": f"教师{n:06d}",
        "身份证号": synthetic_id_number("360102", "19850615", n),
        "手机号码": synthetic_mobile(n),
        "学校代码": school_code,
        "学段": "高中",
        "学科": "数学",
        "职称": "中级",
        "岗位": "",
        "研修方式": "",
    } | cells
    return [values[h] for h in ROSTER_HEADINGS]


def xlsx_of(rows: Sequence[Sequence[object]], headings: Sequence[str] = ROSTER_HEADINGS) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("报名汇总表")
    sheet.append(["培训报名汇总表"])
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_of(rows: Sequence[Sequence[object]], encoding: str) -> bytes:
    lines = [",".join(ROSTER_HEADINGS), *(",".join(str(v) for v in row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


async def upload(
    api: Api, who: Person, data: bytes, filename: str = "报名汇总表.xlsx", kind: str = XLSX_TYPE
) -> str:
    response = await api.client.post(
        "/uploads", files={"file": (filename, data, kind)}, headers=api.headers(who)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def import_roster(api: Api, who: Person | None, upload_id: str, **options: Any) -> Any:
    return await api.gql(IMPORT, {"input": {"upload": upload_id, **options}}, as_=who)


async def imported(api: Api, who: Person, data: bytes, **options: Any) -> dict[str, Any]:
    """Uploads and imports `data` as `who`: the payload's job (no user errors)."""
    body = await import_roster(api, who, await upload(api, who, data), **options)
    payload = body["data"]["importRoster"]
    assert payload["userErrors"] == [], payload
    job: dict[str, Any] = payload["job"]
    return job


def job_of(
    status: str,
    *,
    total: int,
    created: int = 0,
    updated: int = 0,
    unchanged: int = 0,
    errors: Sequence[dict[str, Any]] = (),
    message: str | None = None,
    dry_run: bool = False,
    good_rows: bool = False,
) -> dict[str, Any]:
    return {
        "status": status,
        "progress": 100,
        "totalRows": total,
        "errorRows": len({e["row"] for e in errors}),
        "createdCount": created,
        "updatedCount": updated,
        "unchangedCount": unchanged,
        "message": message,
        "dryRun": dry_run,
        "importGoodRows": good_rows,
        "rowErrors": {"totalCount": len(errors), "nodes": list(errors)},
    }


def row_error(row: int, column: str, code: str, message: str) -> dict[str, Any]:
    return {"row": row, "column": column, "code": code, "message": message}
