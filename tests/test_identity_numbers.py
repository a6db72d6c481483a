"""ID numbers (GB 11643) and mobiles, at their edges: the rules every way in applies."""

import datetime as dt

import pytest

from lms_plugin.identity import synthetic_id_number
from lms_plugin.resolvers.core.identity_numbers import (
    birth_date_of,
    id_check_digit,
    id_number_error,
    mobile_error,
    normalise_id_number,
    normalise_mobile,
)

TODAY = dt.date(2012, 4, 20)
SHAPE = "身份证号须为18位：17位数字加1位校验码（数字或X）"
BIRTH = "身份证号中的出生日期不存在"
AGE = "身份证号中的出生日期不合理（年龄须在16至80岁之间）"
CHECK = "身份证号校验码不正确，请核对"


def test_the_check_digit_is_mod_11_2_with_x_for_ten() -> None:
    # GB 11643's worked example.
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("36010219800101001") == "3"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("11010519491231002X", None),
        ("360102198001010013", None),
        ("360102198001010014", CHECK),
        ("11010519491231002x", SHAPE),  # not normalised
        ("110105194912310021", CHECK),
        ("11010519491231002", SHAPE),
        ("1101051949123100211", SHAPE),
        ("11010519491231002Y", SHAPE),
        ("1101051949123100X2", SHAPE),
    ],
)
def test_id_numbers_by_shape_and_check_digit(value: str, error: str | None) -> None:
    assert id_number_error(value, TODAY) == error


@pytest.mark.parametrize(
    ("birth", "error"),
    [
        ("19310421", None),  # 80 years old today, the oldest
        ("19310420", AGE),
        ("19960420", None),  # 16 today, the youngest
        ("19960421", AGE),
        ("19810229", BIRTH),  # 1981 was no leap year…
        ("19840229", None),  # …1984 was
        ("19000229", BIRTH),  # 1900 was no leap year
        ("19801301", BIRTH),
        ("19800132", BIRTH),
    ],
)
def test_id_numbers_carry_a_real_birth_date_of_working_age(birth: str, error: str | None) -> None:
    first17 = f"360102{birth}001"
    assert id_number_error(first17 + id_check_digit(first17), TODAY) == error


def test_the_birth_date_and_normalising() -> None:
    assert birth_date_of(synthetic_id_number("360102", "19800101", 7)) == dt.date(1980, 1, 1)
    assert birth_date_of("360102198013010011") is None
    assert normalise_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("13800138000", True),
        ("19912345678", True),
        ("12800138000", False),  # no carrier block starts 12
        ("1380013800", False),
        ("138001380000", False),
        ("23800138000", False),
        ("1380013800a", False),
    ],
)
def test_mobiles_are_eleven_digits_of_a_mainland_block(value: str, valid: bool) -> None:
    expected = None if valid else "手机号码须为以1开头的11位数字"
    assert mobile_error(value) == expected


def test_mobiles_are_normalised_from_the_way_people_write_them() -> None:
    assert normalise_mobile("138-0013 8000") == "13800138000"
