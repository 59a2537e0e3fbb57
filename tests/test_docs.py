"""Everything a user can set or call is documented in README.md."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import click

from mmm.cli.group import cli
from mmm.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    for f in fields(Settings):
        assert f"`{f.metadata['env']}`" in README, f.metadata["env"]


def _commands(group: click.Group, prefix: str = "mmm") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix} {name}")
        else:
            names.append(f"{prefix} {name}")
    return names


def test_every_command_is_in_the_readme():
    missing = [c for c in _commands(cli) if f"`{c}" not in README]
    assert missing == []
