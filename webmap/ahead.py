"""Pages built ahead: after a start (and in each warm-up), the zone map and every perimeter page
of each kind of reader the store has, so the first visitor of the morning does not wait.

Why: a page is kept per state of the data and per reader's rights, scope and language
(:mod:`webmap.answers`), and building one takes tens of milliseconds (a zone map of 2,000
perimeters: half a second). When fifty people open the app after an import, each kind of reader
would build its pages while the others queue behind it. The readers are known — the store's
active users — so the warm-up builds, for one user of each kind (same rights, organisation and
language), the default zone map and the default page of every perimeter that user may see. At
most :data:`MAX_PAGES` pages are built per warm-up, and it stops as soon as the data changes
(those pages would be thrown away). The pages are built as that user would be served them;
nothing is shown to anyone, and nothing is written to the audit trail (no incident points).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable

from flask import Flask, g

from mmm import access
from mmm.access.users import User, list_users
from mmm.counting.cube import data_key
from mmm.errors import MMMError
from webmap.answers import rights_of
from webmap.extensions import LoginUser, current_scope, get_store
from webmap.maps.routes import zone_parts
from webmap.perimeters.routes import page_parts

#: Pages built ahead per warm-up at most (zone maps and perimeter pages together).
MAX_PAGES = 2_000

log = logging.getLogger(__name__)


def build_ahead(app: Flask) -> int:
    """Build the default pages of every kind of reader (see the module); returns how many."""
    with app.app_context():
        store = get_store()
        state = data_key(store)
        readers = _one_of_each_kind(list_users(store))
    built = 0
    for user in readers:
        with app.test_request_context("/"):
            g._login_user = LoginUser(user, "")  # as Flask-Login would have loaded them
            if data_key(get_store()) != state:
                break  # the data changed meanwhile: these pages would be stale at once
            try:
                zone_parts(None, None, None, False)
                built += 1
                if access.can(user, "view_perimeter"):
                    ids = access.visible_perimeters(get_store().perimeters(), current_scope())
                    for perimeter_id in ids["id"].head(MAX_PAGES - built):
                        page_parts(int(perimeter_id), None, None)
                        built += 1
            except MMMError as error:  # no zone yet, say: nothing to build for anyone
                log.info("pages not built ahead: %s", type(error).__name__)
                break
        if built >= MAX_PAGES:
            break
    return built


def _one_of_each_kind(users: list[User]) -> list[User]:
    """One active user per rights, organisation and language, of those who see the map."""
    kinds: dict[Hashable, User] = {}
    for user in users:
        if user.active and access.can(user, "view_map"):
            kinds.setdefault((rights_of(user.role), user.partner, user.language), user)
    return list(kinds.values())
