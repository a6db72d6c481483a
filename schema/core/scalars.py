"""Presenting times: one rule for every DateTime the API returns. Instants are stored in UTC and
shown with the offset of the plugin's display time zone (LMS_TIME_ZONE, Asia/Shanghai by
default); each program's rules are still judged in that program's own zone."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from strawberry.schema.types.base_scalars import DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

DEFAULT_TIME_ZONE = "Asia/Shanghai"


def date_time_scalar(time_zone: str) -> ScalarDefinition:
    """The `DateTime` scalar, shown in `time_zone`; input is parsed as strawberry does."""
    zone = ZoneInfo(time_zone)

    def shown(value: dt.datetime) -> str:
        return value.astimezone(zone).isoformat()

    return dataclasses.replace(
        DateTimeDefinition,
        description=f"日期时间（date with time, ISO 8601），以 {time_zone} 时区的偏移显示",
        serialize=shown,
    )
