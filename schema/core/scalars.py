"""Dates and times: one rule for every DateTime the API returns. Instants are stored in UTC and
shown with the offset of the plugin's display time zone (LMS_TIME_ZONE, Asia/Shanghai by
default); each program's rules are still judged in that program's own zone."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from strawberry.schema.types.base_scalars import (
    DateDefinition,
    DateTimeDefinition,
    TimeDefinition,
)
from strawberry.types.scalar import ScalarDefinition

DEFAULT_TIME_ZONE = "Asia/Shanghai"


def date_and_time_scalars(time_zone: str) -> dict[object, ScalarDefinition]:
    """Strawberry's Date, DateTime and Time, parsed as strawberry does, described in Chinese;
    DateTime shown in `time_zone`."""
    zone = ZoneInfo(time_zone)

    def shown(value: dt.datetime) -> str:
        return value.astimezone(zone).isoformat()

    return {
        dt.date: dataclasses.replace(
            DateDefinition,
            description="日期（date），ISO 8601 格式，如 2012-04-27；按项目时区的当地日期。",
        ),
        dt.datetime: dataclasses.replace(
            DateTimeDefinition,
            description=f"时刻（date-time），ISO 8601 格式，输出总带 {time_zone} 时区的偏移，"
            "如 2012-04-27T09:00:00+08:00；输入不带偏移时按项目当地时间。",
            serialize=shown,
        ),
        dt.time: dataclasses.replace(
            TimeDefinition,
            description="一天中的时刻（time），ISO 8601 格式，如 09:00:00；当地时间。",
        ),
    }
