"""The server's clock, for front ends that count down to a window (the device clock may differ)."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.context import Info


@strawberry.type
class Query:
    @strawberry.field(
        description=(
            "The instant the server judges rules at (UTC). Count down against it rather than the "
            "device's clock: devices drift, and a demo server runs a shifted 2012 clock."
        )
    )
    def server_time(self, info: Info) -> dt.datetime:
        return info.context.now()
