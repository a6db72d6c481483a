"""First sign-in provisioning (issue 9, optional: `LMS_PROVISION_ON_SIGN_IN`): a valid token for
a user the plugin does not know creates the person from the host token's claims, checked by the
same rules as a roster row. Claims that fail them create nothing and are refused with codes.

The claims a host sends (strings): `name` (姓名), `id_number` (身份证号), `mobile` (手机号码),
`school_code` (学校代码), `stage` (学段), `subject` (学科), `title_rank` (职称), and optionally
`post` (岗位) and `track` (研修方式), written as in a roster.
"""

import datetime as dt
from collections.abc import Mapping

from tortoise.exceptions import IntegrityError

from lms_plugin.resolvers.core.access import Viewer, load_viewer
from lms_plugin.resolvers.core.errors import ErrorCode
from lms_plugin.resolvers.core.sheets import RowError, SheetRow
from lms_plugin.storage.models import Person, School
from lms_plugin.storage.organisation import by_id_number

from .rules import (
    ID_NUMBER,
    MOBILE,
    POST,
    REAL_NAME,
    RECORD_FIELDS,
    SCHOOL_CODE,
    STAGE,
    SUBJECT,
    TITLE_RANK,
    TRACK,
    USERNAME,
    RosterEntry,
    roster_row,
    term,
)

# Each claim, and the roster column it fills.
CLAIMS = {
    "name": REAL_NAME,
    "id_number": ID_NUMBER,
    "mobile": MOBILE,
    "school_code": SCHOOL_CODE,
    "stage": STAGE,
    "subject": SUBJECT,
    "title_rank": TITLE_RANK,
    "post": POST,
    "track": TRACK,
}
_CLAIM_OF = {column: claim for claim, column in CLAIMS.items()} | {USERNAME: "sub"}


class ClaimsRefused(Exception):
    """The token's claims cannot make a teacher's record: each error names its claim."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(", ".join(e.code for e in errors))
        self.errors = errors


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def claims_row(username: str, claims: Mapping[str, object]) -> SheetRow:
    """The claims as a roster row (row 0: no spreadsheet)."""
    cells = {column: _text(claims.get(claim)) for claim, column in CLAIMS.items()}
    return SheetRow(0, {USERNAME: username} | cells)


def _refused(errors: list[RowError]) -> ClaimsRefused:
    return ClaimsRefused(
        [RowError(0, _CLAIM_OF.get(e.column or "", e.column), e.code, e.message) for e in errors]
    )


async def provision(username: str, claims: Mapping[str, object], today: dt.date) -> Viewer:
    """The person of an unknown user, created from their token's claims (any school of the
    province: the host vouches for them)."""
    row = claims_row(username, claims)
    code = term(row.cells[SCHOOL_CODE])
    schools = {
        str(c): int(pk) for c, pk in await School.filter(code=code).values_list("code", "id")
    }
    checked = roster_row(row, today, schools)
    if isinstance(checked, list):
        raise _refused(checked)
    await _create(checked)
    viewer = await load_viewer(username)
    assert viewer is not None
    return viewer


async def _create(entry: RosterEntry) -> None:
    if await Person.filter(**by_id_number(entry.id_number)).exists():
        raise _refused(
            [RowError(0, ID_NUMBER, ErrorCode.ID_NUMBER_TAKEN, "该身份证号已登记为另一位用户")]
        )
    try:
        await Person.create(
            id_number=entry.id_number, **{f: getattr(entry, f) for f in RECORD_FIELDS}
        )
    except IntegrityError:
        # A concurrent first request of the same user created them first; else a concurrent
        # user took the ID number.
        if not await Person.exists(username=entry.username):
            raise
