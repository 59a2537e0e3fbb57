"""Partner names, contacts, assignment descriptions and labels within the text limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mmm.access.partners import add_partner, partners
from mmm.errors import TextRefused
from mmm.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'partners.sqlite'}")
    yield s
    s.close()


@pytest.mark.parametrize(
    "name,contact,message",
    [
        ("OCMW\x00Demostad", "", "the partner name holds a control character"),
        ("x" * 201, "", "the partner name is longer than 200 characters"),
        ("OCMW", "info@ocmw.be\x00", "the contact holds a control character"),
    ],
)
def test_partner_texts_are_checked(store: Store, name: str, contact: str, message: str) -> None:
    with pytest.raises(TextRefused, match=message):
        add_partner(store, name, type="social_services", contact=contact)
    assert partners(store).empty


def test_a_label_with_a_control_character_is_refused(store: Store) -> None:
    with pytest.raises(TextRefused, match="the label holds a control character"):
        store.set_label("phenomenon", "drugs", "nl", "Drugs\x1b[31m", actor="cli")
    store.set_label("phenomenon", "drugs", "nl", "Drugs", actor="cli")
    assert store.labels("phenomenon", "nl") == {"drugs": "Drugs"}
