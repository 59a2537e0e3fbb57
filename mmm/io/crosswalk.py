"""From the words of an export to the zone's phenomena: the crosswalk of an incident import.

A police export names a phenomenon in its own words — a label ("Woninginbraak", "Vol à la
tire"), an offence code, a category of another tool. The zone counts *its* phenomena (codes such
as ``burglary_dwelling``, :mod:`mmm.store.phenomena`), and its rules hang on those codes (a
higher suppression threshold for intrafamily violence). So every value is resolved before a row
is stored, comparing without case, accents or repeated spaces:

1. the mapping file given with ``--map`` (CSV ``source,phenomenon``), first;
2. a phenomenon's code;
3. a phenomenon's label in any language, when only one phenomenon has it.

What is left is *unmapped*. With a mapping file, its rows are rejected ("no phenomenon for
'X'") or, with ``--unmapped CODE``, filed under that phenomenon; without one, the import is
refused with the list of the values and a mapping file to fill in (suggestions from the example
mapping of common Belgian crime categories shipped in ``data/mapping_be.csv``).

One exception keeps older stores and code-based files working: a store that knows no phenomenon
yet takes values that are already codes (``burglary_dwelling``) as its phenomena.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from mmm.errors import ImportRejected
from mmm.io.validate import Reasons
from mmm.limits import CONTROL, NAME_CHARS

DATA = Path(__file__).with_name("data")
#: The example mapping of common Belgian crime categories (NL, FR, DE labels) to the codes of
#: :data:`STANDARD_PHENOMENA`.
EXAMPLE_MAPPING = DATA / "mapping_be.csv"
#: The phenomena ``mmm init`` gives a new zone: code and a label per language.
STANDARD_PHENOMENA = DATA / "phenomena.csv"
#: Rows a mapping file may have (a zone's export has tens of categories, not thousands).
MAX_MAPPING_ROWS = 10_000
#: Unknown values named in a refusal (the mapping file written holds them all).
SHOWN = 20
#: Typographic apostrophes a spreadsheet or a records system may write for "'".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'"})
#: The reason of a row whose value no phenomenon answers to.
NO_PHENOMENON = "no phenomenon for {!r}"


def normalise(text: str) -> str:
    """``text`` compared without case, accents, repeated spaces or the kind of apostrophe:
    ``"Vol à  la Tire"`` → ``"vol a la tire"``, ``"d’habitation"`` → ``"d'habitation"``."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_APOSTROPHES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def is_code(text: str) -> bool:
    """Whether ``text`` is written as a phenomenon code (``burglary_dwelling``)."""
    from mmm.store.phenomena import CODE

    return bool(CODE.match(text))


@dataclass
class Resolution:
    """The phenomenon code of every row (``None``: unmapped) and what the resolution noticed."""

    codes: np.ndarray
    unmapped: dict[str, int]  # value as written → rows, for the values left unmapped
    filed: dict[str, int] = field(default_factory=dict)  # value → rows filed under --unmapped
    adopted: list[str] = field(default_factory=list)  # codes taken as the store's first ones
    #: The value as written of each row left unmapped (``None`` for every other row).
    unmapped_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))


@dataclass(frozen=True)
class Crosswalk:
    """How the values of one import become phenomenon codes.

    Attributes
    ----------
    mapping
        Normalised source value → phenomenon code (from ``--map``); an empty code means the
        line was left to fill in, and counts as unmapped.
    known
        The store's phenomenon codes.
    labels
        Normalised label → code for labels only one phenomenon has.
    unmapped_to
        The code that unmapped values are filed under (``--unmapped``), or ``None``.
    """

    mapping: Mapping[str, str]
    known: frozenset[str]
    labels: Mapping[str, str]
    unmapped_to: str | None = None
    has_map: bool = False

    def resolve(self, values: pd.Series) -> Resolution:
        """The code of every row of ``values`` (stripped text; blank rows stay ``None``).

        Each distinct value is resolved once (an export has tens of them in a million rows).
        """
        rows, distinct = pd.factorize(values.astype("string"))
        written = [str(v) for v in distinct]
        codes_by_norm = {normalise(code): code for code in self.known}
        found: list[str | None] = []
        for value in written:
            key = normalise(value)
            found.append(
                self.mapping.get(key) or codes_by_norm.get(key) or self.labels.get(key) or None
            )
        adopted: list[str] = []
        if not self.known and not self.has_map:  # a store's first phenomena, written as codes
            adopted = sorted(
                {v for v, code in zip(written, found, strict=True) if code is None and is_code(v)}
            )
            found = [v if v in adopted else code for v, code in zip(written, found, strict=True)]
        counts = np.bincount(rows[rows >= 0], minlength=len(written))
        left = {v: int(counts[i]) for i, v in enumerate(written) if found[i] is None and v.strip()}
        filed: dict[str, int] = {}
        if self.unmapped_to is not None:
            filed, left = left, {}
            found = [
                self.unmapped_to if v in filed else code
                for v, code in zip(written, found, strict=True)
            ]
        lookup = np.array([*found, None], dtype=object)  # factorize gives -1 for a blank row
        unmapped = np.array([*(v if v in left else None for v in written), None], dtype=object)
        return Resolution(lookup[rows], left, filed, adopted, unmapped[rows])


def resolve_phenomena(
    values: pd.Series, walk: Crosswalk, reasons: Reasons
) -> tuple[np.ndarray, list[str]]:
    """The phenomenon code of every row, and the import's notes about them.

    With a mapping file (or ``--unmapped``), rows of unmapped values are rejected ("no
    phenomenon for 'X'") or filed under the ``--unmapped`` phenomenon (a note says which
    values, and how many rows); without one, unmapped values refuse the import.

    Raises
    ------
    UnknownPhenomena
        Without ``--map`` and ``--unmapped``, for values that are not phenomena of the zone.
    """
    found = walk.resolve(values.where(reasons.ok))
    if found.unmapped and not walk.has_map:
        raise UnknownPhenomena(found.unmapped, walk.known)
    if found.unmapped:
        rejected = reasons.ok & pd.notna(found.unmapped_rows)
        reasons.values[rejected] = [NO_PHENOMENON.format(v) for v in found.unmapped_rows[rejected]]
    notes = []
    if found.filed:
        listed = ", ".join(f"{v!r} ({n:,})" for v, n in list(found.filed.items())[:SHOWN])
        notes.append(
            f"{sum(found.filed.values()):,} rows of {len(found.filed):,} unmapped values filed "
            f"under {walk.unmapped_to} (--unmapped): {listed}"
        )
    if found.adopted:
        notes.append(
            f"the store had no phenomena yet: {', '.join(found.adopted)} were added as they are "
            "written; give them labels with mmm phenomenon set CODE --label-nl …"
        )
    return found.codes, notes


def crosswalk(
    phenomena: pd.DataFrame,
    *,
    mapping: Path | None = None,
    unmapped: str | None = None,
) -> Crosswalk:
    """The crosswalk of an import into a store whose phenomena are ``phenomena``.

    Parameters
    ----------
    phenomena
        :meth:`mmm.store.Store.phenomenon_table` (``code`` and ``label_*`` columns).
    mapping
        A CSV ``source,phenomenon`` (``,`` or ``;``), or ``None``.
    unmapped
        The code to file unmapped values under, or ``None`` to reject (or refuse) them.

    Raises
    ------
    ImportRejected
        For a mapping file that cannot be used (see :func:`read_mapping`) or an ``unmapped``
        code the store does not know.
    """
    known = frozenset(str(c) for c in phenomena["code"])
    if unmapped is not None and unmapped not in known:
        raise ImportRejected(
            f"--unmapped {unmapped}: no such phenomenon; known: {_listed(known)} "
            f"(add it first: mmm phenomenon add {unmapped} --label-nl …)"
        )
    table = read_mapping(mapping, known) if mapping is not None else {}
    return Crosswalk(table, known, _unique_labels(phenomena), unmapped, mapping is not None)


def read_mapping(path: Path, known: Iterable[str]) -> dict[str, str]:
    """A mapping file as normalised source → code (``""`` for a line still to fill in).

    Raises
    ------
    ImportRejected
        For a file that is missing or unreadable, lacks the ``source`` and ``phenomenon``
        columns, has more than :data:`MAX_MAPPING_ROWS` rows, maps one value to two
        phenomena, or names phenomena the store does not know (all of them are listed).
    """
    known = set(known)
    rows = _mapping_rows(path)
    table: dict[str, str] = {}
    unknown: set[str] = set()
    for line, (source, code) in enumerate(rows, start=2):
        key = normalise(source)
        if not key:
            continue
        if len(source) > NAME_CHARS or CONTROL.search(source) or CONTROL.search(code):
            raise ImportRejected(
                f"{path.name}, line {line}: a value longer than {NAME_CHARS} characters or "
                "holding a control character"
            )
        if code and code not in known:
            unknown.add(code)
        previous = table.get(key)
        if previous and code and previous != code:
            raise ImportRejected(
                f"{path.name}, line {line}: {source!r} is mapped to both {previous} and {code} "
                "(values are compared without case and accents)"
            )
        table[key] = previous or code
    if unknown:
        raise ImportRejected(
            f"{path.name} maps to phenomena the zone does not have: {_listed(unknown)}; "
            f"known: {_listed(known)} (add one with mmm phenomenon add CODE --label-nl …)"
        )
    return table


def _mapping_rows(path: Path) -> list[tuple[str, str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportRejected(
            f"{path.name}: cannot read the mapping file ({exc.strerror})"
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # an export saved by a spreadsheet
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") else ",")
    header = [normalise(h) for h in next(reader, [])]
    if "source" not in header or "phenomenon" not in header:
        raise ImportRejected(
            f"{path.name}: a mapping file needs the columns source and phenomenon "
            f"(found: {', '.join(header) or 'none'})"
        )
    s, p = header.index("source"), header.index("phenomenon")
    rows: list[tuple[str, str]] = []
    for row in reader:
        if len(rows) >= MAX_MAPPING_ROWS:
            raise ImportRejected(f"{path.name}: more than {MAX_MAPPING_ROWS:,} mapping rows")
        padded = [*row, "", ""]
        rows.append((padded[s].strip(), padded[p].strip()))
    return rows


def _unique_labels(phenomena: pd.DataFrame) -> dict[str, str]:
    """Normalised label → code, for the labels (any language) only one phenomenon has."""
    owners: dict[str, set[str]] = {}
    columns = [c for c in phenomena.columns if c == "label" or c.startswith("label_")]
    for _, row in phenomena.iterrows():
        for column in columns:
            key = normalise(str(row[column] or ""))
            if key:
                owners.setdefault(key, set()).add(str(row["code"]))
    return {key: next(iter(codes)) for key, codes in owners.items() if len(codes) == 1}


def _listed(values: Iterable[str]) -> str:
    ordered = sorted(values)
    return ", ".join(ordered) if ordered else "none yet"


# -- the refusal without --map, and the file to fill in ----------------------------------------
class UnknownPhenomena(ImportRejected):
    """Values that are not the zone's phenomena, in an import without ``--map``.

    ``template`` is the mapping file to fill in (``source``, ``phenomenon``, ``rows``), with a
    suggestion where the example mapping knows the value and the zone has its phenomenon.
    """

    def __init__(self, unmapped: Mapping[str, int], known: Iterable[str]) -> None:
        ordered = sorted(unmapped.items(), key=lambda item: (-item[1], item[0]))
        shown = ", ".join(f"{value!r} ({n:,} rows)" for value, n in ordered[:SHOWN])
        more = f" and {len(ordered) - SHOWN:,} more" if len(ordered) > SHOWN else ""
        super().__init__(
            f"{len(ordered):,} values are not phenomena of the zone: {shown}{more}; map them "
            f"with --map FILE (a CSV source,phenomenon), or add them with mmm phenomenon add"
        )
        self.template = mapping_template(ordered, known)


def mapping_template(values: Iterable[tuple[str, int]], known: Iterable[str]) -> pd.DataFrame:
    """A mapping file to fill in: each value, a suggested phenomenon (or blank), its rows."""
    known = set(known)
    example = example_mapping()
    rows = []
    for value, n in values:
        guess = example.get(normalise(value), "")
        rows.append((value, guess if guess in known else "", n))
    return pd.DataFrame(rows, columns=["source", "phenomenon", "rows"])


def write_mapping_template(template: pd.DataFrame, path: Path) -> Path:
    """Write the file to fill in (UTF-8, ``,``-separated, one value per line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    template.to_csv(path, index=False, encoding="utf-8")
    return path


@cache
def example_mapping() -> dict[str, str]:
    """The shipped example mapping, normalised source → code."""
    return dict(_normalised_rows(EXAMPLE_MAPPING))


def _normalised_rows(path: Path) -> list[tuple[str, str]]:
    return [(normalise(source), code) for source, code in _mapping_rows(path)]


def standard_phenomena() -> pd.DataFrame:
    """The phenomena ``mmm init`` gives a new zone: ``code``, ``label_nl`` … ``label_en``."""
    return pd.read_csv(STANDARD_PHENOMENA, dtype=str, keep_default_na=False)
