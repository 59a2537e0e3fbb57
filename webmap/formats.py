"""Numbers in the reader's language, as Flask-Babel's ``decimalformat`` filter writes them, but
each (number, format, language) worked out once (:func:`mmm.present.maps.numbers.decimal_text`,
which the maps use too).

Why: a perimeter page's hour × weekday tables hold about 1,400 numbers, and Babel parses the
pattern and the locale again for each (a third of the page's time); the same few hundred
values come back on every page, so their text is kept.
"""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask_babel import get_locale

from mmm.present.maps.numbers import decimal_text


def decimalformat(number: float | Decimal, format: str | None = None) -> str:
    """``number`` written with ``format`` (a Babel pattern) in the request's language."""
    return decimal_text(number, format, str(get_locale()))


def install(app: Flask) -> None:
    """Put :func:`decimalformat` in the place of Flask-Babel's filter of the same name."""
    app.jinja_env.filters["decimalformat"] = decimalformat
