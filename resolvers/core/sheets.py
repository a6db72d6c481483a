"""Reading spreadsheets that people fill in: XLSX, and the CSV Excel writes (GBK / GB18030, or
UTF-8 with a BOM). Rosters (issue 9) and exam results read them the same way.

Columns are found by their headings, matched exactly after stripping, in the first rows of the
sheet (a form often carries its title above the headings). Each row keeps the number the
spreadsheet shows, so that a person finds the row an error names. Wholly empty rows are skipped.
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .errors import DomainError, ErrorCode, Refused

# How many rows above the headings (a title, a note) are looked through for them.
HEADING_SEARCH_ROWS = 10
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


def _unreadable(message: str) -> Refused:
    return Refused([DomainError(ErrorCode.SHEET_UNREADABLE, message, ("upload",))])


def cell_text(value: object) -> str:
    """A cell's text: a whole number without `.0` (ID numbers and mobiles typed as numbers),
    a date as YYYY-MM-DD, everything stripped (full-width spaces too)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class Sheet:
    """An opened sheet: its rows under the headings asked for, read lazily (a 400,000-row
    roster never sits in memory as cells); `size_hint` is the row count the file declares."""

    size_hint: int | None
    _rows: Iterator[SheetRow]

    def __iter__(self) -> Iterator[SheetRow]:
        return self._rows


def _columns(
    raw_rows: Iterator[tuple[int, list[str]]], headings: Sequence[str]
) -> tuple[int, dict[str, int]]:
    """The headings row's number and each wanted heading's column index."""
    best: set[str] = set()
    for number, texts in raw_rows:
        found = {text: index for index, text in reversed(list(enumerate(texts))) if text}
        present = {h for h in headings if h in found}
        if len(present) == len(headings):
            return number, {h: found[h] for h in headings}
        if len(present) > len(best):
            best = present
        if number >= HEADING_SEARCH_ROWS:
            break
    missing = [h for h in headings if h not in best]
    raise Refused(
        [
            DomainError(
                ErrorCode.MISSING_COLUMN, f"表格缺少“{h}”列（表头须与模板一致）", ("upload",)
            )
            for h in missing
        ]
    )


def _rows(raw_rows: Iterator[tuple[int, list[str]]], headings: Sequence[str]) -> Iterator[SheetRow]:
    _, columns = _columns(raw_rows, headings)
    return _data_rows(raw_rows, columns)


def _data_rows(
    raw_rows: Iterator[tuple[int, list[str]]], columns: dict[str, int]
) -> Iterator[SheetRow]:
    for number, texts in raw_rows:
        if not any(texts):
            continue
        width = len(texts)
        yield SheetRow(number, {h: texts[i] if i < width else "" for h, i in columns.items()})


def _xlsx_rows(data: bytes) -> tuple[int | None, Iterator[tuple[int, list[str]]]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _unreadable("无法读取该 Excel 文件：文件已损坏或不是 XLSX 格式") from error

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [cell_text(v) for v in values]
        finally:
            book.close()

    return sheet.max_row or _estimated_rows(data, sheet), rows()


# What a row of a roster takes in a worksheet's XML, roughly (ten short text cells).
_XML_BYTES_PER_ROW = 400


def _estimated_rows(data: bytes, sheet: Any) -> int | None:
    """A sheet written without its dimension (openpyxl's write-only mode; Excel always writes
    it) is sized from its XML's length, for a progress figure only."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = archive.getinfo(sheet._worksheet_path).file_size
    except (KeyError, AttributeError, zipfile.BadZipFile):
        return None
    return max(size // _XML_BYTES_PER_ROW, 1)


def _decode_csv(data: bytes) -> str:
    """UTF-8 with or without a BOM, else GB18030 (a superset of the GBK Excel writes in China)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable("无法识别 CSV 文件的编码：请用 Excel 另存为“CSV UTF-8”或“CSV（逗号分隔）”")


def _csv_rows(data: bytes) -> tuple[int | None, Iterator[tuple[int, list[str]]]]:
    text = _decode_csv(data)
    if "\x00" in text:
        raise _unreadable("CSV 文件含有无效字符，可能不是文本文件")

    def rows() -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            # A record is a spreadsheet row, even when a quoted cell spans lines.
            for number, values in enumerate(reader, start=1):
                yield number, [v.strip() for v in values]
        except csv.Error as error:
            raise _unreadable(f"CSV 文件第{reader.line_num}行格式有误") from error

    return text.count("\n") + 1, rows()


def open_sheet(data: bytes, filename: str, headings: Sequence[str]) -> Sheet:
    """The first worksheet of an XLSX, or a CSV, with the columns under `headings`.

    Raises `Refused` (SHEET_UNREADABLE, or MISSING_COLUMN for each heading not found)."""
    name = filename.lower()
    if data.startswith(_OLE2_MAGIC):
        raise _unreadable("不支持旧版 Excel（.xls）文件：请另存为 .xlsx 后再上传")
    if data.startswith(_ZIP_MAGIC):
        size, raw = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        size, raw = _csv_rows(data)
    else:
        raise _unreadable("只能读取 XLSX 或 CSV 文件")
    return Sheet(size, _rows(raw, headings))


def read_sheet(data: bytes, filename: str, headings: Sequence[str]) -> list[SheetRow]:
    """Every data row of the sheet (see `open_sheet`), for files small enough to hold."""
    return list(open_sheet(data, filename, headings))
