"""Interface languages: complete catalogs, compiled .mo files, translated pages (nl, fr, de, en).

English is the source language: its catalog keeps empty msgstr (gettext falls back to the msgid).
The catalogs are checked against the sources themselves (the same extraction as the Makefile), so
a string added to the code or a template without a translation fails here, not in front of users.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.util import pathmatch
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webmap" / "translations"
TRANSLATED = ("nl", "fr", "de")
LANGUAGES = (*TRANSLATED, "en")
#: Keywords on top of Babel's defaults (``_``, ``gettext``…), as in the Makefile's extract.
EXTRA_KEYWORDS = ("_l", "lazy_gettext", "translate")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def _catalog(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _mapping() -> tuple[list[tuple[str, str]], dict]:
    with (ROOT / "babel.cfg").open() as f:
        return parse_mapping_cfg(f)


def _source_ids() -> set[str]:
    """Message ids in the sources, extracted as ``pybabel extract -F babel.cfg`` does."""
    method_map, options_map = _mapping()
    keywords = {**DEFAULT_KEYWORDS, **dict.fromkeys(EXTRA_KEYWORDS)}

    def only_sources(path: str) -> bool:  # skip .venv, node_modules…: babel.cfg names no more
        parts = Path(path).relative_to(ROOT).parts
        return not parts or (parts[0] in {"webmap", "mmm"} and not parts[-1].startswith((".", "_")))

    found = extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords, directory_filter=only_sources
    )
    return {msgid if isinstance(msgid, str) else msgid[0] for _, _, msgid, _, _ in found}


def _gettext_calls() -> dict[str, list[tuple[int, bool]]]:
    """Python file → ``(line, inside an f-string)`` of each ``_("literal")``-like call."""
    names = {*DEFAULT_KEYWORDS, *EXTRA_KEYWORDS}
    calls: dict[str, list[tuple[int, bool]]] = {}
    for path in sorted([*ROOT.glob("webmap/**/*.py"), *ROOT.glob("mmm/**/*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstrings = {
            id(node) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for node in ast.walk(f)
        }
        found = [
            (node.lineno, id(node) in in_fstrings)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in names
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ]
        if found:
            calls[path.relative_to(ROOT).as_posix()] = sorted(found)
    return calls


def test_babel_cfg_covers_every_python_file_with_interface_text():
    patterns = [pattern for pattern, method in _mapping()[0] if method == "python"]
    uncovered = [path for path in _gettext_calls() if not any(pathmatch(p, path) for p in patterns)]
    assert not uncovered, f"add to babel.cfg (else never translated): {uncovered}"


def test_no_gettext_call_hides_inside_an_f_string():
    """On Python 3.11 ``pybabel extract`` cannot see a call inside an f-string: it stays English."""
    hidden = [
        f"{path}:{line}"
        for path, calls in _gettext_calls().items()
        for line, inner in calls
        if inner
    ]
    assert not hidden, f"translate before the f-string (text = _(...), then f'{{text}}'): {hidden}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_holds_every_string_of_the_sources(lang: str):
    in_catalog = {_ids(m)[0] for m in _catalog(lang) if m.id}
    missing = _source_ids() - in_catalog
    assert not missing, f"run the extract + update of the Makefile, then translate: {missing}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(lang: str):
    catalog = _catalog(lang)
    messages = [m for m in catalog if m.id]
    assert messages
    for message in messages:
        assert not message.fuzzy, f"{lang}: fuzzy {message.id!r}"
        for text in _strings(message):
            assert text.strip(), f"{lang}: untranslated {message.id!r}"
            assert _placeholders(text) == _placeholders(_ids(message)[0]), (
                f"{lang}: placeholders differ in {message.id!r} → {text!r}"
            )
    assert not [(m.id, errors) for m, errors in catalog.check()]  # what `pybabel compile` checks


def test_english_is_the_source_language():
    """en keeps empty msgstr (no copy to keep in sync) and no fuzzy flags."""
    for message in _catalog("en"):
        if message.id:
            assert not message.fuzzy and not any(_strings(message)), message.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_mo_files_match_the_catalogs(lang: str):
    mo = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo"
    assert mo.exists(), f"{mo} is missing: run `make translations`"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in _catalog(lang):
        if not message.id or message.pluralizable:
            continue
        expected = message.string or message.id
        assert compiled.gettext(message.id) == expected, (
            f"{mo} is out of date ({message.id!r}): run `make translations`"
        )


@pytest.fixture
def officer(login: Callable[[str], FlaskClient]) -> Iterator[FlaskClient]:
    """The demo neighbourhood officer, switched back to nl afterwards (the store is shared)."""
    client = login("officer")
    try:
        yield client
    finally:
        client.post("/language", data={"language": "nl", "next": "/map"})


def _switch(client: FlaskClient, lang: str) -> None:
    response = client.post("/language", data={"language": lang, "next": "/map"})
    assert response.status_code == 302 and response.headers["Location"] == "/map"


# language → words the zone map must show: page title, a control, a map legend, the role
ZONE_MAP_WORDS = {
    "nl": ("Zonekaart", "Fenomeen", "feiten per perimeter", "(wijkinspecteur)"),
    "fr": ("Carte de la zone", "Phénomène", "faits par périmètre", "(inspecteur de quartier)"),
    "de": ("Zonenkarte", "Phänomen", "Vorfälle pro Perimeter", "(Revierbeamter)"),
    "en": ("Zone map", "Phenomenon", "incidents per perimeter", "(neighbourhood officer)"),
}


def test_zone_map_is_in_dutch_by_default(officer: FlaskClient):
    page = officer.get("/map").get_data(as_text=True)
    assert '<html lang="nl">' in page
    for word in ZONE_MAP_WORDS["nl"]:
        assert word in page
    assert "Zone map" not in page and ">Phenomenon<" not in page


@pytest.mark.parametrize("lang", ["fr", "de", "en"])
def test_zone_map_follows_the_users_language(
    officer: FlaskClient, login: Callable[[str], FlaskClient], lang: str
):
    _switch(officer, lang)
    page = officer.get("/map").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    for word in ZONE_MAP_WORDS[lang]:
        assert word in page
    if lang != "en":
        assert "Zone map" not in page and "Zonekaart" not in page
    # the choice belongs to the user: another session of the same user gets it too
    assert f'<html lang="{lang}">' in login("officer").get("/map").get_data(as_text=True)
    _switch(officer, "nl")
    assert '<html lang="nl">' in officer.get("/map").get_data(as_text=True)


def test_perimeter_pages_are_translated(officer: FlaskClient):
    _switch(officer, "fr")
    index = officer.get("/perimeters/").get_data(as_text=True)
    assert "Périmètres" in index and "Superficie (km²)" in index
    first = re.search(r'href="(/perimeters/\d+)"', index).group(1)
    page = officer.get(first).get_data(as_text=True)
    assert "Comparaison avec la zone" in page and "Part de la zone" in page  # template
    assert '"Mois"' in page and "Enregistrer en PNG" in page  # chart (mmm/charts.py)


def test_login_page_in_german(client: FlaskClient):
    page = client.get("/login?lang=de").get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "Anmelden" in page and "Benutzername" in page and "Passwort" in page
    assert "Aanmelden" not in page and "Log in" not in page


def test_login_page_keeps_the_chosen_language_for_its_messages(client: FlaskClient):
    client.get("/login?lang=fr")  # remembered in the session until login
    response = client.post("/login", data={"name": "analist", "password": "nope-nope"})
    page = response.get_data(as_text=True)
    assert '<html lang="fr">' in page and "mot de passe incorrect" in page


def test_login_page_defaults_to_dutch_and_ignores_unknown_languages(client: FlaskClient):
    page = client.get("/login?lang=xx").get_data(as_text=True)
    assert '<html lang="nl">' in page and "Aanmelden" in page
