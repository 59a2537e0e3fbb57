"""Display labels of phenomena and perimeters in the user's language, and label columns.

Codes and names stay as imported (they are what files and other tools use); a label per
language can be given on top, and the display falls back to the code or name.

A file that leaves the app keeps its code columns as they are (other tools read them) and gets
one label column per language after them: ``phenomenon_label_nl``, ``phenomenon_label_fr``…
(:func:`label_columns`). Phenomenon and perimeter labels come from the store; the words of
fixed codes (statuses, partner types…) come from whoever has the interface's translations (the
web app), as a :data:`Words` table.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from mmm.access.users import LANGUAGES
from mmm.errors import MMMError, NotFound
from mmm.store import Store

KINDS = ("phenomenon", "perimeter")
#: For one column of codes: language → code → label (a code missing keeps itself as label).
Words = Mapping[str, Mapping[str, str]]


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


def phenomenon_words(store: Store) -> dict[str, dict[str, str]]:
    """The phenomenon labels in every language (:data:`Words` of a ``phenomenon`` column)."""
    return {language: phenomenon_labels(store, language) for language in LANGUAGES}


def perimeter_words(store: Store) -> dict[str, dict[str, str]]:
    """Perimeter name → label in every language (:data:`Words` of a column of names)."""
    ids = store.perimeters()[["id", "name"]]
    names = dict(zip(ids["id"].astype(int), ids["name"].astype(str), strict=True))
    return {
        language: {names[pid]: label for pid, label in perimeter_labels(store, language).items()}
        for language in LANGUAGES
    }


def label_columns(frame: pd.DataFrame, words: Mapping[str, Words]) -> pd.DataFrame:
    """``frame`` with a label column per language for each coded column named in ``words``.

    The new columns, ``<column>_label_<language>`` for every language of
    :data:`mmm.access.users.LANGUAGES`, come after the existing ones (before a geometry), so a
    reader that takes the columns by position or by name finds them where they were. A code
    a language has no label for is its own label.
    """
    out = frame.copy()
    added: list[str] = []
    for column, by_language in words.items():
        codes = out[column]
        for language in LANGUAGES:
            names = by_language.get(language, {})
            name = f"{column}_label_{language}"
            mapped = codes.map(dict(names))
            out[name] = mapped.where(mapped.notna(), codes)
            added.append(name)
    geometry = [c for c in out.columns if str(out[c].dtype) == "geometry"]
    kept = [c for c in out.columns if c not in added and c not in geometry]
    return out[[*kept, *added, *geometry]]
