"""Reading an uploaded spreadsheet (XLSX) into rows by heading, for every import.

A minimal version of the shared interface (the roster branch owns the full one): the first
row holds the headings; each later row that is not empty becomes a `SheetRow` of its cells'
text by heading. A file that is not a readable workbook, or lacks a heading, is refused whole.
"""

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .errors import DomainError, ErrorCode, Refused


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


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(data: bytes, filename: str, headings: Sequence[str]) -> list[SheetRow]:
    """The rows of the workbook's first sheet by the given headings (other columns ignored)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise Refused(
            [DomainError(ErrorCode.SHEET_UNREADABLE, f"无法读取表格 {filename}：须为 XLSX 文件")]
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        found = [_text(v) for v in next(rows, ())]
        missing = [h for h in headings if h not in found]
        if missing:
            raise Refused(
                [
                    DomainError(
                        ErrorCode.MISSING_COLUMN, f"表格缺少列：{'、'.join(missing)}", (missing[0],)
                    )
                ]
            )
        where = {h: found.index(h) for h in headings}
        result = []
        for number, values in enumerate(rows, start=2):
            cells = {h: _text(values[i]) if i < len(values) else "" for h, i in where.items()}
            if any(cells.values()):
                result.append(SheetRow(number, cells))
        return result
    finally:
        workbook.close()
