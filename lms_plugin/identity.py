"""Synthetic identity data for demos and tests: never a real person's."""

from lms_plugin.resolvers.core.identity_numbers import id_check_digit


def synthetic_id_number(region_code: str, birth_date: str, sequence: int) -> str:
    """An ID number with a valid check digit: region (6), birth date YYYYMMDD, sequence (3)."""
    first17 = f"{region_code}{birth_date}{sequence % 1000:03d}"
    return first17 + id_check_digit(first17)


def synthetic_mobile(sequence: int) -> str:
    """A mobile number in the 199 range reserved for no one in particular."""
    return f"199{sequence % 100_000_000:08d}"
