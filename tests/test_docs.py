"""Everything a user can set or call is documented in README.md."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import click
import pytest

from mmm.cli import cli
from mmm.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


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


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md", "docs/benchmarks.md"])
def test_links_stay_inside_the_repository_and_resolve(doc: str) -> None:
    path = ROOT / doc
    local = [
        target
        for target in LINK.findall(path.read_text(encoding="utf-8"))
        if not target.startswith(("http://", "https://", "mailto:"))
    ]
    broken = [t for t in local if not (path.parent / t).resolve().is_relative_to(ROOT)]
    broken += [t for t in local if not (path.parent / t).exists()]
    assert not broken, f"{doc} links outside the repository or to nothing: {broken}"


def test_architecture_doc_names_every_package() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = [p.name for p in (ROOT / "mmm").iterdir() if (p / "__init__.py").exists()]
    assert len(packages) >= 10
    assert not [p for p in packages if f"`mmm/{p}/`" not in text]
