"""Plan texts and survey files within the limits: control characters refused in titles and
sections, an empty survey CSV refused with a reason (it used to be an unhandled csv.Error)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from mmm.crs import WORKING_CRS
from mmm.errors import ImportRejected, TextRefused
from mmm.plans import create_plan, get_plan, import_survey
from mmm.store import BatchInfo, Store, open_store
from tests.helpers import ZONE


@pytest.fixture
def town(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'plans.sqlite'}")
    store.set_zone("Testzone", ZONE, BatchInfo("zone", "test", "test", 1, 0))
    shapes = gpd.GeoDataFrame(
        {"name": ["Centrum"], "description": [""]},
        geometry=[box(172_000, 174_000, 172_500, 174_500)],
        crs=WORKING_CRS,
    )
    store.add_perimeters(shapes, BatchInfo("perimeters", "test", "test", 1, 0))
    seed = pd.DataFrame(
        {"source_id": ["s"], "phenomenon": ["drugs"], "occurred": [pd.Timestamp("2020-01-01")],
         "x": [10.0], "y": [10.0]}
    )  # fmt: skip
    store.add_incidents(seed, BatchInfo("incidents", "test", "test", 1, 0))  # registers the code
    yield store
    store.close()


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"title": "Veilig\x00Centrum"}, r"the title holds a control character \(U\+0000\)"),
        ({"title": "Veilig\nCentrum"}, "the title holds a control character"),
        ({"title": "x" * 201}, "the title is longer than 200 characters"),
        ({"sections": {"problem": "a\x1bb"}}, "the section problem holds a control character"),
    ],
)
def test_plan_texts_with_control_characters_or_too_long_are_refused(town, changes, message):
    args = {
        "perimeter": "Centrum",
        "zvp_period": "2020-2025",
        "title": "Veilig Centrum",
        "starts_on": "2024-01-01",
        "ends_on": "2024-12-31",
        "phenomena": ["drugs"],
    }
    with pytest.raises(TextRefused, match=message):
        create_plan(town, **{**args, **changes})


def test_a_section_keeps_its_line_breaks(town) -> None:
    plan_id = create_plan(
        town, perimeter="Centrum", zvp_period="2020-2025", title="Plan", starts_on="2024-01-01",
        ends_on="2024-12-31", phenomena=["drugs"], sections={"problem": "one\n\ttwo"},
    )  # fmt: skip
    assert get_plan(town, plan_id).sections["problem"] == "one\n\ttwo"


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_an_empty_survey_file_is_refused_with_a_reason(town, content: bytes) -> None:
    with pytest.raises(ImportRejected, match=r"survey.csv is empty: the first line names the col"):
        import_survey(town, io.BytesIO(content), name="survey.csv")


def test_a_survey_source_with_a_control_character_is_a_rejected_row(town) -> None:
    csv = b"perimeter,period,indicator,value,source\nCentrum,2024,feeling_unsafe,30,Monitor\x07\n"
    report = import_survey(town, io.BytesIO(csv), name="s.csv", dry_run=True)
    assert report.rejected["reason"].tolist() == ["control character in the source"]
