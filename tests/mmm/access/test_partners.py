"""Partners and assignments: validation, replacement, audit; and the CLI."""

from __future__ import annotations

import pytest

from mmm.access.partners import (
    add_partner,
    add_partner_type,
    assign,
    assignments,
    partner_types,
    unassign,
)
from mmm.cli.group import cli
from mmm.demo import add_demo_partners, load_demo
from mmm.errors import MMMError, NotFound


@pytest.fixture
def demo_store(store):
    load_demo(store)
    return store


def test_partner_and_assignment_lifecycle(demo_store):
    add_partner(demo_store, "Jeugdwerk Demostad", type="youth_work", contact="info@jeugd.example")
    assign(
        demo_store,
        "Jeugdwerk Demostad",
        perimeter="Stadspark",
        phenomenon="drugs",
        responsibility="contributes",
    )
    assign(
        demo_store,
        "Jeugdwerk Demostad",
        perimeter="Stadspark",
        phenomenon="drugs",
        responsibility="lead",
        description="straathoekwerk",
    )
    table = assignments(demo_store)
    assert table[
        ["partner", "perimeter", "phenomenon", "responsibility", "description"]
    ].values.tolist() == [["Jeugdwerk Demostad", "Stadspark", "drugs", "lead", "straathoekwerk"]]
    unassign(demo_store, "Jeugdwerk Demostad", perimeter="Stadspark", phenomenon="drugs")
    assert assignments(demo_store).empty
    actions = demo_store.audit_events().query("entity == 'partner'")["action"].tolist()
    assert actions == ["create", "assign", "assign", "unassign"]


@pytest.mark.parametrize(
    "kwargs,error,message",
    [
        ({"type": "circus"}, MMMError, "unknown partner type"),
        ({"type": "school", "contact": "jan"}, MMMError, "not an e-mail"),
    ],
)
def test_bad_partners(demo_store, kwargs, error, message):
    with pytest.raises(error, match=message):
        add_partner(demo_store, "X", **kwargs)


def test_bad_assignments_and_new_types(demo_store):
    add_partner(demo_store, "School", type="school")
    with pytest.raises(NotFound, match="no perimeter"):
        assign(demo_store, "School", perimeter="Nowhere", phenomenon="drugs", responsibility="lead")
    with pytest.raises(NotFound, match="no phenomenon"):
        assign(demo_store, "School", perimeter="Stadspark", phenomenon="x", responsibility="lead")
    with pytest.raises(MMMError, match="unknown responsibility"):
        assign(
            demo_store, "School", perimeter="Stadspark", phenomenon="drugs", responsibility="boss"
        )
    with pytest.raises(MMMError, match="already exists"):
        add_partner(demo_store, "School", type="school")
    add_partner_type(demo_store, "sports_club")
    assert "sports_club" in partner_types(demo_store)
    add_partner(demo_store, "Voetbalclub", type="sports_club")


def test_cli_partner_add_assign_and_list(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    assert runner.invoke(cli, ["--store", url, "demo"]).exit_code == 0
    result = runner.invoke(
        cli, ["--store", url, "partner", "add", "Politie Wijkteam", "--type", "police"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli,
        ["--store", url, "assign", "Politie Wijkteam", "--perimeter", "Marktplein",
         "--phenomenon", "vandalism", "--responsibility", "lead"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    listing = runner.invoke(cli, ["--store", url, "partner", "list"]).stdout
    assert "Politie Wijkteam,police,Marktplein,vandalism,lead" in listing
    assert (
        "OCMW Demostad,social_services,Sociale woonwijk De Linde,intrafamily_violence,lead"
        in listing
    )
    bad = runner.invoke(cli, ["--store", url, "assign", "Nobody", "--perimeter", "Marktplein",
                              "--phenomenon", "vandalism", "--responsibility", "lead"])  # fmt: skip
    assert bad.exit_code == 1 and "no partner named 'Nobody'" in bad.stderr


def test_demo_partners_are_loaded_once(demo_store):
    first = add_demo_partners(demo_store)
    again = add_demo_partners(demo_store)
    assert first == again == len(assignments(demo_store))
