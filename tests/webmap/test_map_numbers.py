"""The maps' numbers in the reader's language: popups, tooltips and legends in Dutch, French and
German carry no English decimal point ("20.1") nor English thousands ("1,002"), and a
percentage keeps its non-breaking space ("25 %"); the map's script gets the page's locale for
the numbers it writes itself (``Intl.NumberFormat``).

The texts are read where the browser gets them: the JSON the map scripts are given (popups and
legends are HTML strings in it, escaped as ``\\u003c…``).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mmm.demo import DEMO_PASSWORD
from tests.webmap.conftest import make_app
from tests.webmap.visible_text import english_decimals

#: A JavaScript/JSON string literal of a page's scripts.
JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
#: A number with English thousands separators: 1,002 or 15,355 (not 0,05 nor 20,1).
ENGLISH_THOUSANDS = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d,])")
#: A percentage after an ordinary (breaking) space.
BREAKING_PERCENT = re.compile(r"\d %")


@pytest.fixture(scope="module")
def numbers_app(sqlite_demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """A copy of the demo zone: switching the analyst's language is stored with the user."""
    path = Path(tmp_path_factory.mktemp("map_numbers")) / "demo.sqlite"
    shutil.copyfile(sqlite_demo_url.removeprefix("sqlite:///"), path)
    return make_app(f"sqlite:///{path}")


def _analyst(app: Flask, lang: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"name": "analist", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    client.post("/language", data={"language": lang, "next": "/map"})
    return client


def map_texts(page: str) -> list[str]:
    """The HTML strings (popups, legends, labels) in the page's map scripts, as text."""
    texts = []
    for raw in JS_STRING.findall(page):
        if "\\u003c" in raw:  # safe_json escapes "<": an HTML snippet
            text = json.loads(f'"{raw}"')
            texts.append(re.sub(r"<[^>]+>", " ", text))
    return texts


@pytest.mark.parametrize("lang", ["nl", "fr", "de"])
def test_map_numbers_follow_the_readers_language(numbers_app: Flask, lang: str) -> None:
    client = _analyst(numbers_app, lang)
    problems, decimal_commas = [], 0
    for url in ("/map", "/hotspots"):
        page = client.get(url).get_data(as_text=True)
        assert f'"locale":"{lang}"' in page, url  # for Intl.NumberFormat in the map script
        texts = map_texts(page)
        assert len(texts) > 10, url
        for text in texts:
            found = english_decimals(text) + ENGLISH_THOUSANDS.findall(text)
            found += BREAKING_PERCENT.findall(text)
            problems += [f"{url}: {n!r} in {text[:120]!r}" for n in found]
            decimal_commas += len(re.findall(r"\d,\d", text))
    assert not problems, "\n".join(problems[:20])
    assert decimal_commas > 0  # the pages do show decimals (KDE bandwidths, candidate areas)


def test_the_zone_maps_changes_are_percentages_with_a_non_breaking_space(
    numbers_app: Flask,
) -> None:
    page = _analyst(numbers_app, "nl").get("/map").get_data(as_text=True)
    popups = [t for t in map_texts(page) if "Wijziging" in t or "%" in t]
    assert any(re.search(r"[+-]\d+ \([+-]\d+\u00a0%\)", t) for t in popups)
