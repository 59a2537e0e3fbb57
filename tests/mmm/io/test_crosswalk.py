"""The crosswalk of an incident import: an export's words become the zone's phenomena."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mmm.errors import ImportRejected
from mmm.io import validate as v
from mmm.io.crosswalk import (
    EXAMPLE_MAPPING,
    UnknownPhenomena,
    crosswalk,
    example_mapping,
    mapping_template,
    normalise,
    read_mapping,
    resolve_phenomena,
    standard_phenomena,
)
from mmm.io.imports import IncidentColumns, import_incidents
from tests.helpers import write_csv

PHENOMENA = pd.DataFrame(
    {
        "code": ["burglary_dwelling", "drugs", "other", "vandalism"],
        "label": ["Woninginbraak", "Drugs", "Andere", "Vandalisme"],
        "label_nl": ["Woninginbraak", "Drugs", "Andere", "Vandalisme"],
        "label_fr": ["Cambriolage d'habitation", "Drogues", "Autre", "Vandalisme"],
        "label_de": ["", "Drogen", "", "Vandalismus"],
        "label_en": ["Burglary in dwellings", "Drugs", "Other", "Vandalism"],
    }
)


def _mapping(tmp_path: Path, text: str, name: str = "map.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_values_are_compared_without_case_accents_or_repeated_spaces():
    assert normalise("  Vol à  la TIRE ") == "vol a la tire"
    assert normalise("Häusliche Gewalt") == "hausliche gewalt"
    assert normalise("Stupéfiants") == normalise("STUPEFIANTS")
    assert normalise("Vol à l’étalage") == normalise("vol a l'etalage")


def test_mapping_first_then_codes_then_labels_of_any_language(tmp_path):
    path = _mapping(
        tmp_path, "source;phenomenon\nDiefstal uit auto;other\n43A;drugs\nDRUGS;other\n"
    )
    walk = crosswalk(PHENOMENA, mapping=path)
    values = pd.Series(
        ["diefstal uit AUTO", "43a", "Drugs", "VANDALISM", "cambriolage d’habitation", "Drogen"],
        dtype="string",
    )
    found = walk.resolve(values)
    # "Drugs" is mapped to other in the file: the mapping wins over the code and the label;
    # a typographic apostrophe is an apostrophe
    codes = ["other", "drugs", "other", "vandalism", "burglary_dwelling", "drugs"]
    assert (found.codes.tolist(), found.unmapped) == (codes, {})


def test_a_label_two_phenomena_share_maps_to_neither():
    both = PHENOMENA.copy()
    both.loc[both["code"] == "other", "label_de"] = "Drogen"
    found = crosswalk(both, mapping=None).resolve(pd.Series(["drogen", "Vandalismus"]))
    assert found.codes.tolist() == [None, "vandalism"]
    assert found.unmapped == {"drogen": 1}


def test_unmapped_rows_are_rejected_with_their_value_or_filed_under_one_phenomenon(tmp_path):
    path = _mapping(tmp_path, "source,phenomenon\nFietsdiefstal,\n")  # a line left to fill in
    values = pd.Series(["Drugs", "Oplichting", "Fietsdiefstal", "Oplichting", None], dtype="string")
    reasons = v.Reasons(len(values))
    codes, notes = resolve_phenomena(values, crosswalk(PHENOMENA, mapping=path), reasons)
    assert codes.tolist() == ["drugs", None, None, None, None]
    assert reasons.values.tolist() == [
        None,
        "no phenomenon for 'Oplichting'",
        "no phenomenon for 'Fietsdiefstal'",
        "no phenomenon for 'Oplichting'",
        None,
    ]
    assert notes == []
    reasons = v.Reasons(len(values))
    walk = crosswalk(PHENOMENA, mapping=path, unmapped="other")
    codes, notes = resolve_phenomena(values, walk, reasons)
    assert codes.tolist() == ["drugs", "other", "other", "other", None]
    assert reasons.ok.all()
    assert notes == [
        "3 rows of 2 unmapped values filed under other (--unmapped): 'Oplichting' (2), "
        "'Fietsdiefstal' (1)"
    ]


def test_without_a_mapping_unknown_values_refuse_with_a_file_to_fill_in():
    values = pd.Series(["Woninginbraak", "Vol dans véhicule", "Oplichting", "Oplichting"])
    with pytest.raises(UnknownPhenomena) as refused:
        resolve_phenomena(values, crosswalk(PHENOMENA), v.Reasons(len(values)))
    assert str(refused.value).startswith(
        "2 values are not phenomena of the zone: 'Oplichting' (2 rows), 'Vol dans véhicule' "
        "(1 rows)"
    )
    template = refused.value.template
    # the example mapping knows "Vol dans véhicule" (vehicle_crime), but this zone has no such
    # phenomenon: no suggestion
    assert template.values.tolist() == [["Oplichting", "", 2], ["Vol dans véhicule", "", 1]]
    with_vehicles = mapping_template([("Vol dans véhicule", 1)], ["vehicle_crime"])
    assert with_vehicles.values.tolist() == [["Vol dans véhicule", "vehicle_crime", 1]]


def test_a_store_without_phenomena_takes_values_written_as_codes():
    values = pd.Series(["drugs", "burglary_dwelling", "drugs"])
    empty = PHENOMENA.iloc[0:0]
    codes, notes = resolve_phenomena(values, crosswalk(empty), v.Reasons(3))
    assert codes.tolist() == ["drugs", "burglary_dwelling", "drugs"]
    assert "burglary_dwelling, drugs were added as they are written" in notes[0]
    with pytest.raises(UnknownPhenomena, match="'Woninginbraak'"):
        resolve_phenomena(pd.Series(["drugs", "Woninginbraak"]), crosswalk(empty), v.Reasons(2))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bron,fenomeen\nx,drugs\n", "needs the columns source and phenomenon"),
        ("source,phenomenon\nx,fraud\ny,theft\n", "does not have: fraud, theft"),
        (
            "source,phenomenon\nVol à la tire,drugs\nVOL A LA TIRE,other\n",
            "line 3: 'VOL A LA TIRE' is mapped to both drugs and other",
        ),
        ("source,phenomenon\nbad\x07value,drugs\n", "line 2: a value longer than"),
    ],
)
def test_a_mapping_file_that_cannot_be_used_is_refused_whole(tmp_path, text, message):
    with pytest.raises(ImportRejected, match=message):
        read_mapping(_mapping(tmp_path, text), PHENOMENA["code"])


def test_unmapped_must_name_a_phenomenon_of_the_zone():
    with pytest.raises(ImportRejected, match="--unmapped fraud: no such phenomenon"):
        crosswalk(PHENOMENA, unmapped="fraud")


def test_the_example_mapping_maps_to_the_standard_phenomena_only():
    standard = standard_phenomena()
    assert len(standard) == 13 and not (standard == "").any().any()
    rows = pd.read_csv(EXAMPLE_MAPPING, dtype=str)
    assert set(rows["phenomenon"]) == set(standard["code"])
    assert len(example_mapping()) == len(rows)  # no two lines the same once normalised
    assert example_mapping()[normalise("Intrafamiliaal geweld")] == "intrafamily_violence"


def test_import_with_a_mapping_stores_codes_and_rejects_the_unmapped(store, tmp_path):
    for code, label in (("burglary_dwelling", "Woninginbraak"), ("drugs", "Drugs")):
        store.add_phenomenon(code, {"nl": label}, actor="t")
    frame = pd.DataFrame(
        {
            "pv": ["1", "2", "3", "4"],
            "feit": ["WONINGINBRAAK", "Drugsbezit", "Oplichting", "drugs"],
            "datum": ["01/02/2024", "02/02/2024", "03/02/2024", "04/02/2024"],
            "x": ["172000,5", "172010", "172020", "172030"],
            "y": ["174000", "174010", "174020", "174030,25"],
        }
    )
    path = write_csv(tmp_path / "feiten.csv", frame, sep=";")
    mapping = _mapping(tmp_path, "source,phenomenon\nDrugsbezit,drugs\n")
    walk = crosswalk(store.phenomenon_table(), mapping=mapping)
    report = import_incidents(
        store,
        path,
        crs="EPSG:31370",
        columns=IncidentColumns(phenomenon="feit"),
        crosswalk=walk,
    )
    assert (report.imported, report.reasons()) == (3, {"no phenomenon for 'Oplichting'": 1})
    stored = store.incidents()
    assert stored["phenomenon"].tolist() == ["burglary_dwelling", "drugs", "drugs"]
    assert stored["x"].tolist() == [172000.5, 172010.0, 172030.0]
    assert set(store.phenomena()["code"]) == {"burglary_dwelling", "drugs"}  # nothing added


def test_import_of_windows_keeps_the_end_and_counts_by_the_start(store, tmp_path):
    frame = pd.DataFrame(
        {
            "id": ["A", "B", "C", "D", "E", "F"],
            "phenomenon": ["burglary_dwelling"] * 6,
            "date": ["31/01/2024 18:00", "2024-02-03", "", "2024-02-05", "2024-02-06", "x"],
            "date_to": ["01/02/2024", "", "2024-02-04", "2024-02-01", "morgen", "2024-02-07"],
            "x": [172_000.0] * 6,
            "y": [174_000.0] * 6,
        }
    )
    path = write_csv(tmp_path / "windows.csv", frame)
    report = import_incidents(
        store, path, crs="EPSG:31370", columns=IncidentColumns(date_to="date_to")
    )
    assert report.reasons() == {
        "end date without a start date": 1,
        "end date before the start date": 1,
        "unparseable end date": 1,
        "unparseable date": 1,
    }
    stored = store.incidents()
    assert stored["source_id"].tolist() == ["A", "B"]
    assert stored["date_to"].tolist()[0] == pd.Timestamp("2024-02-01 23:59:59")
    assert pd.isna(stored["date_to"].tolist()[1])
    january = store.incidents(
        start=pd.Timestamp("2024-01-01").date(), end=pd.Timestamp("2024-01-31").date()
    )
    assert january["source_id"].tolist() == ["A"]  # counted by its start, in January
    assert np.issubdtype(stored["date_to"].dtype, np.datetime64)
