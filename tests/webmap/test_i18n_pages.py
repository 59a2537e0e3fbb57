"""Every page every role can reach, in Dutch, French and German: nothing in the wrong language.

The pages are found as a person finds them — from the zone map, following the app's links —
plus the few that open from a form (meeting mode, the audit log's second page). On each, the
text a person reads (``tests/webmap/visible_text.py``) may hold no code as it is stored
(``contributes``, ``police``, ``burglary_dwelling``, ``create``…) where the language has a word
for it, no English interface sentence whose translation differs, no English function word, and
no number with an English decimal point. The codes and their words come from the tables the
app itself translates with, so a new code without a word fails here, not in a meeting.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from shapely.geometry import box

from mmm.access.labels import phenomenon_labels
from mmm.access.partners import DEFAULT_TYPES, RESPONSIBILITIES
from mmm.access.users import list_users
from mmm.access.vocabulary import ROLES
from mmm.demo import DEMO_PASSWORD, add_demo_plans
from mmm.perimeters.geometry import NOTES, REFUSALS
from mmm.store import open_store
from mmm.store.perimeter_rows import STATUSES, PerimeterFields
from tests.webmap.conftest import ROLE_USERS, make_app
from tests.webmap.visible_text import (
    codes_in,
    english_decimals,
    english_in,
    page_text,
    source_patterns,
)
from webmap import vocabulary
from webmap.audit import words as audit_words
from webmap.exports.routes import PERIOD_NAMES
from webmap.plans import words as plan_words

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("nl", "fr", "de")
#: Pages that open from a form rather than a link.
FORM_PAGES = ("/meeting/walk?plan=1&plan=2&perimeter=1&partners=1", "/audit/?page=2")
#: Links that are no page to read: files, machine interfaces, the session's own end.
NOT_PAGES = ("/static/", "/api/", "/ogc", "/tiles/", "/login", "/logout", "/language")
#: Pages of one kind (numbers in the path, the query's keys) read per role and language.
PER_KIND = 1


@pytest.fixture(scope="module")
def i18n_app(sqlite_demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """A copy of the demo zone with its plans and a perimeter saved with remarks (so the audit
    log has them to show): the walk switches each user's language, never on the shared store."""
    path = Path(tmp_path_factory.mktemp("i18n")) / "demo.sqlite"
    shutil.copyfile(sqlite_demo_url.removeprefix("sqlite:///"), path)
    store = open_store(f"sqlite:///{path}")
    add_demo_plans(store)
    store.create_perimeter(
        PerimeterFields("Voorstel", status="proposed"),
        box(151_000, 171_000, 151_200, 171_200),
        actor="web:analist",
        detail={
            "notes": ["height (z) coordinates were dropped: perimeters are flat"],
            "note_codes": [{"code": "z_dropped", "params": {}}],
        },
    )
    store.close()
    return make_app(f"sqlite:///{path}")


def _catalog(lang: str) -> dict[str, str]:
    with (ROOT / "webmap" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=lang)
    return {
        m.id if isinstance(m.id, str) else m.id[0]: (
            m.string if isinstance(m.string, str) else m.string[0]
        )
        for m in catalog
        if m.id
    }


def _code_tables() -> list[dict[str, object]]:
    """Every table of code → word the app shows codes through."""
    return [
        vocabulary.ROLE_NAMES,
        vocabulary.STATUS_NAMES,
        vocabulary.DATASET_NAMES,
        vocabulary.RESPONSIBILITY_NAMES,
        vocabulary.PARTNER_TYPE_NAMES,
        audit_words.ACTION_NAMES,
        audit_words.ENTITY_NAMES,
        PERIOD_NAMES,
        plan_words.PLAN_STATUS_NAMES,
        plan_words.APPROACH_NAMES,
        plan_words.ACTION_STATUS_NAMES,
        plan_words.STEP_NAMES,
        plan_words.TREND_NAMES,
        plan_words.HOTSPOT_NAMES,
        plan_words.INDICATOR_STATUS_NAMES,
        plan_words.COMPARISON_NAMES,
        plan_words.UNIT_NAMES,
    ]


def _codes(app: Flask, lang: str) -> dict[str, str]:
    """Code → its word in ``lang``, for every code a page could show."""
    from webmap.extensions import get_store

    with app.test_request_context(), force_locale(lang):
        found = {code: str(word) for table in _code_tables() for code, word in table.items()}
        found |= {code: str(word) for code, word in vocabulary.purpose_names().items()}
        found |= phenomenon_labels(get_store(), lang)
    return {code: word for code, word in found.items() if code not in _users(app)}


def _users(app: Flask) -> set[str]:
    """The demo's user names ("admin", "partner"): names, not codes nor English words."""
    from webmap.extensions import get_store

    with app.app_context():
        return {user.name for user in list_users(get_store())}


def _log_in(app: Flask, role: str, lang: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"name": ROLE_USERS[role], "password": DEMO_PASSWORD})
    assert response.status_code == 302
    client.post("/language", data={"language": lang, "next": "/map"})
    return client


def _kind(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({k.split("=")[0] for k in parts.query.split("&") if k})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _walk(client: FlaskClient) -> Iterator[tuple[str, str]]:
    """(url, html) of every page the client can reach from the zone map, one per kind."""
    queue, seen, kinds = ["/map", *FORM_PAGES], set(), dict[str, int]()
    while queue:
        url = queue.pop(0).split("#")[0]
        kind = _kind(url)
        if url in seen or kinds.get(kind, 0) >= PER_KIND:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        html = response.get_data(as_text=True)
        yield url, html
        for link in page_text(html).links:
            if link.startswith("/") and not link.startswith(NOT_PAGES):
                queue.append(link)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_of_every_role_is_in_the_users_language(i18n_app: Flask, lang: str):
    codes, names = _codes(i18n_app, lang), _users(i18n_app)
    sources = source_patterns(_catalog(lang))
    problems: list[str] = []
    walked: dict[str, int] = {}
    for role in ROLES:
        client = _log_in(i18n_app, role, lang)
        for url, html in _walk(client):
            walked[role] = walked.get(role, 0) + 1
            assert f'<html lang="{lang}">' in html, url
            for piece in set(page_text(html).pieces) - names:
                for code in codes_in(piece, codes):
                    problems.append(f"{role} {url}: code {code!r} in {piece!r}")
                english = english_in(piece, sources)
                if english:
                    problems.append(f"{role} {url}: English ({english}) in {piece!r}")
                for number in english_decimals(piece):
                    problems.append(f"{role} {url}: number {number!r} in {piece!r}")
    assert walked.get("admin", 0) >= 15 and walked.get("partner", 0) >= 5, walked
    assert not problems, "\n".join(problems[:60]) + f"\n… {len(problems)} in all"


def test_every_code_of_the_core_has_a_word():
    """The codes the core writes, each with its entry in the table the pages translate with."""
    assert set(RESPONSIBILITIES) <= set(vocabulary.RESPONSIBILITY_NAMES)
    assert set(DEFAULT_TYPES) <= set(vocabulary.PARTNER_TYPE_NAMES)
    assert set(ROLES) <= set(vocabulary.ROLE_NAMES)
    assert set(STATUSES) <= set(vocabulary.STATUS_NAMES)
    assert set(REFUSALS) <= set(vocabulary.GEOMETRY_REFUSALS)
    assert set(NOTES) - {"repeated_removed"} | {"split_off", "adopted"} <= set(
        vocabulary.GEOMETRY_NOTES
    )  # repeated_removed: a plural (tests/webmap/test_vocabulary.py)
