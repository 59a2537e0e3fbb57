"""Phenomena as the zone's data: labels, weights, thresholds and the profile, on both backends."""

from __future__ import annotations

import json

import pytest

from mmm.access.partners import add_partner, assign
from mmm.access.rules import audience_scope, partner_scope, thresholds_of
from mmm.access.vocabulary import LANGUAGES
from mmm.errors import MMMError, NotFound, TextRefused
from mmm.store import BatchInfo, phenomena
from mmm.store.phenomena import ZoneProfile


def test_the_store_knows_the_interface_languages():
    assert phenomena.LANGUAGES == LANGUAGES


def test_add_keeps_labels_weight_and_threshold_and_audits(store):
    store.add_phenomenon(
        "bicycle_theft",
        {"nl": "Fietsdiefstal", "fr": "Vol de vélo", "de": "", "en": "Bicycle theft"},
        weight=2.5,
        threshold=8,
        actor="cli:test",
    )
    store.add_phenomenon("drugs", {"en": "Drugs"}, actor="cli:test")
    table = store.phenomenon_table().set_index("code")
    assert table.loc["bicycle_theft", "label"] == "Fietsdiefstal"  # no profile: nl first
    assert table.loc["bicycle_theft", ["label_fr", "label_de"]].tolist() == ["Vol de vélo", ""]
    assert table.loc["bicycle_theft", "weight"] == 2.5
    assert int(table.loc["bicycle_theft", "threshold"]) == 8
    assert table.loc["drugs", "label"] == "Drugs" and table["threshold"].isna()["drugs"]
    assert store.phenomenon_thresholds() == {"bicycle_theft": 8}
    assert store.labels("phenomenon", "fr") == {"bicycle_theft": "Vol de vélo"}
    events = store.audit_events()
    added = events[events["action"] == "add"]
    assert added["entity_id"].tolist() == ["bicycle_theft", "drugs"]
    assert json.loads(added["detail"].iloc[0]) == {
        "labels": ["en", "fr", "nl"],
        "threshold": 8,
        "weight": 2.5,
    }


@pytest.mark.parametrize(
    ("code", "labels", "options", "message"),
    [
        ("Woninginbraak", {"nl": "Woninginbraak"}, {}, "is not a phenomenon code"),
        ("x" * 101, {"nl": "X"}, {}, "is not a phenomenon code"),
        ("theft", {}, {}, "at least one language"),
        ("theft", {"nl": "  "}, {}, "at least one language"),
        ("theft", {"es": "Robo"}, {}, "unknown language 'es'"),
        ("theft", {"nl": "Diefstal"}, {"threshold": 0}, "from 1 to 1,000"),
        ("theft", {"nl": "Diefstal"}, {"threshold": 1001}, "from 1 to 1,000"),
        ("theft", {"nl": "Diefstal"}, {"weight": 101.0}, "from 0 to 100"),
    ],
)
def test_add_refuses_what_cannot_be_a_phenomenon(store, code, labels, options, message):
    with pytest.raises(MMMError, match=message):
        store.add_phenomenon(code, labels, actor="t", **options)
    assert store.phenomenon_table().empty


def test_add_refuses_a_code_twice_and_a_label_with_a_control_character(store):
    store.add_phenomenon("drugs", {"nl": "Drugs"}, actor="t")
    with pytest.raises(MMMError, match="exists already"):
        store.add_phenomenon("drugs", {"nl": "Verdovende middelen"}, actor="t")
    with pytest.raises(TextRefused, match="control character"):
        store.add_phenomenon("vandalism", {"nl": "Vanda\x07lisme"}, actor="t")
    assert store.phenomenon_table()["label"].tolist() == ["Drugs"]


def test_set_changes_only_what_is_given_and_clears_a_threshold(store):
    store.add_phenomenon("drugs", {"nl": "Drugs", "fr": "Drogues"}, weight=3, actor="t")
    store.set_phenomenon("drugs", {"fr": "Stupéfiants"}, threshold=7, actor="t")
    row = store.phenomenon_table().iloc[0]
    assert (row["label_nl"], row["label_fr"], row["weight"], row["threshold"]) == (
        "Drugs",
        "Stupéfiants",
        3.0,
        7,
    )
    store.set_phenomenon("drugs", {}, weight=0.5, actor="t")
    assert store.phenomenon_thresholds() == {"drugs": 7}
    store.set_phenomenon("drugs", {}, clear_threshold=True, actor="t")
    assert store.phenomenon_thresholds() == {}
    assert store.phenomenon_weights() == {"drugs": 0.5}
    with pytest.raises(NotFound, match="no phenomenon 'drug'; known: drugs"):
        store.set_phenomenon("drug", {}, weight=1, actor="t")
    with pytest.raises(MMMError, match="nothing to change"):
        store.set_phenomenon("drugs", {"nl": " "}, actor="t")
    with pytest.raises(MMMError, match="not both"):
        store.set_phenomenon("drugs", {}, threshold=3, clear_threshold=True, actor="t")


def test_the_default_label_follows_the_zone_s_first_language(store):
    assert store.zone_profile() is None
    store.set_zone_profile("PZ Voorbeeld", ("fr", "nl"), actor="t")
    profile = store.zone_profile()
    assert isinstance(profile, ZoneProfile)
    assert (profile.name, profile.languages) == ("PZ Voorbeeld", ("fr", "nl"))
    store.add_phenomenon("drugs", {"nl": "Drugs", "fr": "Drogues"}, actor="t")
    assert store.phenomena()["label"].tolist() == ["Drogues"]
    with pytest.raises(MMMError, match="each once"):
        store.set_zone_profile("PZ", ("nl", "nl"), actor="t")
    with pytest.raises(MMMError, match="give one or more"):
        store.set_zone_profile("PZ", ("es",), actor="t")


def test_a_stored_threshold_wins_over_the_settings_which_stay_the_defaults(store):
    for code in ("drugs", "intrafamily_violence", "vandalism"):
        store.add_phenomenon(code, {"nl": code}, actor="t")
    overrides = {"intrafamily_violence": 10, "vandalism": 3}
    assert thresholds_of(store, 5, overrides) == {
        "drugs": 5,
        "intrafamily_violence": 10,
        "vandalism": 3,
    }
    store.set_phenomenon("intrafamily_violence", {}, threshold=15, actor="t")
    store.set_phenomenon("drugs", {}, threshold=2, actor="t")
    expected = {"drugs": 2, "intrafamily_violence": 15, "vandalism": 3}
    assert thresholds_of(store, 5, overrides) == expected
    assert audience_scope(store, threshold=5, overrides=overrides).thresholds == expected
    _perimeter(store)
    add_partner(store, "OCMW", type="social_services", actor="t")
    assign(store, "OCMW", perimeter="Markt", phenomenon="drugs", responsibility="lead", actor="t")
    assert partner_scope(store, "OCMW", threshold=5, overrides=overrides).thresholds == expected


def _perimeter(store) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    frame = gpd.GeoDataFrame(
        {"name": ["Markt"], "description": [""]}, geometry=[box(0, 0, 100, 100)], crs=31370
    )
    store.add_perimeters(frame, BatchInfo("perimeters", "p.gpkg", "t", 1, 0))
