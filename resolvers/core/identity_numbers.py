"""ID numbers (居民身份证号码, GB 11643) and mobile numbers: the checks every way in applies.

Pure functions, so that the organisation's mutations, the roster import and first-sign-in
provisioning refuse the same values with the same codes and messages.
"""

import datetime as dt
import re

from .errors import DomainError, ErrorCode

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
# Mainland mobile numbers: 11 digits, 1 then 3–9 (the carriers' number blocks).
_MOBILE_SHAPE = re.compile(r"^1[3-9]\d{9}$")
# Nobody in service was born before this; an earlier date is a typing error.
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


def id_check_digit(first17: str) -> str:
    """The check character (ISO 7064 MOD 11-2) of an 18-character ID number's first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str) -> str:
    """As people type it: surrounding spaces dropped, a lower-case check letter x upper-cased."""
    return value.strip().upper()


def birth_date_of(id_number: str) -> dt.date | None:
    """The birth date an ID number carries (digits 7–14), None when it is not a calendar date."""
    try:
        return dt.datetime.strptime(id_number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def id_number_error(value: str, today: dt.date) -> DomainError | None:
    """Why an ID number (normalised) is refused: its shape, its birth date (a real date, not
    before 1900, not after `today`), or its check digit; None when it is valid."""
    if not _ID_SHAPE.match(value):
        return DomainError(ErrorCode.INVALID_ID_NUMBER, "身份证号须为18位：17位数字加校验码")
    birth = birth_date_of(value)
    if birth is None or not EARLIEST_BIRTH_DATE <= birth <= today:
        return DomainError(ErrorCode.INVALID_ID_NUMBER, "身份证号中的出生日期无效")
    if id_check_digit(value[:17]) != value[17]:
        return DomainError(ErrorCode.INVALID_ID_NUMBER, "身份证号校验码不正确")
    return None


def normalise_mobile(value: str) -> str:
    """Spaces and hyphens people put between the digit groups dropped."""
    return re.sub(r"[\s-]", "", value)


def mobile_error(value: str) -> DomainError | None:
    """Why a mobile number (normalised) is refused; None when it is a mainland mobile number."""
    if not _MOBILE_SHAPE.match(value):
        return DomainError(ErrorCode.INVALID_MOBILE, "手机号须为以1开头的11位数字")
    return None
