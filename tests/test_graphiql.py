"""GraphiQL in development mode comes from the package: the page refers only to its own assets
(relative URLs, so a host may mount the app under a prefix), and nothing is served without it."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from lms_plugin import graphiql
from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.settings import Settings

CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css"}
OTHER_ORIGIN_IN_CSS = re.compile(r"""(?:url\(|@import)\s*["']?(?:[a-z]+:)?//""", re.IGNORECASE)


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href"}.get(tag)
        self.urls += [value for name, value in attrs if name == wanted and value is not None]


def _assets(page: str) -> list[str]:
    parser = _Assets()
    parser.feed(page)
    return parser.urls


@asynccontextmanager
async def _client(
    settings: Settings, clock: FixedClock, prefix: str
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, clock=clock, manage_database=False)
    host = Starlette(routes=[Mount(prefix, app)]) if prefix else app
    transport = httpx.ASGITransport(app=host)
    async with httpx.AsyncClient(transport=transport, base_url="http://lms.test") as client:
        yield client


@pytest.mark.parametrize("prefix", ["", "/lms"])
async def test_the_page_loads_only_its_own_assets(
    settings: Settings, clock: FixedClock, prefix: str
) -> None:
    page_url = f"http://lms.test{prefix}/graphql"
    async with _client(replace(settings, dev_mode=True), clock, prefix) as client:
        page = await client.get(page_url, headers={"accept": "text/html"})
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        urls = _assets(page.text)
        responses = {url: await client.get(urljoin(page_url, url)) for url in urls}

    assert len(urls) == 5  # graphiql css and js, react, react-dom, start.js
    assert [url for url in urls if urlsplit(url).scheme or url.startswith("/")] == []
    for url, response in responses.items():
        assert response.status_code == 200, url
        content_type = CONTENT_TYPES[url[url.rindex(".") :]]
        assert response.headers["content-type"].startswith(content_type), url


def test_the_vendored_css_refers_to_no_other_origin() -> None:
    styles = sorted(graphiql.static_directory().glob("*.css"))
    assert styles
    assert [p.name for p in styles if OTHER_ORIGIN_IN_CSS.search(p.read_text("utf-8"))] == []


async def test_no_ide_outside_development_mode(settings: Settings, clock: FixedClock) -> None:
    assert settings.dev_mode is False
    async with _client(settings, clock, "") as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        asset = await client.get(f"{graphiql.ASSETS_PATH}/graphiql.min.js")
    assert page.status_code == 404
    assert asset.status_code == 404
