"""The admins' dashboard in a real browser with the network cut: `lms-plugin serve --demo`,
Debian's headless Chromium, the province admin's token in the link; the rates of the demo's
cities drawn by the vendored ECharts against the 96% line, the trend of a bulletin, the award
desk, and an export downloaded. A screenshot goes to the test's output."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Route

from .test_graphiql_browser import _token_of, browser, served_demo

__all__ = ["browser"]  # the module's Chromium fixture, shared


@pytest.fixture(scope="module")
def demo_admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The demo served: its base URL and demo.province's token."""
    with served_demo(tmp_path_factory.mktemp("dashboard")) as (base, banner):
        yield base, _token_of(banner, "demo.province")


PUBLISH = """
mutation ($program: ID!, $region: ID!) {
  publishBulletin(input: {programId: $program, regionId: $region, asOf: "2012-05-01"}) {
    bulletin { number } userErrors { code }
  }
}"""
SCOPE = "{ programs(first: 1) { nodes { id } } viewer { roles { region { id } } } }"


def _publish_a_bulletin(base: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    found = httpx.post(f"{base}/graphql", json={"query": SCOPE}, headers=headers).json()["data"]
    program = found["programs"]["nodes"][0]["id"]
    province = found["viewer"]["roles"][0]["region"]["id"]
    answer = httpx.post(
        f"{base}/graphql",
        json={"query": PUBLISH, "variables": {"program": program, "region": province}},
        headers=headers,
    ).json()
    assert answer["data"]["publishBulletin"]["userErrors"] == [], answer


def test_the_dashboard_draws_the_province_s_rates_offline(
    browser: Browser, demo_admin: tuple[str, str], tmp_path: Path
) -> None:
    base, token = demo_admin
    _publish_a_bulletin(base, token)
    elsewhere: list[str] = []
    errors: list[str] = []

    def local_only(route: Route) -> None:
        if route.request.url.startswith(f"{base}/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    context = browser.new_context(viewport={"width": 1400, "height": 1200}, accept_downloads=True)
    context.route("**/*", local_only)
    page = context.new_page()
    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/ui/dashboard.html#token={token}")
    page.wait_for_selector("body[data-loaded=true]", timeout=20000)

    # The bars: one category per city of the demo province, and the threshold line at 96%.
    option = page.evaluate(
        "() => { const o = echarts.getInstanceByDom(document.getElementById('rates-chart'))"
        ".getOption(); return { cities: o.xAxis[0].data, line: o.series[0].markLine.data[0].yAxis,"
        " bars: o.series[0].data }; }"
    )
    assert option["cities"], option
    assert option["line"] == 96
    assert len(option["bars"]) == len(option["cities"])
    trend = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('trend-chart'))"
        ".getOption().xAxis[0].data"
    )
    assert trend == ["江西省第1期 2012-05-01"]
    assert page.locator("#rates-chart canvas").count() == 1
    assert page.locator("#awards table tr").count() == 5  # a heading and four categories

    page.click("#export-rates")
    link = page.wait_for_selector("#exports a[download]", timeout=20000)
    assert (link.get_attribute("download") or "").endswith(".xlsx")

    screenshot = tmp_path / "dashboard.png"
    page.screenshot(path=screenshot, full_page=True)
    print(f"screenshot: {screenshot}")
    context.close()
    assert elsewhere == []
    assert errors == []
