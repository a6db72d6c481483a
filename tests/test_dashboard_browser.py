"""The admins' dashboard in a real browser with the network cut: `lms-plugin serve --demo`,
Debian's headless Chromium, the province admin's token in the link; the rates of the demo's
cities drawn by the vendored ECharts against the 96% line, the trend of its two bulletins, the
lagging cities, the award desk with its candidates, and an export downloaded. A screenshot goes
to the test's output."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Route

from .test_graphiql_browser import _token_of, browser, served_demo

__all__ = ["browser"]  # the module's Chromium fixture, shared


@pytest.fixture(scope="module")
def demo_admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The demo served: its base URL and demo.province's token."""
    with served_demo(tmp_path_factory.mktemp("dashboard")) as (base, banner):
        yield base, _token_of(banner, "demo.province")


def test_the_dashboard_draws_the_province_s_rates_offline(
    browser: Browser, demo_admin: tuple[str, str], tmp_path: Path
) -> None:
    base, token = demo_admin
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
    assert len(option["cities"]) == 11, option
    assert option["line"] == 96
    # The demo's province has studied (lms_plugin/demo.py): every city above 0%, under 96%.
    assert len(option["bars"]) == len(option["cities"])
    assert all(0 < bar < 96 for bar in option["bars"]), option
    trend = page.evaluate(
        "() => { const o = echarts.getInstanceByDom(document.getElementById('trend-chart'))"
        ".getOption(); return { labels: o.xAxis[0].data, participation: o.series[0].data,"
        " passing: o.series[1].data }; }"
    )
    assert trend == {
        "labels": ["江西省第1期 2012-05-20", "江西省第2期 2012-06-12"],
        "participation": [49.89, 65.31],
        "passing": [28.18, 97.92],
    }
    assert page.locator("#rates-chart canvas").count() == 1
    assert page.locator("#lagging li").count() == 11  # every city under 96%
    assert page.locator("#quotas tr").count() == 5  # a heading and four categories
    # Three candidates of each category with people (no trainee is featured on the home page):
    # the units, the admins and the tutors of 南昌市, each with its score and its reasons.
    assert page.locator("#candidates tr").count() == 1 + 3 * 3
    worker = page.locator("#candidates tr").nth(4).locator("td").all_inner_texts()
    assert (worker[0], worker[1], worker[3]) == ("先进工作者", "1", "67")
    tutor = page.locator("#candidates tr").nth(7).locator("td").all_inner_texts()
    assert (tutor[0], tutor[1], tutor[3], tutor[5]) == ("优秀辅导教师", "1", "100", "符合")

    page.click("#export-rates")
    link = page.wait_for_selector("#exports a[download]", timeout=20000)
    assert (link.get_attribute("download") or "").endswith(".xlsx")

    screenshot = tmp_path / "dashboard.png"
    page.screenshot(path=screenshot, full_page=True)
    print(f"screenshot: {screenshot}")
    context.close()
    assert elsewhere == []
    assert errors == []
