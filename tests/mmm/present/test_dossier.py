"""The meeting dossier: its contents, inlining the app's files, the audited `mmm dossier`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmm.access.rules import EVERYTHING, scope_for
from mmm.access.users import user_by_name
from mmm.cli.group import cli
from mmm.demo import add_demo_partners, add_demo_plans, add_demo_users, load_demo
from mmm.errors import MMMError, NotFound
from mmm.present.dossier import perimeter_dossier, record_download
from mmm.present.inline import inline_assets
from mmm.store import Store, open_store
from tests.webmap.pages import foreign_urls

STATIC = Path(__file__).resolve().parents[3] / "webmap" / "static"


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('dossier')) / 'demo.sqlite'}"
    store = open_store(url)
    load_demo(store)
    add_demo_partners(store)
    add_demo_plans(store)
    add_demo_users(store)
    store.close()
    return url


@pytest.fixture
def store(store_url: str) -> Store:
    return open_store(store_url)


def _id(store: Store, name: str) -> int:
    shapes = store.perimeters()
    return int(shapes.loc[shapes["name"] == name, "id"].iloc[0])


def test_a_dossier_holds_counts_partners_and_plans(store: Store) -> None:
    found = perimeter_dossier(
        store, _id(store, "Stationsbuurt"), EVERYTHING, today=date(2025, 6, 15),
        first="2025-01", last="2025-06",
    )  # fmt: skip
    assert found.perimeter.name == "Stationsbuurt"
    assert list(found.perimeter.by_month_text.columns) == [f"2025-0{m}" for m in range(1, 7)]
    assert set(found.team["perimeter"]) == {"Stationsbuurt"} and len(found.team)
    assert [p.plan.title for p in found.plans] == ["Veilige Stationsbuurt"]


def test_a_partner_dossier_is_limited_to_its_scope(store: Store) -> None:
    scope = scope_for(store, user_by_name(store, "partner"))
    assert scope.pairs is not None
    theirs = next(iter(scope.pairs))[0]
    found = perimeter_dossier(store, theirs, scope, today=date(2025, 6, 15))
    assert found.perimeter.suppressed
    assert {(theirs, c) for c in found.perimeter.phenomena} <= scope.pairs
    assert {(theirs, c) for c in found.team["phenomenon"]} <= scope.pairs
    other = next(i for i in store.perimeters()["id"] if int(i) not in scope.perimeter_ids)
    with pytest.raises(NotFound):
        perimeter_dossier(store, int(other), scope, today=date(2025, 6, 15))


def test_a_download_without_a_purpose_is_refused_and_writes_nothing(store: Store) -> None:
    before = len(store.audit_events())
    with pytest.raises(MMMError, match="purpose"):
        record_download(store, "test", "dossier", "1", "curiosity", {})
    assert len(store.audit_events()) == before
    record_download(store, "test", "dossier", "1", "meeting", {"format": "html"})
    event = store.audit_events().iloc[-1]
    assert (event["action"], event["entity"], event["actor"]) == ("export", "dossier", "test")
    assert '"purpose": "meeting"' in event["detail"]


def test_inlining_replaces_the_apps_files_and_refuses_others() -> None:
    page = (
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">'
        '<script src="/static/vendor/leaflet/leaflet.js"></script><script>var x = 1;</script>'
    )
    out = inline_assets(page, "/static", STATIC)
    assert "<script src" not in out and 'rel="stylesheet"' not in out
    assert '<link rel="icon" href="data:,">' in out and "var x = 1;" in out
    assert "L.Map" in out or "Leaflet" in out
    assert "url(images/" not in out and "data:image/png;base64," in out  # the CSS's icons
    with pytest.raises(MMMError, match="not one of the app's own files"):
        inline_assets('<script src="https://cdn.example/x.js"></script>', "/static", STATIC)
    with pytest.raises(MMMError, match="missing"):
        inline_assets('<script src="/static/../../etc/passwd"></script>', "/static", STATIC)
    closing = inline_assets('<script src="/static/x.js"></script>', "/static", _with_file())
    assert closing.count("</script>") == 1  # a "</script>" inside the file cannot end it early


def _with_file() -> Path:
    import tempfile

    folder = Path(tempfile.mkdtemp())
    (folder / "x.js").write_text('var s = "</script><b>";', encoding="utf-8")
    return folder


def test_mmm_dossier_writes_one_offline_file_and_audits_it(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "dossier.html"
    result = CliRunner().invoke(
        cli,
        ["--store", store_url, "dossier", "--perimeter", "Stationsbuurt", "--out", str(out),
         "--from", "2025-01", "--to", "2025-12", "--language", "fr"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    markup = re.sub(r"<script>.*?</script>", "", html, flags=re.S)  # Leaflet's code names its site
    assert foreign_urls(markup) == []
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet", html)
    assert "Stationsbuurt" in html and "Veilige Stationsbuurt" in html
    assert 'lang="fr"' in html
    events = open_store(store_url).audit_events()
    last = events.iloc[-1]
    assert (last["action"], last["entity"]) == ("export", "dossier")
    assert '"purpose": "meeting"' in last["detail"]


def test_mmm_dossier_names_an_unknown_perimeter(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    result = CliRunner().invoke(
        cli, ["--store", store_url, "dossier", "--perimeter", "Nergens", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "no perimeter named 'Nergens'" in result.output
    assert not out.exists()
