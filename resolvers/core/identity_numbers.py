"""ID numbers (居民身份证号码, GB 11643) and mobile numbers as people write them: the checks every
way in applies, pure, with a Chinese message.

The organisation's mutations, the roster import and first-sign-in provisioning refuse the same
values with the same messages; each caller gives the message its code and field.
"""

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
# Mainland mobile numbers: 11 digits, 1 then 3–9 (the carriers' number blocks).
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# A teacher in service is of working age; outside this an ID number is surely mistyped.
MIN_AGE = 16
MAX_AGE = 80


def normalise_id_number(value: str) -> str:
    """As written: spaces dropped, a lower-case x raised (both are common in filled forms)."""
    return re.sub(r"\s", "", value).upper()


def id_check_digit(first17: str) -> str:
    """The check character (ISO 7064 MOD 11-2) of an ID number's first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def birth_date_of(id_number: str) -> dt.date | None:
    """The birth date an ID number carries (digits 7–14), None when it is not a calendar date."""
    try:
        return dt.datetime.strptime(id_number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def id_number_error(value: str, today: dt.date) -> str | None:
    """Why `value` (normalised) is not the ID number of a person of working age, or None."""
    if not _ID_SHAPE.match(value):
        return "身份证号须为18位：17位数字加1位校验码（数字或X）"
    born = birth_date_of(value)
    if born is None:
        return "身份证号中的出生日期不存在"
    if not MIN_AGE <= _age(born, today) <= MAX_AGE:
        return f"身份证号中的出生日期不合理（年龄须在{MIN_AGE}至{MAX_AGE}岁之间）"
    if id_check_digit(value[:17]) != value[17]:
        return "身份证号校验码不正确，请核对"
    return None


def normalise_mobile(value: str) -> str:
    """Spaces and dashes dropped, and the +86 / 0086 country prefix."""
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
