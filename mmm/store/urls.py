"""Store URLs as messages may show them: the password hidden.

Why a module of its own: the backend chooser (``__init__.py``), the store core (``base.py``), the
PostGIS backend and ``mmm db copy`` all name a store's URL in their messages; kept here, none of
them has to import another for it (``postgis.py`` builds on ``base.py``, so the reverse import
would be a cycle).
"""

from __future__ import annotations

from sqlalchemy import make_url


def safe_url(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not parseable: nothing there to hide
        return url
