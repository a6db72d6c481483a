"""The server's clock, for front ends that count down to a window (the device clock may differ)."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.context import Info


@strawberry.type
class Query:
    @strawberry.field(
        description=(
            "服务器时间（server time，UTC）：服务器据以判断各规则（R1、R3）的时刻。"
            "倒计时请以它为准，"
            "不要用设备时钟：设备时钟会漂移，演示服务器运行的是平移到 2012 年的时钟。"
        )
    )
    def server_time(self, info: Info) -> dt.datetime:
        return info.context.now()
