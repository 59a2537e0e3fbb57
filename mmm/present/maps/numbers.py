"""Numbers and dates as the maps write them: in the reader's language, through Babel.

Why: a Dutch, French or German reader reads 9,94 and 15.355 (15 355 in French); "9.94" and
"15,355" in a popup read as other numbers, or as a page left half in English. Every figure a map
shows (popups, tooltips, legends, in Python or in its script) is written by :class:`Numbers`
here or by ``Intl.NumberFormat`` with :attr:`Numbers.locale` in the browser, and a percentage
takes a non-breaking space before "%" ("25 %"), as Belgian typography does in all three
languages.

The map builders take ``translate`` (Flask-Babel's ``gettext``) and the language comes with it:
each catalog translates the msgid ``"en"`` to its own language code (:func:`numbers_for`). So a
map's numbers always follow the language of its words — a page, a PDF dossier rendered under
``force_locale`` — and no caller has a second argument to keep in step with the first.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from mmm.access.disclosure import Figure
from mmm.present.style import Translate

#: The non-breaking space between a number and its "%" (or its unit).
NBSP = "\u00a0"
#: What a number that is not known (NaN) is written as.
UNKNOWN = "–"


@dataclass(frozen=True)
class Numbers:
    """Writes numbers and dates for one locale (``nl``, ``fr``, ``de``, ``en``)."""

    locale: str = "en"

    def integer(self, value: float) -> str:
        """``15.355`` (nl), ``15 355`` (fr), ``15,355`` (en)."""
        if value != value:
            return UNKNOWN
        return decimal_text(round(value), "#,##0", self.locale)

    def decimal(self, value: float, digits: int = 1) -> str:
        """``value`` with exactly ``digits`` decimals: ``9,94`` in Dutch for ``digits=2``."""
        if value != value:
            return UNKNOWN
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return decimal_text(value, pattern, self.locale)

    def metres(self, value: float) -> str:
        """A distance for a sentence: one decimal at most, no trailing zero (``12,5``, ``200``)."""
        return decimal_text(float(value), "#,##0.#", self.locale)

    def signed(self, value: int) -> str:
        """A change: ``+27``, ``-3`` (with the reader's separators)."""
        return decimal_text(value, "+#,##0;-#,##0", self.locale)

    def percent(self, value: float, *, signed: bool = False) -> str:
        """A percentage already × 100, rounded: ``27 %``, or ``+27 %`` when ``signed``."""
        if value != value:
            return UNKNOWN
        number = self.signed(round(value)) if signed else self.integer(value)
        return f"{number}{NBSP}%"

    def significant(self, value: float, digits: int = 3) -> str:
        """A p-value or a small density: ``digits`` significant digits (``0,0153``)."""
        if value != value:
            return UNKNOWN
        if value == 0 or not math.isfinite(value):
            return self.integer(0) if value == 0 else str(value)
        pattern = "@" + "#" * (digits - 1)  # up to ``digits``: 0,05 rather than 0,0500
        return decimal_text(value, pattern, self.locale)

    def p_value(self, value: float) -> str:
        """A p-value: three significant digits, ``< 0,001`` below that (as papers write it)."""
        if value < 0.001:
            return f"<{NBSP}{self.decimal(0.001, 3)}"
        return self.significant(value)

    def figure(self, figure: Figure) -> str:
        """A released figure: the count with separators, ``≥1.234``, or its "<5" or "×"."""
        if figure.kind == "exact":
            return self.integer(figure.value)
        if figure.kind == "at_least":
            return f"≥{self.integer(figure.value)}"
        return figure.text

    def day(self, day: date) -> str:
        """A date, short: ``30-11-2026`` (nl), ``30/11/2026`` (fr), ``30.11.26`` (de)."""
        return str(format_date(day, "short", locale=self.locale))


@functools.lru_cache(maxsize=65_536)
def decimal_text(value: float | Decimal, pattern: str | None, locale: str) -> str:
    """Babel's text of ``value`` (``pattern`` ``None``: the locale's own), worked out once: a
    zone map of 2,000 perimeters writes some 40,000 numbers, a perimeter page 1,400, most of
    them the same few hundred small counts (the templates' filter, ``webmap.formats``, too)."""
    return str(format_decimal(value, format=pattern, locale=locale))


def language_of(translate: Translate) -> str:
    """The language ``translate`` translates into: the catalogs translate ``"en"`` to their own
    code (``nl``, ``fr``, ``de``); anything Babel does not know falls back to English."""
    code = translate("en")
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return "en"
    return code


def numbers_for(translate: Translate) -> Numbers:
    """The :class:`Numbers` of the language ``translate`` writes in."""
    return Numbers(language_of(translate))
