"""The demo zone's people: one log-in per role and the partners with their assignments.

Why: the tour, ``make demo`` and the tests need someone to log in as in every role, and partners
that carry the demo plans' actions. Everything here is invented, and :data:`DEMO_PASSWORD` is
published: it is for the fictional demo zone only, so the demo log-ins are only ever created in
a *demo store* (:func:`demo_store_refusal`), never beside a real zone's data or users. Call
:func:`add_demo_partners` after :func:`mmm.demo.zone.load_demo` (the assignments name its
perimeters); both calls are safe to repeat.
"""

from __future__ import annotations

from sqlalchemy import select

from mmm.access.partners import add_partner, assign, partners
from mmm.access.users import add_user, user_names
from mmm.demo.zone import DEMO_SOURCES, ZONE_NAME
from mmm.errors import MMMError
from mmm.store import Store, schema
from mmm.store.base import CHANGE_KINDS

#: Demo log-ins, one per role: for the fictional demo zone only, never for real data.
DEMO_USERS: tuple[tuple[str, str, str | None], ...] = (
    ("admin", "admin", None),
    ("analist", "analyst", None),
    ("wijkinspecteur", "officer", None),
    ("partner", "partner", "Preventiedienst Demostad"),
    ("ocmw", "partner", "OCMW Demostad"),
    ("privacy", "dpo", None),
)
DEMO_PASSWORD = "demo-mmm-2024"


def demo_store_refusal(store: Store) -> str | None:
    """Why ``store`` is no place for the demo, or ``None`` when it holds only the demo (or nothing).

    A demo store has no zone outline but the demo's, no data imported from anything but the
    demo, and no users but the demo's (perimeters, partners and plans added while trying the
    demo out are fine: they are fictional too).
    """
    zone = store.stored_zone()
    if zone is not None and zone.name != ZONE_NAME:
        return f"this store holds the zone {zone.name!r}"
    with store.engine.connect() as conn:
        b = schema.import_batches.c
        imports = select(b.source).where(b.kind.not_in(CHANGE_KINDS)).distinct()
        sources = set(conn.execute(imports).scalars())
    if sources - DEMO_SOURCES:
        return f"this store holds data imported from {sorted(sources - DEMO_SOURCES)[0]!r}"
    users = sorted(user_names(store) - {name for name, _, _ in DEMO_USERS})
    if users:
        return f"this store has users who are not the demo's ({', '.join(users)})"
    return None


def is_demo_store(store: Store) -> bool:
    """Whether ``store`` holds the demo zone and nothing else (``mmm serve`` says so)."""
    zone = store.stored_zone()
    return zone is not None and zone.name == ZONE_NAME and demo_store_refusal(store) is None


def add_demo_users(store: Store, *, actor: str = "demo") -> list[tuple[str, str]]:
    """Create the demo log-ins that do not exist yet; returns (name, role) of every demo user.

    Raises
    ------
    MMMError
        When ``store`` is not a demo store (:func:`demo_store_refusal`): the demo's published
        password must never open a real zone.
    """
    refusal = demo_store_refusal(store)
    if refusal:
        raise MMMError(f"no demo log-ins here: {refusal}")
    existing = user_names(store)
    for name, role, partner in DEMO_USERS:
        if name not in existing:
            add_user(store, name, DEMO_PASSWORD, role=role, partner=partner, actor=actor)
    return [(name, role) for name, role, _ in DEMO_USERS]


#: Demo partners: (organisation, type, contact, [(perimeter, phenomenon, responsibility)]).
DEMO_PARTNERS: tuple[tuple[str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("Preventiedienst Demostad", "prevention_service", "preventie@demostad.example", (
        ("Stationsbuurt", "drugs", "lead"), ("Stationsbuurt", "public_nuisance", "lead"),
        ("Stadspark", "drugs", "contributes"), ("Stadspark", "public_nuisance", "lead"),
        ("Winkelstraat", "street_robbery", "contributes"),
    )),
    ("OCMW Demostad", "social_services", "onthaal@ocmw-demostad.example", (
        ("Sociale woonwijk De Linde", "intrafamily_violence", "lead"),
        ("Stationsbuurt", "drugs", "contributes"),
    )),
    ("Woonmaatschappij De Linde", "housing_company", "info@delinde.example", (
        ("Sociale woonwijk De Linde", "vandalism", "lead"),
        ("Sociale woonwijk De Linde", "burglary_dwelling", "contributes"),
    )),
    ("Basisschool Sint-Jan", "school", "directie@sintjan.example", (
        ("Schoolomgeving Sint-Jan", "traffic_injury", "informed"),
    )),
    ("Handelaarsvereniging Centrum", "shopkeepers", "bestuur@centrum-demostad.example", (
        ("Winkelstraat", "street_robbery", "informed"), ("Marktplein", "vandalism", "informed"),
    )),
)  # fmt: skip


def add_demo_partners(store: Store, *, actor: str = "demo") -> int:
    """Register the demo partners and their assignments (once); returns how many assignments."""
    known = set(partners(store)["name"])
    count = 0
    for name, kind, contact, parts in DEMO_PARTNERS:
        if name not in known:
            add_partner(store, name, type=kind, contact=contact, actor=actor)
        for perimeter, phenomenon, responsibility in parts:
            assign(
                store,
                name,
                perimeter=perimeter,
                phenomenon=phenomenon,
                responsibility=responsibility,
                actor=actor,
            )
            count += 1
    return count
