"""Reading spreadsheets: XLSX, the CSV Excel writes (GBK, UTF-8 with BOM), missing columns,
unreadable files."""

import io

import pytest
from openpyxl import Workbook

from lms_plugin.resolvers.core.errors import DomainError, Refused
from lms_plugin.resolvers.core.sheets import SheetRow, read_sheet

HEADINGS = ("姓名", "身份证号")
ROWS = [
    ["培训报名汇总表", None],
    ["姓名", "身份证号"],
    ["张三", "11010519491231002X"],
    [None, None],
    ["李 四　", 13912345678],
]
EXPECTED = [
    SheetRow(3, {"姓名": "张三", "身份证号": "11010519491231002X"}),
    SheetRow(5, {"姓名": "李 四", "身份证号": "13912345678"}),
]


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(rows: list[list[object]]) -> str:
    return "\r\n".join(",".join("" if v is None else str(v) for v in r) for r in rows) + "\r\n"


def test_xlsx_rows_with_the_spreadsheets_row_numbers() -> None:
    # A number typed in a cell reads without ".0" (a mobile; an 18-digit ID number typed as a
    # number has already lost its last digits in Excel, and fails its check digit).
    assert read_sheet(xlsx(ROWS), "报名表.xlsx", HEADINGS) == EXPECTED


def test_gbk_csv() -> None:
    assert read_sheet(csv_text(ROWS).encode("gbk"), "报名表.csv", HEADINGS) == EXPECTED


def test_utf8_bom_csv() -> None:
    assert read_sheet(csv_text(ROWS).encode("utf-8-sig"), "报名表.CSV", HEADINGS) == EXPECTED


def test_columns_found_in_any_order_and_extra_ones_ignored() -> None:
    rows = [["备注", "身份证号", "姓名"], ["x", "1", "王五"]]
    assert read_sheet(xlsx(rows), "a.xlsx", HEADINGS) == [
        SheetRow(2, {"姓名": "王五", "身份证号": "1"})
    ]


def refusal(data: bytes, filename: str) -> list[DomainError]:
    with pytest.raises(Refused) as refused:
        read_sheet(data, filename, HEADINGS)
    return refused.value.errors


def test_missing_column() -> None:
    assert refusal(xlsx([["姓名", "身份证"], ["张三", "1"]]), "a.xlsx") == [
        DomainError("MISSING_COLUMN", "表格缺少“身份证号”列（表头须与模板一致）", ("upload",))
    ]


OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"PK\x03\x04 not a zip", "a.xlsx", "无法读取该 Excel 文件：文件已损坏或不是 XLSX 格式"),
        (OLD_XLS, "a.xls", "不支持旧版 Excel（.xls）文件：请另存为 .xlsx 后再上传"),
        (b"%PDF-1.4", "a.pdf", "只能读取 XLSX 或 CSV 文件"),
        (
            b"\x81",
            "a.csv",
            "无法识别 CSV 文件的编码：请用 Excel 另存为“CSV UTF-8”或“CSV（逗号分隔）”",
        ),
    ],
)
def test_unreadable_files(data: bytes, filename: str, message: str) -> None:
    assert refusal(data, filename) == [DomainError("SHEET_UNREADABLE", message, ("upload",))]
