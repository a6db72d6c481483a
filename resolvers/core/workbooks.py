"""Writing the spreadsheets the province asks for (XLSX, openpyxl in write-only mode, which
streams rows and keeps memory flat for a province-wide sheet). Excel and WPS open them: plain
cells, text as text, numbers as numbers, no formulas."""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook

Cell = str | int | None


@dataclass(frozen=True)
class Sheet:
    """A sheet: lines above the headings (a title, 推荐单位…), the headings, the rows."""

    name: str
    headings: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    preamble: Sequence[str] = field(default_factory=tuple)


def write_xlsx(sheets: Sequence[Sheet], progress: Callable[[int], None] | None = None) -> bytes:
    """The workbook's bytes; `progress` hears the rows written so far, every 1,000 rows."""
    workbook = Workbook(write_only=True)
    written = 0
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.name[:31])
        for line in sheet.preamble:
            worksheet.append([line])
        worksheet.append(list(sheet.headings))
        for row in sheet.rows:
            worksheet.append(list(row))
            written += 1
            if progress is not None and written % 1000 == 0:
                progress(written)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_of(sheets: Sequence[Sheet]) -> int:
    return sum(len(sheet.rows) for sheet in sheets)
