"""``mmm --help`` and every sub-command's ``--help`` start fast: no geo stack, maps or web app.

Each help runs in a fresh interpreter (a module an earlier test loaded would hide a slow import),
and the commands are found by walking the ``mmm`` group, so a new command is covered too.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from mmm.cli import cli

HEAVY = ("geopandas", "folium", "flask", "scipy", "shapely")

SCRIPT = f"""
import json, sys
from mmm.cli import cli

code = cli.main([*sys.argv[1:], "--help"], prog_name="mmm", standalone_mode=False)
print(json.dumps({{"code": code, "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def _command_paths(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The words that reach ``command`` and every command below it, ``command`` first."""
    paths = [path]
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            paths += _command_paths(sub, (*path, name))
    return paths


COMMANDS = _command_paths(cli)


def test_the_walk_finds_every_command_and_nested_group() -> None:
    assert len(COMMANDS) >= 30
    for path in [(), ("import", "incidents"), ("db", "upgrade"), ("plan", "show"), ("hotspots",)]:
        assert path in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(("mmm", *path)))
def test_help_loads_no_heavy_module(path: tuple[str, ...]) -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, *path], capture_output=True, text=True, check=True
    )
    result = json.loads(run.stdout.splitlines()[-1])
    assert result == {"code": 0, "loaded": []}, run.stderr
