"""Display labels of phenomena and perimeters in the user's language.

Codes and names stay as imported (they are what files and other tools use); a label per
language can be given on top, and the display falls back to the code or name.
"""

from __future__ import annotations

from mmm.access.users import LANGUAGES
from mmm.errors import MMMError, NotFound
from mmm.store import Store

KINDS = ("phenomenon", "perimeter")


def phenomenon_labels(store: Store, language: str) -> dict[str, str]:
    """Phenomenon code → label in ``language`` (else the stored default label), by code."""
    given = store.labels("phenomenon", language)
    table = store.phenomena()
    return {
        code: given.get(code, default)
        for code, default in zip(table["code"], table["label"], strict=True)
    }


def perimeter_labels(store: Store, language: str) -> dict[int, str]:
    """Perimeter id → label in ``language`` (else its name)."""
    given = store.labels("perimeter", language)
    table = store.perimeters()
    return {
        int(pid): given.get(str(pid), name)
        for pid, name in zip(table["id"], table["name"], strict=True)
    }


def set_label(
    store: Store, kind: str, key: str, language: str, label: str, *, actor: str = "cli"
) -> None:
    """Give a phenomenon (by code) or a perimeter (by name) a label in one language.

    Raises
    ------
    MMMError
        For an unknown kind or language, or an empty label.
    NotFound
        When no phenomenon has that code or no perimeter that name.
    """
    if kind not in KINDS:
        raise MMMError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
    if language not in LANGUAGES:
        raise MMMError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    if not label.strip():
        raise MMMError("the label is empty")
    if kind == "phenomenon":
        if key not in set(store.phenomena()["code"]):
            raise NotFound(f"no phenomenon with code {key!r}")
        stored_key = key
    else:
        perimeters = store.perimeters()
        match = perimeters[perimeters["name"] == key]
        if match.empty:
            raise NotFound(f"no perimeter named {key!r}")
        stored_key = str(int(match["id"].iloc[0]))
    store.set_label(kind, stored_key, language, label.strip(), actor=actor)
