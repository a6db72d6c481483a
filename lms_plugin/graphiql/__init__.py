"""GraphiQL from the package itself (development mode): province intranets reach no CDN.

`page.html` is served at `/graphql`; it loads `static/` from `/graphql/ide/` by relative URLs,
so the app works mounted under a prefix too. README.md says where the vendored files come from.
"""

from importlib.resources import files
from pathlib import Path

ASSETS_PATH = "/graphql/ide"


def static_directory() -> Path:
    return Path(str(files(__name__) / "static"))


def page() -> str:
    return (files(__name__) / "page.html").read_text(encoding="utf-8")
