"""What a person reads on a page, and the words that must not be among it (tests/webmap/test_i18n_pages.py).

Kept apart from the test so that the test reads as its list of rules. The text of a page is
its text nodes outside scripts, styles and ``<code>`` (what a person types into a file as it
is: a column name, a unit), the attributes a person sees or hears (``title``,
``aria-label``, ``placeholder``, ``alt``, a button's ``value``), and the strings a chart or a
script shows from the page's JSON blocks (titles, legends, tooltips, menus).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

#: Attributes whose text a person reads or hears.
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
#: Keys of a page's JSON (Vega-Lite specs, script texts) whose string values are shown.
SHOWN_KEYS = {"title", "description", "phenomenon", "indicator", "hidden", "shown", "label"}
#: Objects of a page's JSON whose every string is shown (vega-embed's menu, the scripts' texts).
SHOWN_OBJECTS = {"i18n", "text"}
#: English words that no Dutch, French or German sentence holds.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|with|which|cannot|should|must|your|this|that|from|there|been|were|have)\b", re.I
)
#: Where a text is cut into pieces to find a code inside a list or a "key: value".
SEPARATORS = re.compile(r"[;:,()\[\]/·|•–—\"“”«»]")
#: A file's name (a download button says what lands on the disk).
FILE_NAME = re.compile(r"[\w.-]+\.(?:geojson|gpkg|csv|pdf|html|json|zip)")
#: An English decimal (9.94) — in nl, fr and de the decimal sign is a comma.
ENGLISH_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])")
#: Dates (06.12.26), IP addresses and versions: dots that are not decimals.
NOT_DECIMALS = re.compile(r"\d+(?:\.\d+){2,}")


class PageText(HTMLParser):
    """Collects the visible text pieces and the links of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._json: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("type") == "application/json":
            self._json = []
        elif tag in ("script", "style", "template", "code"):
            self._skip += 1
        if tag == "a" and found.get("href") and "download" not in found:
            self.links.append(str(found["href"]))
        for name in SHOWN_ATTRIBUTES:
            self._add(found.get(name))
        if tag == "input" and found.get("type") in ("submit", "button"):
            self._add(found.get("value"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json is not None:
            self.pieces.extend(json_text(json.loads("".join(self._json) or "null")))
            self._json = None
        elif tag in ("script", "style", "template", "code"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)
        elif not self._skip:
            self._add(data)

    def _add(self, text: str | None) -> None:
        if text and text.strip():
            self.pieces.append(" ".join(text.split()))


def json_text(value: Any, key: str = "", shown: bool = False) -> Iterator[str]:
    """The strings of a page's JSON block that a person reads (see :data:`SHOWN_KEYS`)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from json_text(v, k, shown or k in SHOWN_OBJECTS)
    elif isinstance(value, list):
        for v in value:
            yield from json_text(v, key, shown)
    elif (
        isinstance(value, str)
        and (shown or key in SHOWN_KEYS)
        and value.strip()
        and not value.startswith(("/", "#", "http"))  # a URL, a colour
    ):
        yield " ".join(value.split())


def page_text(html: str) -> PageText:
    parser = PageText()
    parser.feed(html)
    parser.close()
    return parser


def codes_in(piece: str, codes: dict[str, str]) -> list[str]:
    """The codes (keys of ``codes``: code → the language's word) shown as they are in
    ``piece``: the whole text, or a snake_case code anywhere in it (a word such as ``drugs`` in
    a sentence may be the data's own Dutch).
    A code whose word in the language is the code itself (``score`` in Dutch, ``drugs``) is
    fine, and so is a file's name."""
    if FILE_NAME.fullmatch(piece):
        return []
    parts = {piece, *(p.strip() for p in SEPARATORS.split(piece) if "_" in p)}
    parts |= set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", piece))
    return sorted(p for p in parts if p in codes and codes[p].casefold() != p.casefold())


def english_in(piece: str, sources: dict[str, list[re.Pattern[str]]]) -> str | None:
    """The English interface string ``piece`` is (its translation differs), or a sign of one."""
    first = piece.split(" ", 1)[0]
    for pattern in sources.get(first, ()):
        if pattern.fullmatch(piece):
            return pattern.pattern
    found = ENGLISH_WORDS.search(piece)
    return None if found is None else f"English word {found.group(0)!r}"


def source_patterns(translations: dict[str, str]) -> dict[str, list[re.Pattern[str]]]:
    """English msgid → translation (of one language) as patterns, indexed by first word.

    Only msgids whose translation differs from them (an English text on a page in that
    language is then a mistake) and with a word of their own before any placeholder.
    """
    found: dict[str, list[re.Pattern[str]]] = {}
    for msgid, text in translations.items():
        if not text or text == msgid:
            continue
        source = " ".join(msgid.split()).replace("%%", "%")
        first = source.split(" ", 1)[0]
        if "%(" in first or len(source) < 4:
            continue
        literal = re.escape(source)
        pattern = re.sub(r"%\\\(\w+\\\)[sdif]", ".+?", literal)
        found.setdefault(first, []).append(re.compile(pattern))
    return found


def english_decimals(piece: str) -> list[str]:
    """Numbers written with an English decimal point (dates and addresses left out)."""
    return ENGLISH_DECIMAL.findall(NOT_DECIMALS.sub(" ", piece))
