"""The ``mmm`` command end to end: import → aggregate → export, and errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from mmm.cli.group import cli
from tests.helpers import ZONE, write_csv


@pytest.fixture
def files(tmp_path, incidents_frame):
    zone = tmp_path / "zone.geojson"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[ZONE], crs=31370).to_crs(4326), zone)
    per = tmp_path / "per.gpkg"
    frame = gpd.GeoDataFrame(
        {"naam": ["Station"]}, geometry=[box(171_900, 173_900, 172_150, 174_150)], crs=31370
    )
    pyogrio.write_dataframe(frame, per)
    bad_rows = pd.DataFrame(
        [
            ["B1", "drugs", "2024-01-01", "abc", "1"],
            ["B2", "drugs", "2024-01-01", "190000", "174000"],
        ],
        columns=incidents_frame.columns,
    )
    inc = write_csv(tmp_path / "inc.csv", pd.concat([incidents_frame, bad_rows]), sep=";")
    return {"zone": zone, "per": per, "inc": inc}


def _run(runner, store_url, *args):
    result = runner.invoke(cli, ["--store", store_url, *args], catch_exceptions=False)
    return result


def test_import_aggregate_export_end_to_end(runner, tmp_path, files):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert _run(runner, url, "import", "zone", str(files["zone"])).exit_code == 0
    assert _run(runner, url, "import", "perimeters", str(files["per"])).exit_code == 0
    result = _run(runner, url, "import", "incidents", str(files["inc"]), "--crs", "EPSG:31370")
    assert result.exit_code == 0, result.output
    assert "imported           5   (undated: 1)" in result.stdout
    assert "non-numeric coordinates" in result.stdout
    assert "outside the zone (more than 1000 m)" in result.stdout
    rejects = pd.read_csv(tmp_path / "inc.rejects.csv")
    assert rejects[["row", "reason"]].values.tolist() == [
        [6, "non-numeric coordinates"],
        [7, "outside the zone (more than 1000 m)"],
    ]

    out = tmp_path / "out" / "counts.csv"
    result = _run(
        runner, url, "aggregate", "--period", "quarter", "--to", "2024-03-31", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table[["perimeter", "phenomenon", "period", "count"]].values.tolist() == [
        ["Station", "drugs", "2024-Q1", 2],
        ["Station", "vandalism", "2024-Q1", 1],
    ]
    stdout = _run(runner, url, "aggregate", "--period", "all").stdout
    assert "Station,drugs,all,3," in stdout  # the undated one counts with --period all

    geo = tmp_path / "counts.geojson"
    assert _run(runner, url, "export", "counts", "--out", str(geo)).exit_code == 0
    feature = json.loads(geo.read_text())["features"][0]
    assert feature["properties"]["drugs"] == 3

    status = _run(runner, url, "status").stdout
    assert "incidents                5" in status and "imported outline" in status


def test_dry_run_stores_nothing(runner, tmp_path, files):
    url = f"sqlite:///{tmp_path / 'dry.sqlite'}"
    result = _run(
        runner, url, "import", "incidents", str(files["inc"]), "--crs", "31370", "--dry-run"
    )
    assert result.exit_code == 0 and "Would import" in result.stdout
    assert "nothing was stored" in result.stdout
    assert "incidents                0" in _run(runner, url, "status").stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["import", "incidents", "{inc}"], "pass --crs"),
        (["import", "incidents", "{inc}", "--crs", "EPSG:nonsense"], "unknown CRS"),
        (["import", "incidents", "{inc}", "--crs", "31370", "--date", "when"], "no column 'when'"),
        (["import", "perimeters", "{inc}", "--crs", "31370"], "has no geometry"),
        (["import", "zone", "{inc}", "--crs", "31370"], "has no geometry"),
        (["export", "counts", "--out", "{tmp}/c.xlsx"], "unsupported format"),
        (["aggregate", "--from", "2024-31-01"], "Invalid value for '--from'"),
    ],
)
def test_bad_input_is_one_clear_line_and_nonzero_exit(runner, tmp_path, files, args, message):
    url = f"sqlite:///{tmp_path / 'err.sqlite'}"
    args = [a.format(inc=files["inc"], tmp=tmp_path) for a in args]
    result = runner.invoke(cli, ["--store", url, *args])
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_store_from_environment_and_real_console_script(tmp_path, files):
    mmm = Path(sys.executable).with_name("mmm")
    env = {"MMM_STORE": f"sqlite:///{tmp_path / 'env.sqlite'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [mmm, "import", "perimeters", str(files["per"])], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "env.sqlite").exists()
    bad = subprocess.run(
        [mmm, "--store", "oracle://x", "status"], env=env, capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        "Error: unsupported store URL 'oracle://x': use sqlite:///path/to/file.db"
        " or postgresql://user@host:port/database"
    ]


def test_demo_loads_once_and_writes_files(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    first = _run(runner, url, "demo")
    assert first.exit_code == 0, first.output
    assert "rejected           0" in first.stdout and "PZ Demostad" in first.stdout
    second = _run(runner, url, "demo")
    assert "duplicate id already stored" in second.stdout
    written = _run(runner, url, "demo", "--write", str(tmp_path / "files"))
    assert written.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == [
        "incidents.csv",
        "perimeters.gpkg",
        "streets.gpkg",
        "zone.geojson",
    ]


def test_user_add_reads_the_password_from_stdin(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    result = runner.invoke(
        cli,
        ["--store", url, "user", "add", "wijk1", "--role", "officer"],
        input="geheim-voor-de-zone\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added user 'wijk1' (officer)" in result.stdout
    from mmm.access.users import authenticate
    from mmm.store import open_store

    assert authenticate(open_store(url), "wijk1", "geheim-voor-de-zone").role == "officer"
    short = runner.invoke(
        cli, ["--store", url, "user", "add", "x", "--role", "admin"], input="kort\n"
    )
    assert short.exit_code == 1 and "at least 12" in short.stderr
    named = runner.invoke(
        cli, ["--store", url, "user", "add", "anna", "--role", "admin"], input="Anna-2024-zomer\n"
    )
    assert named.exit_code == 1 and "may not contain the user name" in named.stderr
    common = runner.invoke(
        cli, ["--store", url, "user", "add", "anna", "--role", "admin"], input="Wachtwoord2024\n"
    )
    assert common.exit_code == 1 and "too common" in common.stderr
    assert len(common.stderr.strip().splitlines()) == 1  # one line, no traceback


@pytest.mark.parametrize("role", ["admin", "analyst", "officer", "partner", "dpo"])
def test_user_add_takes_every_role_the_app_has(runner, tmp_path, role):
    from mmm.access.rules import RULES
    from mmm.access.users import authenticate
    from mmm.store import open_store

    assert any(role in roles for roles in RULES.values())  # a role the rules know
    url = f"sqlite:///{tmp_path / 'roles.sqlite'}"
    extra = ["--partner", "OCMW"] if role == "partner" else []
    if role == "partner":
        runner.invoke(cli, ["--store", url, "partner", "add", "OCMW", "--type", "social_services"])
    result = runner.invoke(
        cli,
        ["--store", url, "user", "add", "iemand", "--role", role, *extra],
        input="een-lange-zin-als-wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    assert authenticate(open_store(url), "iemand", "een-lange-zin-als-wachtwoord").role == role


def test_progress_bar_on_a_terminal_only(tmp_path, files):
    """Under a pseudo-terminal a large import draws a bar; piped output stays clean."""
    import os
    import pty

    mmm = str(Path(sys.executable).with_name("mmm"))
    env = {
        "MMM_STORE": f"sqlite:///{tmp_path / 'tty.sqlite'}",
        "MMM_PROGRESS_MIN_ROWS": "3",
        "PATH": "/usr/bin:/bin",
    }
    args = [mmm, "import", "incidents", str(files["inc"]), "--crs", "31370"]
    pid, fd = pty.fork()
    if pid == 0:  # the child runs mmm with a terminal as stdout/stderr
        os.execve(mmm, args, env)
    chunks = []
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    terminal = b"".join(chunks).decode()
    assert "storing" in terminal and "rows" in terminal and "100%" in terminal
    env["MMM_STORE"] = f"sqlite:///{tmp_path / 'pipe.sqlite'}"
    piped = subprocess.run(args, env=env, capture_output=True, text=True)
    assert piped.returncode == 0 and "storing" not in piped.stderr + piped.stdout


def test_user_list_reset_password_deactivate_activate(runner, tmp_path):
    from mmm.access.users import authenticate
    from mmm.store import open_store

    url = f"sqlite:///{tmp_path / 'users.sqlite'}"

    def mmm(*args: str, input: str | None = None):
        return runner.invoke(cli, ["--store", url, *args], input=input)

    assert "No users yet" in mmm("user", "list").stdout
    assert (
        mmm("user", "add", "baas", "--role", "admin", input="geheim-voor-de-zone\n").exit_code == 0
    )
    assert (
        mmm("user", "add", "wijk1", "--role", "officer", input="geheim-voor-de-zone\n").exit_code
        == 0
    )
    partner = mmm(
        "user",
        "add",
        "p1",
        "--role",
        "partner",
        "--partner",
        "Nergens",
        input="lang-genoeg-wachtwoord",
    )
    assert partner.exit_code == 1 and "no partner organisation named 'Nergens'" in partner.stderr
    listed = mmm("user", "list")
    assert listed.exit_code == 0
    assert [line.split()[:4] for line in listed.stdout.splitlines()[1:]] == [
        ["baas", "admin", "nl", "yes"],
        ["wijk1", "officer", "nl", "yes"],
    ]

    reset = mmm("user", "reset-password", "wijk1", input="nieuw-geheim\n")
    assert reset.exit_code == 0 and "New password set for 'wijk1'" in reset.stdout
    store = open_store(url)
    assert authenticate(store, "wijk1", "geheim-voor-de-zone") is None
    assert authenticate(store, "wijk1", "nieuw-geheim") is not None
    assert "at least 12" in mmm("user", "reset-password", "wijk1", input="kort\n").stderr

    assert "is now inactive" in mmm("user", "deactivate", "wijk1").stdout
    assert "is already inactive" in mmm("user", "deactivate", "wijk1").stdout
    assert authenticate(store, "wijk1", "nieuw-geheim") is None
    assert "wijk1                officer  nl   no" in mmm("user", "list").stdout
    assert "is now active" in mmm("user", "activate", "wijk1").stdout
    assert authenticate(store, "wijk1", "nieuw-geheim") is not None

    last = mmm("user", "deactivate", "baas")
    assert last.exit_code == 1 and "last active admin" in last.stderr
    unknown = mmm("user", "deactivate", "niemand")
    assert unknown.exit_code == 1 and "no user named 'niemand'" in unknown.stderr
    assert "Traceback" not in last.output + unknown.output
    events = store.audit_events()
    assert list(events.loc[events["entity"] == "user", "action"]) == [
        "create",
        "create",
        "reset_password",
        "deactivate",
        "activate",
    ]
    assert "geheim" not in events.to_string()
    store.close()
