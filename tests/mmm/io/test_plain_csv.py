"""The fast CSV path gives GDAL's frame exactly, or steps aside and lets GDAL read the file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from mmm.io import files
from mmm.io.files import read_plain_csv, read_source

#: Files Arrow reads, each as GDAL does: quotes, BOM, line ends, blanks, text GDAL keeps as is.
SAME = {
    "plain": b"id,phenomenon,date,x,y\nA1,drugs,2024-01-02,152000.5,170000\nA2,theft,,152001,170001\n",
    "bom": b"\xef\xbb\xbfid,phenomenon,date\nA1,drugs,2024-01-02\n",
    "quoted": b'id,name,date\n"A,1","dr""ugs",2024\n"A2","two\nlines",2024\n',
    "crlf": b"id,name,date\r\nA1,drugs,2024-01-02\r\nA2,x,\r\n",
    "no_last_newline": b"id,name\nA1,drugs",
    "empty_cells_and_spaces": b"id,name,date\n,,\n A ,  drugs , 2024 \n",
    "blank_lines": b"id,name\nA1,a\n\n\nA2,b\n\n",
    "unicode": "id,phénomène\nA1,vol à la tire\n".encode(),
    "header_spaces": b" id , name\n1,2\n",
    "null_words": b"id,name,x\nNULL,NA,nan\n",
    "header_only": b"id,name\n",
    "quote_inside": b'id,name\nA1,ab"c\nA2," b"\n',
    "cr_only": b"id,name\rA1,a\rA2,b\r",
}
#: Files where the two could differ: Arrow steps aside (GDAL reads them as before).
ASIDE = {
    "semicolons": b"id;name;x\nA1;drugs;1,5\n",
    "tabs": b"id\tname\nA1\tdrugs\n",
    "short_row": b"id,name,date\nA1,drugs\n",
    "long_row": b"id,name\nA1,drugs,extra\n",
    "repeated_name": b"id,id,date\n1,2,3\n",
    "empty_name": b"id,,date\n1,2,3\n",
    "numeric_header": b"1,2\n3,4\n",
    "latin1": "id,name\n1,café\n".encode("latin-1"),
    "crlf_in_value": b'id,name\r\n1,"a\r\nb"\r\n',
    "empty": b"",
}


def _gdal(path: Path) -> pd.DataFrame:
    return pd.DataFrame(pyogrio.read_dataframe(path, read_geometry=False, use_arrow=True))


@pytest.mark.parametrize("name", sorted(SAME))
def test_arrow_reads_what_gdal_reads(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(SAME[name])
    fast = read_plain_csv(path)
    assert fast is not None
    pd.testing.assert_frame_equal(fast, _gdal(path))


@pytest.mark.parametrize("name", sorted(ASIDE))
def test_arrow_steps_aside_where_the_two_could_differ(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(ASIDE[name])
    assert read_plain_csv(path) is None


def test_a_type_file_or_another_suffix_is_left_to_gdal(tmp_path: Path) -> None:
    typed = tmp_path / "typed.csv"
    typed.write_bytes(b"id,x\nA,1\n")
    typed.with_suffix(".csvt").write_text('"String","Real"')
    assert read_plain_csv(typed) is None
    text = tmp_path / "rows.txt"
    text.write_bytes(b"id,x\nA,1\n")
    assert read_plain_csv(text) is None


def test_read_source_takes_the_fast_path_for_a_plain_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plain.csv"
    path.write_bytes(SAME["plain"])
    expected = _gdal(path)

    def no_gdal(*args: object, **kwargs: object) -> None:
        raise AssertionError("GDAL was asked to read a plain CSV")

    monkeypatch.setattr(files.pyogrio, "read_dataframe", no_gdal)
    source = read_source(path)
    assert source.is_table and source.geometry is None and source.crs is None
    pd.testing.assert_frame_equal(source.frame, expected)
