"""Synthetic identity data for demos and tests: never a real person's."""

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character of an 18-character ID number."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def synthetic_id_number(region_code: str, birth_date: str, sequence: int) -> str:
    """An ID number with a valid check digit: region (6), birth date YYYYMMDD, sequence (3)."""
    first17 = f"{region_code}{birth_date}{sequence % 1000:03d}"
    return first17 + id_check_digit(first17)


def synthetic_mobile(sequence: int) -> str:
    """A mobile number in the 199 range reserved for no one in particular."""
    return f"199{sequence % 100_000_000:08d}"
