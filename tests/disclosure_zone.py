"""A small zone built by hand to attack the release model: nested and overlapping perimeters,
a partner with one cell, months with a single hidden cell.

Perimeters (EPSG:31370, inside :data:`tests.helpers.ZONE`):

* ``Park`` (1 km²) holds ``Pond`` (nested) and shares a square with ``Corner``;
* ``Station`` overlaps nothing.

Drug incidents per month (2024-10, 2024-11, 2024-12), placed in each area:

=====================  =============  ===================================================
area                   counts         what it attacks
=====================  =============  ===================================================
Pond                   16, 6, 25      Park − Pond is 3 in October: a small difference
Park only              0, 21, 6
Park ∩ Corner          3, 5, 5
Corner only            30, 31, 1      Corner − Park is 1 in December
Station                9, 3, 12       a single hidden month (November)
=====================  =============  ===================================================

and vandalism in the park only: 1, 2, 3 (every month hidden). Partners: ``Buurtwerk`` sees
Park, Pond and Corner (drugs and vandalism in the park); ``Solo`` sees one pair, Station ×
drugs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from mmm.access.partners import add_partner, assign
from mmm.access.users import add_user
from mmm.crs import WORKING_CRS
from mmm.io.files import Source
from mmm.io.imports import IncidentColumns, import_incident_source, import_perimeter_source
from mmm.store import BatchInfo, Store, open_store
from tests.helpers import ZONE

MONTHS = ("2024-10", "2024-11", "2024-12")
PERIMETERS = {
    "Park": shapely.box(171_200, 173_200, 172_200, 174_200),
    "Pond": shapely.box(171_500, 173_500, 171_800, 173_800),
    "Corner": shapely.box(172_000, 174_000, 172_300, 174_300),
    "Station": shapely.box(172_400, 174_400, 172_800, 174_800),
}
#: (phenomenon, a point of the area, counts per month)
AREAS = (
    ("drugs", (171_650, 173_650), (16, 6, 25)),  # Pond
    ("drugs", (171_300, 173_300), (0, 21, 6)),  # Park only
    ("drugs", (172_100, 174_100), (3, 5, 5)),  # Park ∩ Corner
    ("drugs", (172_250, 174_250), (30, 31, 1)),  # Corner only
    ("drugs", (172_600, 174_600), (9, 3, 12)),  # Station
    ("vandalism", (171_300, 173_300), (1, 2, 3)),  # Park only
)
PARTNERS = {
    "Buurtwerk": [("Park", "drugs"), ("Pond", "drugs"), ("Corner", "drugs"), ("Park", "vandalism")],
    "Solo": [("Station", "drugs")],
}


def build(store: Store) -> Store:
    """Fill an empty ``store`` with the zone above (through the normal import path)."""
    store.set_zone("Testzone", ZONE, BatchInfo("zone", "test", "test", 1, 0))
    names = list(PERIMETERS)
    frame = pd.DataFrame({"name": names, "description": [""] * len(names)})
    geoms = np.asarray(list(PERIMETERS.values()), dtype=object)
    import_perimeter_source(store, Source("perimeters", frame, geoms, WORKING_CRS, is_table=False))
    rows = []
    for code, (x, y), counts in AREAS:
        for month, n in zip(MONTHS, counts, strict=True):
            for i in range(n):  # spread a little inside the area, days 1..28
                rows.append((code, f"{month}-{1 + i % 28:02d}", x + i % 7, y + i // 7))
    incidents = pd.DataFrame(rows, columns=["phenomenon", "date", "x", "y"])
    incidents["id"] = [f"T-{i}" for i in range(len(incidents))]
    columns = IncidentColumns(x="x", y="y", phenomenon="phenomenon", date="date", id="id")
    source = Source("incidents", incidents, None, None, is_table=True)
    import_incident_source(store, source, crs="EPSG:31370", columns=columns)
    for partner, pairs in PARTNERS.items():
        add_partner(store, partner, type="prevention_service")
        for perimeter, code in pairs:
            assign(store, partner, perimeter=perimeter, phenomenon=code, responsibility="lead")
    return store


#: The password of the zone's log-ins (:func:`build_with_users`).
PASSWORD = "a long enough pass phrase 42"
#: The zone's log-ins: (name, role, organisation, language) — readers who differ in language,
#: rights and scope.
USERS = (
    ("ana", "analyst", None, "nl"),
    ("anne", "analyst", None, "fr"),
    ("buurt", "partner", "Buurtwerk", "nl"),
    ("wijk", "officer", None, "nl"),
)


def build_with_users(url: str) -> str:
    """The zone above in a new store at ``url``, with :data:`USERS`; returns ``url``."""
    store = build(open_store(url))
    for name, role, partner, language in USERS:
        add_user(store, name, PASSWORD, role=role, partner=partner, language=language)
    store.close()
    return url
