"""Numbers and dates on the maps in the reader's language (mmm.present.maps.numbers): the
language comes with the translator, and every layer writes its figures through it."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
from shapely.geometry import box

from mmm.access.disclosure import Figure
from mmm.hotspots.near_repeat_alerts import Alert
from mmm.present.maps.alert_layer import alert_layer
from mmm.present.maps.numbers import NBSP, Numbers, language_of, numbers_for
from mmm.present.maps.rate_layer import rate_layer

NARROW = "\u202f"  # French groups thousands with a narrow non-breaking space


def dutch(text: str) -> str:
    """A stand-in for the Dutch catalog: it knows the language code and nothing else."""
    return {"en": "nl"}.get(text, text)


def test_numbers_are_written_for_each_language() -> None:
    nl, fr, de, en = Numbers("nl"), Numbers("fr"), Numbers("de"), Numbers("en")
    assert nl.decimal(9.944, 2) == "9,94" and en.decimal(9.944, 2) == "9.94"
    assert nl.integer(15_355) == "15.355" and de.integer(15_355) == "15.355"
    assert fr.integer(15_355) == f"15{NARROW}355" and en.integer(15_355) == "15,355"
    assert nl.percent(27.4, signed=True) == f"+27{NBSP}%" and nl.signed(-3) == "-3"
    assert fr.percent(1_250) == f"1{NARROW}250{NBSP}%"
    assert nl.metres(12.5) == "12,5" and nl.metres(200.0) == "200"
    assert nl.significant(0.0153) == "0,0153" and nl.significant(0.05) == "0,05"
    assert nl.p_value(0.0000009) == f"<{NBSP}0,001" and de.p_value(0.015) == "0,015"
    assert nl.decimal(float("nan")) == "–"
    assert nl.day(date(2026, 11, 30)) == "30-11-2026" and de.day(date(2026, 11, 30)) == "30.11.26"
    assert nl.figure(Figure("exact", 1_234)) == "1.234"
    assert nl.figure(Figure("at_least", 2_000)) == "≥2.000"
    assert nl.figure(Figure("below", 5)) == Figure("below", 5).text


def test_the_language_comes_with_the_translator() -> None:
    assert language_of(dutch) == "nl"
    assert language_of(lambda s: s) == "en"  # untranslated: English
    assert language_of(lambda s: "Nederlands" if s == "en" else s) == "en"  # no locale: English
    assert numbers_for(dutch) == Numbers("nl")


def test_the_rate_layer_writes_dutch_decimals_and_thousands() -> None:
    shapes = gpd.GeoDataFrame(
        {"name": ["Noord", "Zuid"]},
        geometry=[box(0, 0, 100, 100), box(5_000, 0, 5_100, 100)],
        crs=31370,
    )
    current = [(Figure("exact", 37),), (Figure("exact", 1_204),)]
    layer = rate_layer(shapes, current, np.array([2_950.0, 15_355.0]), column=0,
                       label="Alle", kind="inwoners", smoothed=False, translate=dutch)  # fmt: skip
    popups = " ".join(f["properties"]["popup"] for f in layer.features)
    assert "1.204 incidents, 15.355 inwoners" in popups  # (English words: no catalog here)
    assert "12,5 per 1,000" in popups and "78,4 per 1,000" in popups
    assert "12.5" not in popups and "15,355" not in popups
    assert "65,2 – 78,4" in layer.legend and "." not in layer.legend.split("</h4>")[1]


def test_alert_dates_and_distances_are_the_readers() -> None:
    alert = Alert("burglary", 1.0, 2.0, date(2026, 11, 30), 212.5, date(2026, 12, 14))
    layer = alert_layer([alert], [], {"burglary": "Inbraak"}, dutch,
                        reference=date(2026, 12, 5), days=14)  # fmt: skip
    popup = layer.features[0]["properties"]["popup"]
    assert "30-11-2026" in popup and "212,5 m" in popup and "14-12-2026" in popup
    assert "05-12-2026" in layer.legend
