"""Presenting times: stored in UTC, shown with the offset of the program's time zone."""

import datetime as dt
from zoneinfo import ZoneInfo


def local_time(at: dt.datetime, time_zone: str) -> dt.datetime:
    return at.astimezone(ZoneInfo(time_zone))


def optional_local_time(at: dt.datetime | None, time_zone: str) -> dt.datetime | None:
    return None if at is None else local_time(at, time_zone)
