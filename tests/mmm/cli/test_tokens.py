"""``mmm token create|list|revoke``: the secret printed once, lists without it, revoke by id."""

from __future__ import annotations

import re

import pytest

from mmm.access.tokens import token_user
from mmm.access.users import add_user
from mmm.cli.group import cli
from mmm.errors import AccessDenied
from mmm.store import open_store

REQUEST = {"method": "GET", "path": "/api/counts", "address": "127.0.0.1"}


def test_create_list_revoke(runner, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'tokens.sqlite'}"
    store = open_store(url)
    add_user(store, "anna", "paard batterij nietje", role="analyst")

    made = runner.invoke(cli, ["--store", url, "token", "create", "QGIS laptop", "--user", "anna",
                               "--expires", "30"])  # fmt: skip
    assert made.exit_code == 0, made.output
    secret = made.stdout.splitlines()[1]
    assert made.stdout.startswith("Token 1 'QGIS laptop' for 'anna', until ")
    assert secret.startswith("mmm_") and "shown only now" in made.stderr
    assert token_user(store, secret, REQUEST)[1].name == "anna"

    listed = runner.invoke(cli, ["--store", url, "token", "list", "--user", "anna"])
    assert listed.exit_code == 0 and secret not in listed.output
    assert listed.output.splitlines()[1].split()[:3] == ["1", "anna", "active"]
    assert re.search(r" \d{4}-\d\d-\d\d \d\d:\d\d +QGIS laptop$", listed.output.rstrip())

    revoked = runner.invoke(cli, ["--store", url, "token", "revoke", "1"])
    assert revoked.output == "Token 1 'QGIS laptop' of 'anna' is revoked\n"
    with pytest.raises(AccessDenied):
        token_user(store, secret, REQUEST)
    listed = runner.invoke(cli, ["--store", url, "token", "list"])
    assert listed.output.splitlines()[1].split()[:3] == ["1", "anna", "revoked"]
    store.close()


def test_refusals_are_one_line(runner, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'tokens.sqlite'}"
    empty = runner.invoke(cli, ["--store", url, "token", "list"])
    assert empty.output.startswith("No API tokens: make one with `mmm token create")
    for args, message in (
        (["create", "x", "--user", "nobody"], "Error: no user named 'nobody'"),
        (["revoke", "7"], "Error: no API token 7"),
    ):
        result = runner.invoke(cli, ["--store", url, "token", *args])
        assert (result.exit_code, result.output.strip()) == (1, message)
    too_long = runner.invoke(cli, ["--store", url, "token", "create", "x", "--user", "a",
                                   "--expires", "3651"])  # fmt: skip
    assert too_long.exit_code == 2 and "3651 is not in the range 1<=x<=3650" in too_long.output
