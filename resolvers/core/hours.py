"""The hour rules (R8), pure: a track's split and the progress against it."""

from dataclasses import dataclass

from lms_plugin.storage.enums import Track


@dataclass(frozen=True)
class HourSplit:
    online_hours: int
    offline_hours: int


@dataclass(frozen=True)
class HourProgress:
    """R8: each part counts up to its own quota; a surplus never fills the other part."""

    split: HourSplit
    online_seconds: int
    offline_minutes: int

    @property
    def online_counted_seconds(self) -> int:
        return min(self.online_seconds, self.split.online_hours * 3600)

    @property
    def offline_counted_minutes(self) -> int:
        return min(self.offline_minutes, self.split.offline_hours * 60)

    @property
    def online_complete(self) -> bool:
        return self.online_seconds >= self.split.online_hours * 3600

    @property
    def offline_complete(self) -> bool:
        return self.offline_minutes >= self.split.offline_hours * 60

    @property
    def complete(self) -> bool:
        return self.online_complete and self.offline_complete


def hour_split(
    track: Track,
    *,
    network: tuple[int, int],
    transitional: tuple[int, int],
) -> HourSplit:
    """R8: network 6 online + 16 offline, transitional 4 + 18 (program settings)."""
    online, offline = network if track is Track.NETWORK else transitional
    return HourSplit(online_hours=online, offline_hours=offline)
