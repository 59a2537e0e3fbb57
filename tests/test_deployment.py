"""The README's reverse-proxy configuration and systemd unit parse, and agree with ``mmm serve``.

The nginx configuration is parsed with crossplane in strict mode (unknown directives, a
directive in the wrong block or with the wrong number of arguments fail, as ``nginx -t`` would
fail them); the unit with ``configparser``, its ``mmm serve`` options with the command itself.
"""

from __future__ import annotations

import configparser
import re
import shlex
from dataclasses import fields
from pathlib import Path

import crossplane
import pytest

from mmm.cli.serve import serve_cmd
from mmm.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
FENCED = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def _block(language: str, first_line: str) -> str:
    """The README's fenced block in ``language`` whose first line starts with ``first_line``."""
    found = [
        b for lang, b in FENCED.findall(README) if lang == language and b.startswith(first_line)
    ]
    assert len(found) == 1, f"one {language} block starting {first_line!r} in README.md"
    return found[0]


def _directives(block: list[dict], name: str) -> list[dict]:
    """Every directive called ``name`` in a crossplane parse tree, at any depth."""
    found = []
    for item in block:
        if item["directive"] == name:
            found.append(item)
        found += _directives(item.get("block", []), name)
    return found


@pytest.fixture(scope="module")
def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(_block("ini", "# /etc/systemd/system/mmm-planner.service"))
    return parser


def test_the_nginx_configuration_parses_strictly(tmp_path: Path, unit) -> None:
    site = _block("nginx", "# /etc/nginx/sites-available/mmm-planner")
    conf = tmp_path / "nginx.conf"  # a site file sits inside http { } of Debian's nginx.conf
    conf.write_text(f"events {{}}\nhttp {{\n{site}\n}}\n", encoding="utf-8")
    parsed = crossplane.parse(str(conf), strict=True, comments=False)
    assert parsed["status"] == "ok", parsed["errors"]
    tree = parsed["config"][0]["parsed"]

    [upstream] = _directives(tree, "upstream")
    [backend] = _directives(upstream["block"], "server")
    args = shlex.split(unit["Service"]["ExecStart"])
    assert backend["args"] == [f"{args[args.index('--host') + 1]}:{args[args.index('--port') + 1]}"]
    assert [d["args"] for d in _directives(tree, "proxy_pass")] == [["http://mmm_planner"]]
    headers = {d["args"][0]: d["args"][1] for d in _directives(tree, "proxy_set_header")}
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] == "$scheme" and headers["Host"] == "$host"
    assert _directives(tree, "ssl_certificate") and _directives(tree, "ssl_certificate_key")
    [body] = _directives(tree, "client_max_body_size")
    assert int(body["args"][0].rstrip("m")) >= Settings().max_upload_mb


def test_the_systemd_unit_parses_and_runs_the_production_server(unit) -> None:
    assert unit.sections() == ["Unit", "Service", "Install"]
    service = unit["Service"]
    assert service["User"] != "root" and service["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    command = shlex.split(service["ExecStart"])
    assert command[0] == f"{service['WorkingDirectory']}/.venv/bin/mmm" and command[1] == "serve"
    assert "--dev" not in command
    context = serve_cmd.make_context("serve", command[2:])  # the options `mmm serve` takes
    assert context.params["host"] == "127.0.0.1" and context.params["threads"] >= 1
    assert shlex.split(service["ExecStartPre"])[1:] == ["db", "upgrade"]
    settings = {f.metadata["env"] for f in fields(Settings)}
    environment = dict(pair.split("=", 1) for pair in shlex.split(service["Environment"]))
    assert set(environment) <= settings
    assert environment["MMM_PROXY_HOPS"] == "1"  # one nginx in front
    assert service["ReadWritePaths"].startswith(service["WorkingDirectory"])
