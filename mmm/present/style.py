"""What the maps and the charts share: colours per phenomenon and the translator's type.

Why a module of its own: the perimeter map, the perimeter chart and the plan charts colour a
phenomenon alike and take the same ``translate`` argument, and the charts should not depend on
the maps (nor on Folium) to get them.
"""

from __future__ import annotations

from collections.abc import Callable

#: Translates an English interface string (e.g. Flask-Babel's ``gettext``).
Translate = Callable[[str], str]
#: Colours per phenomenon (Tableau 10), by position in the ``phenomena`` mapping.
CATEGORICAL = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip


def untranslated(text: str) -> str:
    """The identity :data:`Translate`: English source strings as they are (the default)."""
    return text
