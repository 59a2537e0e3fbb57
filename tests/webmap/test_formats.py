"""Template numbers kept per value and language (:mod:`webmap.formats`) are the ones Babel
writes, in the reader's language, through the filter the templates use."""

from __future__ import annotations

from babel.numbers import format_decimal
from flask_babel import force_locale

from mmm.present.maps.numbers import decimal_text
from tests.webmap.conftest import make_app
from webmap import formats


def test_the_kept_filter_writes_what_babel_writes_in_each_language(demo_store_url) -> None:
    app = make_app(demo_store_url)
    decimal_text.cache_clear()
    assert app.jinja_env.filters["decimalformat"] is formats.decimalformat
    values = [0, 1234.56, 0.5, -3.25, 1_000_000]
    with app.test_request_context():
        for language in ("nl", "fr", "de", "en"):
            with force_locale(language):
                for value in values * 2:  # the second time from what was kept
                    for pattern in (None, "#,##0.#", "+#,##0;-#,##0"):
                        expected = format_decimal(value, format=pattern, locale=language)
                        assert formats.decimalformat(value, pattern) == expected
            with force_locale(language):
                text = app.jinja_env.from_string("{{ 1234.5|decimalformat('#,##0.0') }}").render()
            assert text == format_decimal(1234.5, format="#,##0.0", locale=language)
    assert decimal_text.cache_info().hits >= len(values) * 3 * 4  # the second round
