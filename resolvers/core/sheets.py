"""Reading a spreadsheet's rows by their headings (the shared interface of every import).

This version reads CSV (UTF-8, with or without the BOM Excel writes, else GBK); the roster
import's version adds XLSX behind the same interface.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import ErrorCode, refuse


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row's number as the spreadsheet shows it (1-based, headings row included)
    cells: dict[str, str]  # heading → the cell's text, stripped ("" when empty)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    code: str
    message: str  # Chinese message


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise refuse(ErrorCode.SHEET_UNREADABLE, "无法读取文件：须为 UTF-8 或 GBK 编码的 CSV")


def read_sheet(data: bytes, filename: str, headings: Sequence[str]) -> list[SheetRow]:
    """The rows under the headings row, each cell by its heading; blank rows skipped."""
    if not filename.lower().endswith(".csv"):
        raise refuse(ErrorCode.SHEET_UNREADABLE, "无法读取文件：须为 CSV 文件")
    try:
        table = list(csv.reader(io.StringIO(_text(data), newline="")))
    except csv.Error as error:
        raise refuse(ErrorCode.SHEET_UNREADABLE, "无法读取文件：CSV 格式有误") from error
    found = [cell.strip() for cell in table[0]] if table else []
    missing = [h for h in headings if h not in found]
    if missing:
        raise refuse(ErrorCode.MISSING_COLUMN, f"缺少列：{'、'.join(missing)}")
    index = {h: found.index(h) for h in headings}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(
            SheetRow(
                number,
                {h: cells[i].strip() if i < len(cells) else "" for h, i in index.items()},
            )
        )
    return rows
