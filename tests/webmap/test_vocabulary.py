"""Codes in words: geometry refusals and notes, partner types, numbers, label columns per language."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale
from shapely.geometry import Polygon, box

from mmm.perimeters.geometry import NOTES, REFUSALS, GeometryRefused, check_perimeter_geometry
from tests.helpers import ZONE
from webmap import vocabulary

#: A value for every parameter a geometry message can take.
PARAMS = {"kind": "LineString", "count": 25_000, "limit": 20_000, "what": "self-intersection",
          "pct": 3.456, "part": 2, "parts": 3, "width": 1.0, "area": 1234.5, "km": 12.345,
          "min": 100.0, "km2": 12.5, "max": 10.0, "n": 3, "name": "Markt", "at": None}  # fmt: skip


@pytest.mark.parametrize("lang", ["nl", "fr", "de"])
def test_every_geometry_code_has_a_sentence_in_each_language(app: Flask, lang: str):
    with app.test_request_context(), force_locale(lang):
        for code in REFUSALS:
            text = vocabulary.geometry_message(code, PARAMS)
            assert "%(" not in text and text != str(vocabulary.GEOMETRY_REFUSALS["invalid"]), code
        for code in (*NOTES, "split_off", "adopted"):
            text = vocabulary.geometry_message(code, PARAMS, note=True)
            assert "%(" not in text and "_" not in text, code
        translated = {vocabulary.geometry_message(c, PARAMS) for c in REFUSALS}
    with app.test_request_context(), force_locale("en"):
        assert not translated & {vocabulary.geometry_message(c, PARAMS) for c in REFUSALS}


def test_the_bow_tie_refusal_is_said_in_dutch_with_the_readers_numbers(app: Flask):
    x, y = 172_000.0, 174_000.0
    bow_tie = Polygon([(x, y), (x + 100, y + 100), (x + 100, y), (x, y + 100)])
    with pytest.raises(GeometryRefused) as caught:
        check_perimeter_geometry(bow_tie, zone=ZONE)
    assert caught.value.code == "bow_tie" and "crosses itself" in caught.value.reason
    far = box(x + 50_000, y, x + 50_100, y + 100)
    with pytest.raises(GeometryRefused) as outside:
        check_perimeter_geometry(far, zone=ZONE)
    with app.test_request_context(), force_locale("nl"):
        assert vocabulary.geometry_refusal(caught.value).startswith("De omtrek kruist zichzelf")
        km = vocabulary.geometry_refusal(outside.value)
    assert outside.value.params["km"] > 1 and "," in km.split(" km")[0]  # 4,1 km, not 4.1 km


def test_repeated_vertices_are_counted_in_the_plural_and_the_singular(app: Flask):
    with app.test_request_context(), force_locale("nl"):
        one = vocabulary.geometry_message("repeated_removed", {"n": 1}, note=True)
        two = vocabulary.geometry_message("repeated_removed", {"n": 2}, note=True)
    assert one == "1 dubbel hoekpunt verwijderd." and two == "2 dubbele hoekpunten verwijderd."


def test_numbers_follow_the_language(app: Flask):
    with app.test_request_context():
        with force_locale("nl"):
            assert (vocabulary.number(9.94, 2), vocabulary.number(15_355)) == ("9,94", "15.355")
        with force_locale("fr"):
            assert vocabulary.number(9.94, 2) == "9,94"
        with force_locale("en"):
            assert (vocabulary.number(9.94, 2), vocabulary.number(15_355)) == ("9.94", "15,355")


def test_partner_types_are_offered_in_words_and_an_added_type_readably(app: Flask):
    with app.test_request_context(), force_locale("fr"):
        choices = dict(vocabulary.partner_type_choices(["police", "sports_club"]))
    assert choices == {"police": "Police", "sports_club": "sports club"}
    with app.test_request_context(), force_locale("nl"):
        assert dict(vocabulary.partner_type_choices(["police"])) == {"police": "Politie"}


def test_words_in_every_language_for_label_columns(app: Flask):
    with app.test_request_context():
        words = vocabulary.in_every_language(vocabulary.RESPONSIBILITY_NAMES)
    assert set(words) == {"nl", "fr", "de", "en"}
    assert words["en"]["lead"] == "lead" and words["nl"]["lead"] != "lead"
