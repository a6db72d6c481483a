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
    # The app's clock, for work that outlives the request (an import job's heartbeat).
    clock: Callable[[], dt.datetime] | None = None
    # The bytes of an upload by its storage key (the files live with the HTTP layer).
    read_upload: Callable[[str], bytes] | None = None

    def clock_or_request(self) -> Callable[[], dt.datetime]:
        """The app's clock; without one (a host's own context), the request's instant."""
        return self.clock or self.now

    # The token was valid but names no person here: refusals say UNKNOWN_USER.
    unknown_user: bool = False

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

    def later(self) -> Callable[[], dt.datetime]:
        """The clock to read after the request (its instant when there is none)."""
        return self.clock or (lambda: self.now_at)

    def signed_in(self) -> Viewer:
        return require_viewer(self.viewer)


Info = StrawberryInfo[Context, None]
