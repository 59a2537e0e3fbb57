"""In Chromium, under the app's Content-Security-Policy: the map pages still draw, nothing is
refused, the handlers that used to be inline still work; the headers reach the browser."""

from __future__ import annotations

from tests.browser.conftest import ARTIFACTS, log_in

#: Collects every CSP violation the page reports (an init script runs outside the page's CSP).
WATCH = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""


def test_map_pages_draw_under_the_policy(page, live_url):
    tab, problems = page
    tab.add_init_script(WATCH)
    log_in(tab, live_url, name="wijkinspecteur")
    tab.wait_for_selector(".leaflet-overlay-pane path")
    assert tab.locator(".leaflet-pane canvas").count() >= 1  # the zone grid: the map script ran
    assert tab.evaluate("window.__csp") == []

    response = tab.goto(f"{live_url}/perimeters/1")
    assert response is not None
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin" and headers["cache-control"] == "no-store"
    assert headers["server"] == "MMM Planner"
    tab.wait_for_selector("#chart svg")  # Vega draws without eval
    tab.select_option("select[name=purpose]", "operations")
    tab.click("form.points button[type=submit]")  # a POST with the CSRF token
    tab.wait_for_selector(".marker-cluster")
    assert tab.evaluate("window.__csp") == []

    tab.goto(f"{live_url}/hotspots")
    tab.wait_for_selector(".leaflet-pane canvas")
    tab.locator("table.hotspots tbody a").first.click()  # data-cell, was an onclick
    tab.locator(".leaflet-popup-content").wait_for()
    assert tab.evaluate("window.__csp") == []

    tab.click("details.account > summary")  # the language is in the account's menu
    tab.select_option("#language", "fr")  # data-submit, was an onchange
    tab.wait_for_selector('html[lang="fr"]')
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "hotspots-csp.png"))
    tab.click("details.account > summary")
    tab.select_option("#language", "nl")
    tab.wait_for_selector('html[lang="nl"]')
    assert tab.evaluate("window.__csp") == []
    assert problems == []


def test_logging_out_ends_the_session_in_the_browser(page, live_url):
    tab, problems = page
    log_in(tab, live_url, name="analist")
    cookies = tab.context.cookies()
    tab.click("details.account > summary")
    tab.click("header form[action$='/logout'] button")
    tab.wait_for_url("**/login")
    tab.context.add_cookies(cookies)  # the cookie from before the logout, put back
    tab.goto(f"{live_url}/map")
    assert "/login" in tab.url
    assert problems == []
