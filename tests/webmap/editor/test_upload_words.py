"""The perimeter upload's report in the reader's language: why rows are rejected, what was
noticed (overlaps), and why a whole file is refused — never the core's English."""

from __future__ import annotations

import io
import re

import geopandas as gpd
from shapely.geometry import Point, box

from mmm.crs import WORKING_CRS
from mmm.limits import NAME_CHARS

X0, Y0 = 171_500.0, 176_500.0


def _upload(client, data: bytes, name: str, *, dry_run: bool = True) -> tuple[int, str]:
    form = {"file": (io.BytesIO(data), name)} | ({"dry_run": "y"} if dry_run else {})
    response = client.post("/perimeters/upload", data=form, content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


def test_rejected_rows_and_notes_are_in_dutch(login):
    rows = {
        "Goed 1": box(X0, Y0, X0 + 200, Y0 + 200),
        "Goed 2": box(X0 + 100, Y0, X0 + 300, Y0 + 200),  # overlaps Goed 1: a note
        "": box(X0 + 600, Y0, X0 + 700, Y0 + 100),
        "Stationsbuurt": box(X0 + 900, Y0, X0 + 1000, Y0 + 100),
        "Punt": Point(X0 + 1200, Y0),
        "x" * (NAME_CHARS + 1): box(X0 + 1500, Y0, X0 + 1600, Y0 + 100),
    }
    frame = gpd.GeoDataFrame(
        {"name": list(rows)}, geometry=list(rows.values()), crs=WORKING_CRS
    ).to_crs(4326)
    status, page = _upload(login("analyst"), frame.to_json().encode(), "slecht.geojson")
    assert status == 200
    for dutch in (
        "ontbrekende naam: 1",
        "naam al bewaard: 1",
        "geen polygoon: 1",
        f"naam langer dan {NAME_CHARS} tekens: 1",
    ):
        assert dutch in page, dutch
    for english in ("missing name", "name already stored", "not a polygon", "longer than"):
        assert english not in page, english
    assert "<th>Rij</th><th>Reden</th>" in page
    assert re.search(r"<td>\d</td><td>naam al bewaard</td>", page)  # the table's rows too
    assert "Goed 1 en Goed 2 overlappen over" in page and "overlap:" not in page


def test_a_refused_file_is_explained_in_dutch(login):
    status, page = _upload(login("analyst"), b"{ dit is geen GeoJSON", "kapot.geojson")
    assert status == 400
    assert "kapot.geojson kan niet gelezen worden" in page
    assert "cannot read the file" not in page
