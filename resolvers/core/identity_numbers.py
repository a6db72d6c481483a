"""ID numbers (身份证号, GB 11643) and mobile numbers as people write them: pure checks with a
Chinese message, for roster rows, people's records and sign-in claims alike."""

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# A teacher in service is of working age; outside this an ID number is surely mistyped.
MIN_AGE = 16
MAX_AGE = 80


def normalise_id_number(value: str) -> str:
    """As written: spaces dropped, a lower-case x raised (both are common in filled forms)."""
    return re.sub(r"\s", "", value).upper()


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def id_number_error(value: str, today: dt.date) -> str | None:
    """Why `value` (normalised) is not an ID number of a person of working age, or None."""
    if not _ID_SHAPE.match(value):
        return "身份证号须为18位：17位数字加1位校验码（数字或X）"
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号中的出生日期不存在"
    if not MIN_AGE <= _age(born, today) <= MAX_AGE:
        return f"身份证号中的出生日期不合理（年龄须在{MIN_AGE}至{MAX_AGE}岁之间）"
    if check_digit(value[:17]) != value[17]:
        return "身份证号校验码不正确，请核对"
    return None


def normalise_mobile(value: str) -> str:
    """Spaces and dashes dropped, and the +86 / 86 country prefix."""
    digits = re.sub(r"[\s\-]", "", value)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    return digits


def mobile_error(value: str) -> str | None:
    """Why `value` (normalised) is not a mainland mobile number, or None."""
    if not _MOBILE.match(value):
        return "手机号码须为以1开头的11位数字"
    return None
