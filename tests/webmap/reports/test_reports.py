"""Report pages: progress report (page and PDF) and meeting dossier — roles, scope, audit."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from pypdf import PdfReader

from mmm.plans import list_plans
from mmm.store import open_store
from tests.webmap.pages import foreign_urls


def _plan_ids(store_url: str) -> dict[str, int]:
    return {p.perimeter: p.id for p in list_plans(open_store(store_url))}


def _counts(html: str) -> list[str]:
    return [c.strip() for c in re.findall(r'class="num count">([^<]*)<', html)]


@pytest.mark.parametrize(
    "path",
    ["/reports/", "/reports/plans/1", "/reports/plans/1.pdf",
     "/reports/perimeters/1/dossier.html", "/meeting/", "/meeting/walk?plan=1"],
)  # fmt: skip
def test_every_report_route_needs_a_login(app: Flask, path: str) -> None:
    response = app.test_client().get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_roles(login, demo_store_url: str) -> None:
    plan = _plan_ids(demo_store_url)["Stationsbuurt"]
    dpo, partner, officer = login("dpo"), login("partner"), login("officer")
    assert dpo.get("/reports/").status_code == 403
    assert dpo.get(f"/reports/plans/{plan}").status_code == 403
    dossier = partner.post("/reports/perimeters/1/dossier.html", data={"purpose": "meeting"})
    assert dossier.status_code == 403
    assert officer.get(f"/reports/plans/{plan}").status_code == 200
    index = partner.get("/reports/").get_data(as_text=True)
    assert "Veilige Stationsbuurt" in index and "Samen sterk in De Linde" not in index
    assert "dossier.html" not in index  # partners get no dossier


def test_a_partner_report_holds_no_suppressed_figure(login, demo_store_url: str) -> None:
    plans = _plan_ids(demo_store_url)
    partner, analyst = login("partner"), login("analyst")
    theirs = partner.get(f"/reports/plans/{plans['Stationsbuurt']}")
    assert theirs.status_code == 200
    html = theirs.get_data(as_text=True)
    counts = _counts(html)
    assert counts and any(c.startswith("&lt;") for c in counts)
    for text in counts:
        if text.startswith("&lt;") or text == "—":  # hidden, or left out
            continue
        assert int(text.lstrip("≥").replace(".", "")) >= 20, text
    assert "WDD" not in html  # a partner's Check shows the verdict, not zone figures
    staff = analyst.get(f"/reports/plans/{plans['Stationsbuurt']}").get_data(as_text=True)
    assert any(c.isdigit() and int(c) < 20 for c in _counts(staff)) and "WDD" in staff
    assert partner.get(f"/reports/plans/{plans['Sociale woonwijk De Linde']}").status_code == 404
    assert partner.get("/reports/plans/9999").status_code == 404


def test_the_pdf_needs_a_purpose_and_is_audited(login, demo_store_url: str) -> None:
    plan = _plan_ids(demo_store_url)["Stationsbuurt"]
    partner = login("partner")
    assert partner.post(f"/reports/plans/{plan}.pdf").status_code == 400
    response = partner.post(f"/reports/plans/{plan}.pdf", data={"purpose": "meeting"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 2
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Veilige Stationsbuurt" in text
    events = open_store(demo_store_url).audit_events()
    last = events.iloc[-1]
    assert (last["actor"], last["action"], last["entity"], last["entity_id"]) == (
        "web:partner", "export", "progress_report", str(plan),
    )  # fmt: skip
    assert '"purpose": "meeting"' in last["detail"] and '"suppressed": true' in last["detail"]


def test_without_chromium_the_report_says_why(app: Flask, login, demo_store_url: str) -> None:
    plan = _plan_ids(demo_store_url)["Stationsbuurt"]
    analyst = login("analyst")
    before = len(open_store(demo_store_url).audit_events())
    app.config["MMM_CHROMIUM"] = "/nonexistent/chromium"
    try:
        response = analyst.post(f"/reports/plans/{plan}.pdf", data={"purpose": "analysis"})
    finally:
        app.config["MMM_CHROMIUM"] = "/usr/bin/chromium"
    assert response.status_code == 302
    assert len(open_store(demo_store_url).audit_events()) == before  # nothing left the app


def test_the_dossier_is_one_offline_file_and_is_audited(login, demo_store_url: str) -> None:
    analyst = login("analyst")
    url = "/reports/perimeters/1/dossier.html"
    assert analyst.post(url).status_code == 400
    assert analyst.post(url, data={"purpose": "meeting", "from": "x"}).status_code == 400
    missing = "/reports/perimeters/9999/dossier.html"
    assert analyst.post(missing, data={"purpose": "meeting"}).status_code == 404
    response = analyst.post(url, data={"purpose": "evaluation"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "attachment" in response.headers["Content-Disposition"]
    html = response.get_data(as_text=True)
    markup = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)
    assert foreign_urls(markup) == []
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet", html)
    assert "Veilige Stationsbuurt" in html and "Preventiedienst Demostad" in html
    last = open_store(demo_store_url).audit_events().iloc[-1]
    assert (last["action"], last["entity"], last["entity_id"]) == ("export", "dossier", "1")
    assert '"purpose": "evaluation"' in last["detail"]
