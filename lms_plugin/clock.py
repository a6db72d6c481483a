"""The current time, from one place, so that tests and demos can fix it."""

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """An aware datetime in UTC."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock that stands still until it is set or advanced."""

    def __init__(self, at: dt.datetime) -> None:
        self.set(at)

    def set(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = at.astimezone(dt.UTC)

    def advance(self, **delta: float) -> None:
        self._now += dt.timedelta(**delta)

    def now(self) -> dt.datetime:
        return self._now


class OffsetClock:
    """Real time shifted to start at a given instant: a demo of 2012 whose minutes still pass."""

    def __init__(self, starts_at: dt.datetime) -> None:
        self.offset = starts_at.astimezone(dt.UTC) - dt.datetime.now(dt.UTC)

    @classmethod
    def shifted_by(cls, offset: dt.timedelta) -> "OffsetClock":
        """The clock another process made, from its offset (the workers of `serve`)."""
        clock = cls(dt.datetime.now(dt.UTC))
        clock.offset = offset
        return clock

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset
