"""Reading a file: messages name the file, never the server folder it was saved in; text that
would hide control characters is rejected row by row."""

from __future__ import annotations

import pytest

from mmm.errors import ImportRejected
from mmm.io.files import read_source
from mmm.io.imports import IncidentColumns, import_incidents
from mmm.store import open_store
from tests.helpers import write_csv


@pytest.mark.parametrize("name,content", [("p.gpkg", b"garbage\x00\x01"), ("p.geojson", b"{}")])
def test_an_unreadable_upload_names_the_file_not_its_folder(tmp_path, name, content) -> None:
    path = tmp_path / "upload-tmp" / name
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(ImportRejected) as caught:
        read_source(path)
    assert str(caught.value).startswith(f"{name}: cannot read the file")
    assert str(tmp_path) not in str(caught.value) and "upload-tmp" not in str(caught.value)


def test_a_phenomenon_with_a_control_character_is_a_rejected_row(tmp_path, incidents_frame):
    frame = incidents_frame.assign(
        phenomenon=["drugs", "dru\x07gs", "vandalism", "x\x1by", "drugs"]
    )
    store = open_store(f"sqlite:///{tmp_path / 'i.sqlite'}")
    cols = IncidentColumns(x="x", y="y", phenomenon="phenomenon", date="date", id="id")
    report = import_incidents(
        store, write_csv(tmp_path / "i.csv", frame), crs="31370", columns=cols
    )
    store.close()
    assert report.imported == 3
    assert report.rejected["reason"].tolist() == ["control character in the phenomenon"] * 2
