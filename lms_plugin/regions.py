"""Region files for `lms-plugin load-regions`: CSV, UTF-8, headings code,name,level,parent_code.

The Jiangxi tree the demo uses ships with the package (`data/regions-jiangxi.csv`).
"""

from importlib import resources

from lms_plugin.resolvers.core.sheets import read_sheet
from lms_plugin.resolvers.organisation.use_cases import RegionRow

HEADINGS = ("code", "name", "level", "parent_code")
JIANGXI = "regions-jiangxi.csv"


def region_rows(data: bytes, filename: str) -> list[RegionRow]:
    """The file's rows; raises Refused (SHEET_UNREADABLE, MISSING_COLUMN) for an unreadable file."""
    return [
        RegionRow(
            row.number,
            row.cells["code"],
            row.cells["name"],
            row.cells["level"],
            row.cells["parent_code"],
        )
        for row in read_sheet(data, filename, HEADINGS)
    ]


def jiangxi_csv() -> bytes:
    return (resources.files("lms_plugin") / "data" / JIANGXI).read_bytes()


def jiangxi_rows() -> list[RegionRow]:
    return region_rows(jiangxi_csv(), JIANGXI)
