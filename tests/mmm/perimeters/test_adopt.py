"""Adopting a hotspot candidate (both backends): an overlap is said before anything is stored,
the same place is never adopted twice, and the notes carry codes a viewer can translate."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import box

from mmm.access.users import User
from mmm.io.imports import import_incidents
from mmm.perimeters.edit import CandidateOverlaps, adopt
from mmm.perimeters.geometry import AreaLimits
from mmm.store.perimeter_rows import PerimeterFields
from tests.helpers import write_csv

ANALYST = User(1, "analist", "analyst", None, "nl", True)
STATION = box(171_950, 173_950, 172_150, 174_150)


@pytest.fixture
def stocked(store, tmp_path, incidents_frame):
    import_incidents(store, write_csv(tmp_path / "i.csv", incidents_frame), crs="31370")
    store.create_perimeter(PerimeterFields("Station", status="active"), STATION, actor="test")
    return store


def _adopt(store, name, geometry, **kw):
    return adopt(store, ANALYST, (name, "Meervoudige hotspot", geometry), limits=AreaLimits(), **kw)


def test_a_candidate_that_overlaps_is_refused_with_the_perimeters_it_overlaps(stocked):
    half = box(172_050, 173_950, 172_250, 174_150)  # half of it inside Station
    with pytest.raises(CandidateOverlaps) as caught:
        _adopt(stocked, "Kandidaat 1", half)
    refusal = caught.value
    assert [o.name for o in refusal.overlaps] == ["Station"] and refusal.duplicate is None
    assert refusal.overlaps[0].shared_m2 == pytest.approx(20_000)
    assert refusal.area_m2 == pytest.approx(40_000)
    assert "Kandidaat 1" not in set(stocked.perimeters()["name"])  # nothing stored
    saved = _adopt(stocked, "Kandidaat 1", half, despite_overlaps=True)
    assert saved.saved.fields.status == "proposed"
    assert [n.code for n in saved.notes][-1] == "adopted"


def test_the_same_place_is_never_adopted_twice_even_when_asked(stocked):
    near_same = box(171_951, 173_950, 172_150, 174_150)  # Station less a 1 m strip
    for despite in (False, True):
        with pytest.raises(CandidateOverlaps) as caught:
            _adopt(stocked, "Kandidaat 2", near_same, despite_overlaps=despite)
        assert caught.value.duplicate is not None and caught.value.duplicate.name == "Station"
    assert list(stocked.perimeters()["name"]) == ["Station"]


def test_a_free_candidate_is_adopted_and_its_notes_are_audited_with_codes(stocked):
    free = box(171_400, 173_400, 171_550, 173_550)  # around the zone's corner: partly outside
    saved = _adopt(stocked, "Kandidaat 3", free)
    assert saved.saved.fields.name == "Kandidaat 3" and saved.overlaps == ()
    assert [n.code for n in saved.notes] == ["partly_outside", "adopted"]
    events = stocked.audit_events()
    created = events[(events["entity"] == "perimeter") & (events["action"] == "create")]
    detail = json.loads(created["detail"].iloc[-1])
    assert detail["source"] == "hotspot candidate"
    assert detail["notes"][0].endswith("% of it lies outside the zone")  # English, for the CLI
    (code,) = detail["note_codes"]  # and a code with its numbers, for the audit viewer
    assert code["code"] == "partly_outside" and 50 < code["params"]["pct"] < 100
