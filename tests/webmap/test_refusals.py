"""The core's refusals of a change, as a page flashes them: in the reader's language.

Each refusal is made by the core itself (a real call that it refuses), so a changed English
sentence in the core fails here rather than reaching a Dutch page in English.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask_babel import force_locale

from mmm.access.partners import add_partner
from mmm.access.users import set_active, user_by_name
from mmm.errors import MMMError
from mmm.plans import add_action, list_plans
from webmap.extensions import get_store
from webmap.flashing import refusal


def _refused(change: Callable[[], object]) -> MMMError:
    with pytest.raises(MMMError) as caught:
        change()
    return caught.value


def test_the_cores_refusals_are_flashed_in_the_readers_language(app: Flask) -> None:
    with app.app_context():
        store = get_store()
        admin = user_by_name(store, "admin")
        plan = list_plans(store)[0]
        errors = {
            "empty name": _refused(lambda: add_partner(store, "  ", type="police")),
            "own account": _refused(
                lambda: set_active(store, admin.id, False, actor="t", actor_id=admin.id)
            ),
            "action dates": _refused(
                lambda: add_action(
                    store,
                    plan.id,
                    title="Te vroeg",
                    approach="",
                    owner="",
                    starts_on="1990-01-01",
                    ends_on="1990-02-01",
                )
            ),  # fmt: skip
        }
    with app.test_request_context(), force_locale("nl"):
        dutch = {what: refusal(error) for what, error in errors.items()}
    with app.test_request_context(), force_locale("fr"):
        french = refusal(errors["action dates"])
    assert dutch["empty name"] == "De naam van de partner is leeg."
    assert dutch["own account"].startswith("U kunt uw eigen account niet deactiveren")
    assert dutch["action dates"].startswith("De actie loopt van 1990-01-01 tot 1990-02-01,")
    assert french.startswith("L’action court du 1990-01-01 au 1990-02-01,")
    for error in errors.values():  # the CLI keeps the core's own sentence
        assert str(error)[0].islower()
