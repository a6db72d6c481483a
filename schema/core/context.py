"""The typed per-request context every resolver receives as `info.context`."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from strawberry.types import Info as StrawberryInfo

from lms_plugin.resolvers.core.access import Viewer, require_viewer
from lms_plugin.resolvers.core.loaders import Loaders


@dataclass
class Context:
    viewer: Viewer | None
    loaders: Loaders
    request_id: str
    now_at: dt.datetime
    # The ASGI request, for hosts that need headers; resolvers of this plugin do not.
    request: Any = None
    # The clock, for work that outlives the request (an export job's finishing time).
    clock: Callable[[], dt.datetime] | None = None

    def now(self) -> dt.datetime:
        """The request's instant: one clock reading, so every rule in a request agrees."""
        return self.now_at

    def later(self) -> Callable[[], dt.datetime]:
        """The clock to read after the request (its instant when there is none)."""
        return self.clock or (lambda: self.now_at)

    def signed_in(self) -> Viewer:
        return require_viewer(self.viewer)


Info = StrawberryInfo[Context, None]
