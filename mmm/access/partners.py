"""The multidisciplinary side: partner organisations and who does what, where.

A partner (municipal prevention service, OCMW/CPAS, housing company, school…) is assigned per
perimeter × phenomenon with a responsibility (lead / contributes / informed). These assignments
also decide what a partner's users may see (:mod:`mmm.access.rules`). Every change is audited. Only
organisation data is kept (an organisation's contact address), no personal data.
"""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from mmm.errors import MMMError, NotFound
from mmm.limits import DESCRIPTION_CHARS, NAME_CHARS, check_text
from mmm.store import Store, schema

#: Partner types every zone starts with; a zone can add its own (``add_partner_type``).
DEFAULT_TYPES = (
    "police",
    "municipality",
    "prevention_service",
    "social_services",
    "housing_company",
    "school",
    "youth_work",
    "street_work",
    "public_prosecutor",
    "shopkeepers",
    "other",
)
RESPONSIBILITIES = ("lead", "contributes", "informed")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def partner_types(store: Store) -> list[str]:
    """The partner types: the defaults plus those the zone added."""
    with store.engine.connect() as conn:
        added = set(conn.execute(select(schema.partner_types.c.code)).scalars())
    return [*DEFAULT_TYPES, *sorted(added - set(DEFAULT_TYPES))]


def add_partner_type(store: Store, code: str, *, actor: str = "cli") -> None:
    """Let the zone use a new partner type (lower-case code, e.g. ``sports_club``)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,49}", code):
        raise MMMError(f"{code!r}: a type is a short lower-case code such as sports_club")
    if code in partner_types(store):
        raise MMMError(f"the partner type {code!r} exists already")
    with store.engine.begin() as conn:
        conn.execute(insert(schema.partner_types), {"code": code})
        store.write_audit(conn, actor, "create", "partner_type", code, {})


def add_partner(
    store: Store, name: str, *, type: str, contact: str = "", actor: str = "cli"
) -> int:
    """Register an organisation; returns its id.

    Raises
    ------
    MMMError
        For an empty or taken name, an unknown type, or a contact that is not an e-mail address.
    TextRefused
        For a name or contact longer than :data:`mmm.limits.NAME_CHARS` or holding a control
        character.
    """
    name = check_text(name.strip(), "the partner name", limit=NAME_CHARS)
    contact = check_text(contact.strip(), "the contact", limit=NAME_CHARS)
    if not name:
        raise MMMError("the partner name is empty")
    if type not in partner_types(store):
        raise MMMError(
            f"unknown partner type {type!r}: choose one of {', '.join(partner_types(store))}"
        )
    if contact and not _EMAIL.match(contact):
        raise MMMError(f"{contact!r} is not an e-mail address (use the organisation's)")
    with store.engine.begin() as conn:
        _ensure_type_row(conn, type)
        taken = conn.execute(select(schema.partners.c.id).where(schema.partners.c.name == name))
        if taken.first() is not None:
            raise MMMError(f"a partner {name!r} already exists")
        result = conn.execute(
            insert(schema.partners), {"name": name, "type": type, "contact": contact, "active": 1}
        )
        key = result.inserted_primary_key
        assert key is not None
        store.write_audit(conn, actor, "create", "partner", str(key[0]), {"type": type})
    return int(key[0])


def _ensure_type_row(conn: Connection, code: str) -> None:
    """Default types get their row on first use (the foreign key needs it)."""
    found = conn.execute(
        select(schema.partner_types.c.code).where(schema.partner_types.c.code == code)
    )
    if found.first() is None:
        conn.execute(insert(schema.partner_types), {"code": code})


def set_partner_active(store: Store, name: str, active: bool, *, actor: str = "cli") -> None:
    """Activate or deactivate an organisation (its history and assignments stay)."""
    pid = partner_id(store, name)
    with store.engine.begin() as conn:
        conn.execute(
            update(schema.partners).where(schema.partners.c.id == pid).values(active=int(active))
        )
        store.write_audit(conn, actor, "update", "partner", str(pid), {"active": active})


def partner_id(store: Store, name: str) -> int:
    """The id of the partner called ``name``.

    Raises
    ------
    NotFound
        When there is none.
    """
    with store.engine.connect() as conn:
        row = conn.execute(
            select(schema.partners.c.id).where(schema.partners.c.name == name)
        ).first()
    if row is None:
        raise NotFound(f"no partner named {name!r}")
    return int(row[0])


def partners(store: Store) -> pd.DataFrame:
    """All partners: ``id``, ``name``, ``type``, ``contact``, ``active``, by name."""
    p = schema.partners.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(p.id, p.name, p.type, p.contact, p.active).order_by(p.name))
        return pd.DataFrame(rows.all(), columns=["id", "name", "type", "contact", "active"])


def assign(
    store: Store,
    partner: str,
    *,
    perimeter: str,
    phenomenon: str,
    responsibility: str,
    description: str = "",
    actor: str = "cli",
) -> None:
    """Give ``partner`` a part in ``perimeter`` for ``phenomenon`` (replacing an earlier one).

    Raises
    ------
    MMMError, NotFound
        For an unknown responsibility, partner, perimeter or phenomenon.
    TextRefused
        For a description longer than :data:`mmm.limits.DESCRIPTION_CHARS` or holding a
        control character.
    """
    description = check_text(
        description.strip(), "the description", limit=DESCRIPTION_CHARS, multiline=True
    )
    if responsibility not in RESPONSIBILITIES:
        raise MMMError(
            f"unknown responsibility {responsibility!r}: choose {', '.join(RESPONSIBILITIES)}"
        )
    pid = partner_id(store, partner)
    per = store.perimeters()
    match = per[per["name"] == perimeter]
    if match.empty:
        raise NotFound(f"no perimeter named {perimeter!r}")
    if phenomenon not in set(store.phenomena()["code"]):
        raise NotFound(f"no phenomenon with code {phenomenon!r}")
    perimeter_id = int(match["id"].iloc[0])
    a = schema.assignments
    key = (
        (a.c.partner_id == pid)
        & (a.c.perimeter_id == perimeter_id)
        & (a.c.phenomenon == phenomenon)
    )
    with store.engine.begin() as conn:
        conn.execute(delete(a).where(key))
        conn.execute(
            insert(a),
            {
                "partner_id": pid,
                "perimeter_id": perimeter_id,
                "phenomenon": phenomenon,
                "responsibility": responsibility,
                "description": description,
            },
        )
        detail = {"perimeter": perimeter_id, "phenomenon": phenomenon, "role": responsibility}
        store.write_audit(conn, actor, "assign", "partner", str(pid), detail)


def unassign(
    store: Store, partner: str, *, perimeter: str, phenomenon: str, actor: str = "cli"
) -> None:
    """Remove one assignment.

    Raises
    ------
    NotFound
        When the partner had no such assignment.
    """
    table = assignments(store)
    hit = table[
        (table["partner"] == partner)
        & (table["perimeter"] == perimeter)
        & (table["phenomenon"] == phenomenon)
    ]
    if hit.empty:
        raise NotFound(f"{partner!r} has no assignment for {phenomenon!r} in {perimeter!r}")
    with store.engine.begin() as conn:
        conn.execute(
            delete(schema.assignments).where(schema.assignments.c.id == int(hit["id"].iloc[0]))
        )
        detail = {"perimeter": perimeter, "phenomenon": phenomenon}
        store.write_audit(
            conn, actor, "unassign", "partner", str(int(hit["partner_id"].iloc[0])), detail
        )


def assignments(store: Store, *, perimeter_id: int | None = None) -> pd.DataFrame:
    """Who does what where: one row per partner × perimeter × phenomenon (of one perimeter)."""
    a, p, r = schema.assignments.c, schema.partners.c, schema.perimeters.c
    query = (
        select(
            a.id, a.partner_id, p.name, p.type, a.perimeter_id, r.name, a.phenomenon,
            a.responsibility, a.description,
        )
        .join(schema.partners, a.partner_id == p.id)
        .join(schema.perimeters, a.perimeter_id == r.id)
        .order_by(r.name, a.phenomenon, p.name)
    )  # fmt: skip
    if perimeter_id is not None:
        query = query.where(a.perimeter_id == perimeter_id)
    columns = [
        "id", "partner_id", "partner", "partner_type", "perimeter_id", "perimeter", "phenomenon",
        "responsibility", "description",
    ]  # fmt: skip
    with store.engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=columns)


def partner_pairs(store: Store, partner: str) -> frozenset[tuple[int, str]]:
    """The (perimeter id, phenomenon) pairs the organisation ``partner`` is assigned, in one
    query (every partner's request asks, :func:`mmm.access.rules.partner_scope`)."""
    a, p, r = schema.assignments.c, schema.partners.c, schema.perimeters.c
    query = (
        select(a.perimeter_id, a.phenomenon)
        .join(schema.partners, a.partner_id == p.id)
        .join(schema.perimeters, a.perimeter_id == r.id)
        .where(p.name == partner)
    )
    with store.engine.connect() as conn:
        return frozenset((int(pid), str(code)) for pid, code in conn.execute(query).all())


def who_does_what(
    store: Store,
    pairs: frozenset[tuple[int, str]] | None = None,
    *,
    perimeter_id: int | None = None,
) -> pd.DataFrame:
    """Assignments, limited to the (perimeter id, phenomenon) ``pairs`` a user may see (and to
    one perimeter when ``perimeter_id`` is given: its page asks on every visit).

    A partner sees its own assignments and, on those same perimeter × phenomenon pairs, the
    names of its co-partners — nothing of other partners elsewhere. ``None``: everything.
    """
    table = assignments(store, perimeter_id=perimeter_id)
    if pairs is None:
        return table
    keys = zip(table["perimeter_id"], table["phenomenon"], strict=True)
    return table[[(int(p), str(c)) in pairs for p, c in keys]]


def matrix(table: pd.DataFrame, perimeters: list[str], phenomena: list[str]) -> dict:
    """Perimeter → phenomenon → [(partner, responsibility)], for the matrix page."""
    cells: dict[str, dict[str, list[tuple[str, str]]]] = {
        p: {c: [] for c in phenomena} for p in perimeters
    }
    for row in table.itertuples(index=False):  # one row per assignment, a few hundred at most
        if row.perimeter in cells and row.phenomenon in cells[row.perimeter]:
            cells[row.perimeter][row.phenomenon].append((row.partner, row.responsibility))
    return cells
