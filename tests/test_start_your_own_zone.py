"""README.md's "Start your own zone", run as written on a zone's own files.

The commands are read from the section's first ``sh`` block and each line is run with ``bash``
in a folder holding files made here the way a Belgian records system exports them: a
``;``-separated CSV with Dutch column names, decimal commas, day-first dates, windows for the
burglaries, phenomena in the system's own words and offence codes, and a mapping file. What the
store then holds is checked against a count made here from the rows as they were written. Only
the store URL of the ``export MMM_STORE=`` line is replaced for the PostGIS run.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from mmm.io.files import write_geofile
from mmm.store import open_store
from mmm.store.backup import restore_store

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "Kanaalweg langs de Schelde 42"
ZONE = box(150_000, 170_000, 154_000, 174_000)  # 4 km × 4 km in EPSG:31370

#: What the export writes → the zone's phenomenon it is (None: no phenomenon of the zone).
WRITTEN = {
    "Woninginbraak": "burglary_dwelling",  # a label of the zone
    "WONINGINBRAAK": "burglary_dwelling",
    "Vol à la tire": "pickpocketing",  # the French label
    "vol a la tire": "pickpocketing",  # without the accent
    "Intrafamiliaal geweld": "intrafamily_violence",
    "Diefstal uit auto": "vehicle_crime",  # only in the mapping file
    "43A": "vehicle_crime",  # an offence code, in the mapping file
    "Sluikstort": "other",  # mapped to the phenomenon the README adds
    "Oplichting": None,  # not mapped: rejected
}
MAPPING = (
    "source;phenomenon\nDiefstal uit auto;vehicle_crime\n43A;vehicle_crime\nSluikstort;other\n"
)


def readme_commands() -> list[str]:
    """The command lines of the section's first ``sh`` block, as written."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Start your own zone\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "no sh block in Start your own zone"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _files(folder: Path, rows: int = 600) -> list[dict[str, object]]:
    """The zone's files; returns the incident rows as written, each with what it should be."""
    write_geofile(gpd.GeoDataFrame({"naam": ["PZ Voorbeeld"]}, geometry=[ZONE], crs=31370),
                  folder / "zone.geojson", layer="zone")  # fmt: skip
    perimeters = gpd.GeoDataFrame(
        {"naam": ["Markt", "Station", "Park"]},
        geometry=[
            box(151_000, 171_000, 152_000, 172_000),
            box(151_800, 171_800, 153_000, 173_000),  # overlaps the Markt
            box(150_200, 172_500, 150_900, 173_500),
        ],
        crs=31370,
    )
    write_geofile(perimeters, folder / "perimeters.gpkg", layer="perimeters")
    streets = gpd.GeoDataFrame(
        {"straatnaam": ["Marktstraat", "Stationslei", "Parklaan"]},
        geometry=[
            LineString([(150_500, 171_500), (153_500, 171_500)]),
            LineString([(152_000, 170_500), (152_000, 173_500)]),
            LineString([(150_300, 173_000), (151_500, 173_000)]),
        ],
        crs=31370,
    )
    write_geofile(streets, folder / "straten.gpkg", layer="straten")
    draw = random.Random(20250106)
    written = []
    for n in range(rows):
        value = draw.choice(list(WRITTEN))
        outside = n % 97 == 5  # a few far outside the zone: rejected
        x = draw.uniform(150_100, 153_900) + (20_000 if outside else 0)
        y = draw.uniform(170_100, 173_900)
        start = pd.Timestamp("2024-01-01") + pd.Timedelta(minutes=draw.randrange(0, 2 * 365 * 1440))
        end = ""
        if WRITTEN[value] == "burglary_dwelling" and n % 2:
            hours = draw.randrange(2, 60)
            finish = start + pd.Timedelta(hours=hours)
            end = finish.strftime("%d/%m/%Y") if n % 4 == 1 else finish.strftime("%d/%m/%Y %H:%M")
        written.append(
            {
                "PV-nummer": f"AN.{55_000 + n}/2024",
                "Feitdatum": start.strftime("%d/%m/%Y %H:%M"),
                "Einddatum": end,
                "Omschrijving": value,
                "X": f"{x:.2f}".replace(".", ","),
                "Y": f"{y:.2f}".replace(".", ","),
                "_start": start.floor("min"),
                "_code": None if outside else WRITTEN[value],
                "_outside": outside,
            }
        )
    export = pd.DataFrame(written).drop(columns=["_start", "_code", "_outside"])
    export.to_csv(folder / "feiten.csv", sep=";", index=False, encoding="utf-8")
    (folder / "mapping.csv").write_text(MAPPING, encoding="utf-8")
    return written


def _run_readme(folder: Path, store_url: str | None) -> str:
    """Run the section's lines; returns the store URL they used."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("MMM_STORE", None)
    for line in readme_commands():
        if line.startswith("export MMM_STORE="):
            if store_url is None:  # as written: evaluated by the shell in this folder
                shown = subprocess.run(["bash", "-c", f'{line}\necho "$MMM_STORE"'], cwd=folder,
                                       capture_output=True, text=True, check=True)  # fmt: skip
                store_url = shown.stdout.strip()
            env["MMM_STORE"] = store_url
            continue
        done = subprocess.run(
            ["bash", "-c", line], cwd=folder, env=env, input=PASSWORD + "\n",
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
    assert store_url is not None
    return store_url


@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_the_readme_s_first_steps_give_the_counts_of_the_export(backend, tmp_path, store_url_for):
    folder = tmp_path / "zone"
    folder.mkdir()
    written = _files(folder)
    url = _run_readme(folder, None if backend == "sqlite" else store_url_for("postgis"))
    if backend == "sqlite":
        assert url == f"sqlite:///{folder}/zone.sqlite"

    # the count made here, from the rows as written
    kept = [r for r in written if r["_code"] is not None]
    expected = Counter((r["_code"], pd.Timestamp(str(r["_start"])).strftime("%Y-%m")) for r in kept)
    windows = sum(1 for r in kept if r["Einddatum"])
    reasons = Counter(
        "outside the zone (more than 1000 m)"
        if r["_outside"]
        else f"no phenomenon for {r['Omschrijving']!r}"
        for r in written
        if r["_code"] is None
    )

    store = open_store(url)
    try:
        incidents = store.incidents()
        found = Counter(
            zip(incidents["phenomenon"], incidents["occurred"].dt.strftime("%Y-%m"), strict=True)
        )
        assert found == expected
        assert int(incidents["date_to"].notna().sum()) == windows > 0
        assert (
            incidents["date_to"].dropna() >= incidents.loc[incidents["date_to"].notna(), "occurred"]
        ).all()
        assert store.phenomenon_thresholds() == {"intrafamily_violence": 10}
        assert {u.name: u.role for u in _users(store)} == {
            "beheerder": "admin",
            "analist1": "analyst",
            "privacy": "dpo",
        }
        totals = store.totals()
        assert (totals["perimeters"], store.street_count(), totals["phenomena"]) == (3, 3, 14)
        assert store.zone_profile() is not None and store.stored_zone() is not None
    finally:
        store.close()
    rejected = pd.read_csv(folder / "feiten.rejects.csv", sep=None, engine="python")
    assert Counter(rejected["reason"]) == reasons and len(reasons) == 2

    # the backup the last line made restores into a new store, table by table the same
    (backup,) = [p for p in (folder / "backups").iterdir() if p.suffix == ".mmmbackup"]
    target = (
        f"sqlite:///{tmp_path / 'restored.sqlite'}"
        if backend == "sqlite"
        else store_url_for(backend)
    )
    taken, restored = restore_store(backup, target)
    assert restored == taken.tables
    assert {t.table: t.rows for t in restored}["incidents"] == len(kept)


def _users(store):
    from mmm.access.users import list_users

    return list_users(store)


def test_the_section_names_every_step_of_a_new_zone():
    lines = readme_commands()
    steps = ["mmm init", "mmm import zone", "mmm import perimeters", "mmm import streets",
             "mmm import incidents", "--map", "mmm user add", "mmm token create", "mmm db backup"]  # fmt: skip
    assert all(any(step in line for line in lines) for step in steps)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    order = [text.index(h) for h in ("## Two commands", "## Start your own zone", "## Tour")]
    assert order == sorted(order)
