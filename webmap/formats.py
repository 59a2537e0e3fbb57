"""Numbers in the reader's language, as Flask-Babel's ``decimalformat`` filter writes them, but
each (number, format, language) worked out once.

Why: a perimeter page's hour × weekday tables hold about 1,400 numbers, and Babel parses the
pattern and the locale again for each (a third of the page's time); the same few hundred
values come back on every page, so their text is kept.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from babel import numbers
from flask import Flask
from flask_babel import get_locale

#: Texts kept (number × format × language).
KEPT = 65_536


@functools.lru_cache(maxsize=KEPT)
def _decimal(number: float | Decimal, format: str | None, locale: str) -> str:
    return numbers.format_decimal(number, format=format, locale=locale)


def decimalformat(number: float | Decimal, format: str | None = None) -> str:
    """``number`` written with ``format`` (a Babel pattern) in the request's language."""
    return _decimal(number, format, str(get_locale()))


def install(app: Flask) -> None:
    """Put :func:`decimalformat` in the place of Flask-Babel's filter of the same name."""
    app.jinja_env.filters["decimalformat"] = decimalformat
