"""A real zone's first commands: ``mmm init``, ``mmm phenomenon …``, the import's crosswalk and
windows, every role in ``mmm user add`` — on SQLite and PostGIS."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mmm.access.users import authenticate, list_users
from mmm.access.vocabulary import ROLES
from mmm.cli.group import cli
from mmm.store import open_store
from tests.helpers import write_csv

PASSWORD = "Kanaalweg langs de Schelde 42\n"


def _init(runner, target: str, *extra: str, password: str = PASSWORD):
    return runner.invoke(cli, ["init", target, "--name", "PZ Voorbeeld", *extra], input=password)


@pytest.fixture
def zone_url(runner, store_url_for, backend) -> str:
    """A store made by ``mmm init`` (languages fr,nl; admin ``beheerder``)."""
    url = store_url_for(backend)
    done = _init(runner, url, "--languages", "fr,nl", "--admin", "beheerder")
    assert done.exit_code == 0, done.output
    return url


def test_init_makes_a_zone_with_its_profile_phenomena_and_admin(zone_url, runner):
    store = open_store(zone_url)
    try:
        profile = store.zone_profile()
        assert profile is not None and (profile.name, profile.languages) == (
            "PZ Voorbeeld",
            ("fr", "nl"),
        )
        table = store.phenomenon_table().set_index("code")
        assert len(table) == 13 and table.loc["intrafamily_violence", "label"] == (
            "Violence intrafamiliale"
        )
        assert table.loc["bicycle_theft", "label_de"] == "Fahrraddiebstahl"
        admin = authenticate(store, "beheerder", PASSWORD.strip())
        assert admin is not None and (admin.role, admin.language) == ("admin", "fr")
        assert [u.name for u in list_users(store)] == ["beheerder"]
    finally:
        store.close()
    again = _init(runner, zone_url)
    assert again.exit_code == 1
    assert "exists already" in again.output or "is not empty" in again.output


def test_init_refuses_before_it_makes_anything(runner, tmp_path):
    target = tmp_path / "zone.sqlite"
    weak = _init(runner, str(target), password="kort\n")
    assert weak.exit_code == 1 and "at least 12 characters" in weak.output
    named = _init(
        runner, str(target), "--admin", "wachtwoordbeheerder", password="x wachtwoordbeheerder y\n"
    )
    assert named.exit_code == 1 and "may not contain the user name" in named.output
    languages = _init(runner, str(target), "--languages", "nl,es")
    assert languages.exit_code == 1 and "give some of nl, fr, de, en" in languages.output
    assert not target.exists()
    target.write_bytes(b"")
    taken = _init(runner, str(target))
    assert (
        taken.exit_code == 1 and "exists already: mmm init makes a new store only" in taken.output
    )


def test_init_takes_the_store_of_mmm_store_when_no_target_is_given(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'from-option.sqlite'}"
    done = runner.invoke(cli, ["--store", url, "init", "--name", "PZ Optie"], input=PASSWORD)
    assert done.exit_code == 0, done.output
    assert f"made in {url}" in done.output and "export MMM_STORE=" in done.output


def test_phenomenon_commands_show_which_threshold_applies(zone_url, runner, monkeypatch):
    monkeypatch.setenv("MMM_SUPPRESS_OVERRIDES", "drugs=4")
    run = lambda *args: runner.invoke(cli, ["--store", zone_url, "phenomenon", *args])  # noqa: E731
    added = run("add", "other", "--label-nl", "Andere", "--label-fr", "Autre", "--threshold", "6")
    assert added.exit_code == 0, added.output
    assert run("set", "intrafamily_violence", "--threshold", "12").exit_code == 0
    listed = run("list").output
    lines = {line.split()[0]: line for line in listed.splitlines()[1:]}
    assert "12 (zone)" in lines["intrafamily_violence"]
    assert "4 (setting)" in lines["drugs"] and "5 (setting)" in lines["vandalism"]
    assert "6 (zone)" in lines["other"] and "Andere / Autre / – / –" in lines["other"]
    cleared = run("set", "intrafamily_violence", "--default-threshold")
    assert cleared.exit_code == 0
    after = {line.split()[0]: line for line in run("list").output.splitlines()[1:]}
    assert "5 (setting)" in after["intrafamily_violence"]  # MMM_SUPPRESS_OVERRIDES is drugs=4
    wrong = run("set", "fraud", "--weight", "2")
    assert wrong.exit_code == 1 and "no phenomenon 'fraud'; known: assault" in wrong.output
    bad = run("add", "Fraude", "--label-nl", "Fraude")
    assert bad.exit_code == 1 and "is not a phenomenon code" in bad.output


def _export(tmp_path: Path) -> Path:
    frame = pd.DataFrame(
        {
            "PV-nummer": ["PV1", "PV2", "PV3", "PV4", "PV5"],
            "Feitdatum": [
                "03/01/2024 22:15",
                "05/01/2024",
                "06/01/2024",
                "07/01/2024",
                "08/01/2024",
            ],
            "Einddatum": ["04/01/2024 07:30", "", "", "", ""],
            "Omschrijving": ["Woninginbraak", "Diefstal uit auto", "Oplichting", "43A", "drugs"],
            "X": ["172000,5", "172010", "172020", "172030", "172040"],
            "Y": ["174000", "174010", "174020", "174030", "174040,75"],
        }
    )
    return write_csv(tmp_path / "feiten.csv", frame, sep=";")


def test_import_without_a_mapping_refuses_and_writes_one_to_fill_in(zone_url, runner, tmp_path):
    export = _export(tmp_path)
    rejects = tmp_path / "rejected" / "feiten.rejects.csv"
    args = ["--store", zone_url, "import", "incidents", str(export), "--crs", "EPSG:31370"]
    args += ["--id", "PV-nummer", "--phenomenon", "Omschrijving", "--date", "Feitdatum"]
    refused = runner.invoke(cli, [*args, "--rejects", str(rejects)])
    assert refused.exit_code == 1
    assert "3 values are not phenomena of the zone: '43A' (1 rows)" in refused.output
    assert "Nothing was imported" in refused.output
    mapping = rejects.with_name("feiten.mapping.csv")
    assert str(mapping) in refused.output
    template = pd.read_csv(mapping, dtype=str, keep_default_na=False)
    assert template.values.tolist() == [
        ["43A", "", "1"],
        ["Diefstal uit auto", "vehicle_crime", "1"],  # from the example mapping
        ["Oplichting", "", "1"],
    ]
    store = open_store(zone_url)
    assert store.totals()["incidents"] == 0
    store.close()
    # the analyst fills in one line and leaves one: its rows are rejected with their value
    template.loc[template["source"] == "43A", "phenomenon"] = "vehicle_crime"
    template.to_csv(mapping, index=False, sep=";")
    done = runner.invoke(
        cli, [*args, "--rejects", str(rejects), "--map", str(mapping), "--date-to", "Einddatum"]
    )
    assert done.exit_code == 0, done.output
    assert "imported           4" in done.output and "no phenomenon for 'Oplichting'" in done.output
    assert pd.read_csv(rejects)["reason"].tolist() == ["no phenomenon for 'Oplichting'"]
    store = open_store(zone_url)
    try:
        stored = store.incidents().set_index("source_id")
        assert stored["phenomenon"].to_dict() == {
            "PV1": "burglary_dwelling",
            "PV2": "vehicle_crime",
            "PV4": "vehicle_crime",
            "PV5": "drugs",
        }
        assert stored.loc["PV1", "occurred"] == pd.Timestamp("2024-01-03 22:15")
        assert stored.loc["PV1", "date_to"] == pd.Timestamp("2024-01-04 07:30")
        assert stored.loc["PV1", "x"] == 172000.5 and stored.loc["PV5", "y"] == 174040.75
    finally:
        store.close()


def test_unmapped_values_can_be_filed_under_a_phenomenon_the_zone_names(zone_url, runner, tmp_path):
    export = _export(tmp_path)
    args = ["--store", zone_url, "import", "incidents", str(export), "--crs", "EPSG:31370"]
    args += ["--id", "PV-nummer", "--phenomenon", "Omschrijving", "--date", "Feitdatum"]
    unknown = runner.invoke(cli, [*args, "--unmapped", "other"])
    assert unknown.exit_code == 1 and "--unmapped other: no such phenomenon" in unknown.output
    runner.invoke(cli, ["--store", zone_url, "phenomenon", "add", "other", "--label-nl", "Andere"])
    done = runner.invoke(cli, [*args, "--unmapped", "other"])
    assert done.exit_code == 0, done.output
    assert "3 rows of 3 unmapped values filed under other" in done.output
    store = open_store(zone_url)
    try:
        assert store.incidents()["phenomenon"].value_counts().to_dict() == {
            "other": 3,
            "burglary_dwelling": 1,
            "drugs": 1,
        }
    finally:
        store.close()


@pytest.mark.parametrize("role", ROLES)
def test_user_add_takes_every_role_of_the_app(zone_url, runner, role):
    args = ["--store", zone_url, "user", "add", f"iemand-{role}", "--role", role]
    if role == "partner":
        added = runner.invoke(
            cli,
            ["--store", zone_url, "partner", "add", "OCMW Voorbeeld", "--type", "social_services"],
        )
        assert added.exit_code == 0, added.output
        args += ["--partner", "OCMW Voorbeeld"]
    done = runner.invoke(cli, args, input=PASSWORD)
    assert done.exit_code == 0, done.output
    store = open_store(zone_url)
    try:
        user = authenticate(store, f"iemand-{role}", PASSWORD.strip())
        assert user is not None and user.role == role
    finally:
        store.close()
