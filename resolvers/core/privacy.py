"""Personal data (ID numbers, mobiles) is masked in ordinary output."""


def mask_id_number(value: str | None) -> str | None:
    """身份证号: the first 3 and the last 4 characters show."""
    if value is None:
        return None
    return value[:3] + "*" * max(len(value) - 7, 0) + value[-4:]


def mask_mobile(value: str | None) -> str | None:
    """Mobile: the first 3 and the last 4 digits show."""
    if value is None:
        return None
    return value[:3] + "*" * max(len(value) - 7, 0) + value[-4:]


def mask_name(value: str) -> str:
    """A name shown to a stranger (a certificate's verification): the surname only, 张** ."""
    return value[:1] + "*" * max(len(value) - 1, 1)
