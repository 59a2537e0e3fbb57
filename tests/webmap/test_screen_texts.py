"""Typography and help texts of the translations and templates: "25 %" never breaks between
the number and its sign, and meeting mode's choice page names every key the slides answer to."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from mmm.demo import DEMO_PASSWORD
from tests.webmap.conftest import make_app

CATALOGS = Path(__file__).resolve().parents[2] / "webmap" / "translations"
#: A number (or a number's slot) and "%" (or "%%") with an ordinary, breaking space between.
BREAKING_PERCENT = re.compile(r"(?:\d|\)s|\)d) %(?!\()")


TEMPLATES = CATALOGS.parent / "templates"
#: In a template: a printed value (``}}``) or a quoted unit (``' %'``), then a breaking space and
#: "%" or "m²".
BREAKING_UNIT = re.compile(r"(?:\}\}|') (?:%(?!\})|m²)")  # "%}" closes a Jinja tag


def test_no_template_breaks_a_unit_from_its_number() -> None:
    broken = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BREAKING_UNIT.search(line)
    ]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("lang", ["nl", "fr", "de"])
def test_no_translation_breaks_a_percentage_from_its_number(lang: str) -> None:
    with (CATALOGS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=lang)
    broken: list[str] = []
    for message in catalog:
        found = message.string
        texts = [found] if isinstance(found, str) else list(found or ())
        broken += [t for t in texts if t and BREAKING_PERCENT.search(t)]
    assert not broken, broken
    repaired = catalog.get(
        "The geometry is invalid (%(what)s) and repairing it would change the area by "
        "%(pct)s %% (1 %% at most): redraw it around the marked point."
    )
    assert repaired is not None and "1\u00a0%%" in str(repaired.string)  # "hoogstens 1 %"


@pytest.fixture(scope="module")
def own_app(sqlite_demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """A copy of the demo zone: a user's language is stored with the user."""
    path = Path(tmp_path_factory.mktemp("screen_texts")) / "demo.sqlite"
    shutil.copyfile(sqlite_demo_url.removeprefix("sqlite:///"), path)
    return make_app(f"sqlite:///{path}")


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", "↓ en ↑"), ("fr", "↓ et ↑"), ("de", "↓ und ↑"), ("en", "↓ and ↑")],
)
def test_the_meeting_choice_page_names_the_scroll_keys(
    own_app: Flask, lang: str, words: str
) -> None:
    client = own_app.test_client()
    client.post("/login", data={"name": "analist", "password": DEMO_PASSWORD})
    client.post("/language", data={"language": lang, "next": "/meeting/"})
    page = client.get("/meeting/").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    help_text = re.search(r"<p>([^<]*→[^<]*)</p>", page)
    assert help_text is not None
    assert "←" in help_text.group(1) and words in help_text.group(1), help_text.group(1)
