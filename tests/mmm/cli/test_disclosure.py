"""``mmm disclosure-audit``: a summary or JSON, exit 0 when nothing leaks and 1 when it does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmm.access.release import Release
from mmm.cli.group import cli
from mmm.store import open_store
from tests import disclosure_zone
from tests.mmm.present.test_disclosure_walk import exact_totals


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('cli-audit')) / 'zone.sqlite'}"
    disclosure_zone.build(open_store(url)).close()
    return url


def _audit(url: str, *args: str):
    return CliRunner().invoke(cli, ["--store", url, "disclosure-audit", *args])


def test_a_clean_audit_prints_its_figures_and_exits_0(store_url: str) -> None:
    result = _audit(store_url, "--partner", "Buurtwerk")
    assert result.exit_code == 0, result.output
    assert "Buurtwerk:" in result.output and "hidden counts checked, 0 leaks" in result.output
    report = json.loads(_audit(store_url, "--partner", "Solo", "--json").output)
    assert report["reader"] == "Solo" and report["leaks"] == []
    assert report["numbers"] > report["constraints"] > 0 and report["hidden"] > 0


def test_a_leak_is_reported_and_exits_1(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Release, "total", exact_totals)  # the rule switched off
    result = _audit(store_url, "--partner", "Solo")
    assert result.exit_code == 1
    assert "LEAK Station · drugs · 2024-11: the figures allow only 3…3, not 0…4" in result.output
    report = json.loads(_audit(store_url, "--partner", "Solo", "--json").output)
    leaks = {leak["what"]: (leak["low"], leak["high"]) for leak in report["leaks"]}
    assert leaks["Station · drugs · 2024-11"] == (3, 3)


def test_an_unknown_partner_is_one_line(store_url: str) -> None:
    result = _audit(store_url, "--partner", "Nobody")
    assert result.exit_code == 1 and "Error: no partner organisation 'Nobody'" in result.output
