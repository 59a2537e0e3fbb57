"""The bounds every request and command is held to, in one place (README: "Limits").

Why: a perimeter page asked for the months 0001-01 to 9999-12, a 50 MB description or a
polygon of a million vertices used to be accepted and then cost the server minutes and
gigabytes. Each limit is far above what a zone's work needs and low enough that one request
cannot take the server down; the core checks them, so the command, the API and the forms refuse
the same things with the same reason.

The upload size (``MMM_MAX_UPLOAD_MB``) and the PDF queue (``MMM_PDF_QUEUE``) are settings
(:mod:`mmm.settings`); the rest are constants.
"""

from __future__ import annotations

import re

from mmm.errors import TextRefused

#: Names and titles (a perimeter, a partner organisation, a plan, a label), in characters.
NAME_CHARS = 200
#: Descriptions (a perimeter's, a partner's part in an assignment), in characters.
DESCRIPTION_CHARS = 2_000
#: Long texts: the sections of an action plan, its ZVP objective, a cycle's findings.
SECTION_CHARS = 20_000
#: Vertices of one perimeter (all its rings and parts together).
MAX_VERTICES = 10_000
#: Months in one range on a page; a range must also lie within the months the data covers.
MAX_MONTHS = 120
#: Cells of a hotspot grid (the zone's bounding box cut into cells of the chosen size).
MAX_GRID_CELLS = 250_000
#: The Gi* distance and the KDE bandwidth reach at most this many cells.
MAX_NEIGHBOURHOOD_CELLS = 20
#: Nesting of a JSON body (a GeoJSON multipolygon Feature needs 6).
MAX_JSON_DEPTH = 32

#: Control characters (C0, DEL, C1): never in a name or a code.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: In a longer text (a description, a plan section) tab and line breaks are allowed.
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def text_problem(value: str, *, limit: int, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be stored as a text of at most ``limit`` characters, or ``None``.

    Parameters
    ----------
    value
        The text as given (not stripped).
    limit
        The most characters it may have.
    multiline
        Tabs and line breaks are allowed (a description, a plan section), not in a name.

    Returns
    -------
    str or None
        ``"is longer than N characters (…)"`` or ``"holds a control character (…)"``, to follow
        the field's name; ``None`` when the text is fine.
    """
    if len(value) > limit:
        return f"is longer than {limit:,} characters ({len(value):,})"
    found = (CONTROL_IN_TEXT if multiline else CONTROL).search(value)
    if found is not None:
        return f"holds a control character (U+{ord(found.group()):04X}): type it again as text"
    return None


def check_text(value: str, what: str, *, limit: int, multiline: bool = False) -> str:
    """``value`` when it passes :func:`text_problem`.

    Raises
    ------
    TextRefused
        Naming ``what`` ("the name", "the description") and the reason.
    """
    problem = text_problem(value, limit=limit, multiline=multiline)
    if problem is not None:
        raise TextRefused(f"{what} {problem}")
    return value
