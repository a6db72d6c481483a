"""The typed per-request context every resolver receives as `info.context`."""

import datetime as dt
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
    # Which run of the operation this is: one that lost its database connection before it
    # wrote anything runs once more (lms_plugin/http.py), with loaders of its own.
    attempt: int = 1
    # Set when an error of this run was a lost database connection (lms_plugin/error_policy.py).
    lost_connection: bool = False

    def run_again(self) -> None:
        self.attempt += 1
        self.loaders = Loaders()
        self.lost_connection = False

    def now(self) -> dt.datetime:
        """The request's instant: one clock reading, so every rule in a request agrees."""
        return self.now_at

    def signed_in(self) -> Viewer:
        return require_viewer(self.viewer)


Info = StrawberryInfo[Context, None]
