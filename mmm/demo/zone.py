"""A deterministic, fictional demo zone: "PZ Demostad" with three years of incidents.

Why: the README tour, ``make demo`` and the tests need a realistic data set that anyone can
rebuild bit for bit, without access to police data. Everything here is invented: the zone, its
streets, its perimeters and every incident. No real data is used.

The town's layout (outline, hotspots, roads, streets, perimeters) is fixed; the seed drives the
random draws, so the same seed gives identical incidents. Incidents mix a background (uniform
over the zone plus a broad town centre), Gaussian hotspots that are hot for several phenomena at
once (station, shopping street, social housing estate, park, suburb…) and points along two main
roads for traffic injuries, with a seasonal and a time-of-day profile per phenomenon. All draws
are vectorised with numpy; points outside the zone are drawn again until none is left. Last,
the incidents move onto the town's streets (:mod:`mmm.demo.streets`): burglaries to house
fronts, traffic injuries onto the streets and crossings, nuisance around the market square.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import Polygon
from shapely.affinity import rotate

from mmm.crs import WORKING_CRS
from mmm.demo.streets import (
    CROSSING,
    HOUSE_FRONT,
    PAVEMENT,
    ROADWAY,
    SQUARE,
    STAY,
    build_town,
    place_on_streets,
)
from mmm.io.files import Source, write_geofile
from mmm.io.imports import (
    ImportReport,
    IncidentColumns,
    import_incident_source,
    import_perimeter_source,
)
from mmm.io.streets import import_street_source
from mmm.store import BatchInfo, Store

DEFAULT_SEED = 20240101
ZONE_NAME = "PZ Demostad"
#: The import sources :func:`load_demo` names (zone, perimeters, streets, incidents).
DEMO_SOURCES = frozenset({"demo", "demo-perimeters", "demo-streets", "demo-incidents"})
CENTRE = np.array([172_000.0, 174_000.0])  # EPSG:31370, somewhere in Flanders
FIRST_YEAR, YEARS = 2023, 3

#: Expected incidents per phenomenon over the three years (the drawn counts are Poisson).
VOLUMES: dict[str, int] = {
    "burglary_dwelling": 6000, "vehicle_crime": 12000, "traffic_injury": 9000, "drugs": 5500,
    "public_nuisance": 10500, "intrafamily_violence": 4000, "street_robbery": 2000,
    "vandalism": 11000,
}  # fmt: skip
PHENOMENA = tuple(VOLUMES)

#: Display labels per phenomenon: Dutch, French, German, English.
LABELS: dict[str, tuple[str, str, str, str]] = {
    "burglary_dwelling": ("Woninginbraak", "Cambriolage d'habitation", "Wohnungseinbruch", "Burglary in dwellings"),
    "vehicle_crime": ("Voertuigcriminaliteit", "Criminalité liée aux véhicules", "Fahrzeugkriminalität", "Vehicle crime"),
    "traffic_injury": ("Verkeersongeval met gewonden", "Accident de la route avec blessés", "Verkehrsunfall mit Verletzten", "Traffic accident with injuries"),
    "drugs": ("Drugs", "Drogues", "Drogen", "Drugs"),
    "public_nuisance": ("Overlast", "Nuisances", "Belästigung", "Public nuisance"),
    "intrafamily_violence": ("Intrafamiliaal geweld", "Violence intrafamiliale", "Häusliche Gewalt", "Intrafamily violence"),
    "street_robbery": ("Straatroof", "Vol avec violence en rue", "Straßenraub", "Street robbery"),
    "vandalism": ("Vandalisme", "Vandalisme", "Vandalismus", "Vandalism"),
}  # fmt: skip

# Outline, hotspots and roads as offsets in metres from CENTRE.
_ZONE = [(-4000, 300), (-3700, 1500), (-3000, 2400), (-1900, 2800), (-800, 2600), (200, 3000),
         (1300, 2900), (2300, 2500), (3300, 2100), (3900, 1000), (4000, -200), (3600, -1300),
         (2900, -2300), (1800, -2800), (600, -2600), (100, -2000), (-500, -3000), (-1700, -2900),
         (-2800, -2300), (-3500, -1400)]  # fmt: skip

#: Hotspots: (start, end, sigma in m); points spread around the segment start–end.
_SPOTS: dict[str, tuple[tuple[float, float], tuple[float, float], float]] = {
    "centre": ((0, 200), (0, 200), 1100),
    "station": ((900, -600), (900, -600), 170),
    "shopping": ((-750, 500), (250, 230), 45),
    "market": ((350, 150), (350, 150), 90),
    "estate": ((-1800, -1400), (-1800, -1400), 200),
    "park": ((1050, 1200), (1050, 1200), 170),
    "suburb": ((-2300, 1500), (-2300, 1500), 380),
    "school": ((-1000, -250), (-1000, -250), 80),
    "industry": ((1600, 2050), (1600, 2050), 220),
    "youth": ((2300, -1500), (2300, -1500), 110),
    "canal": ((2750, -1900), (3000, 1750), 60),
}
_ROADS = (
    ((-3750, -300), (-1000, -150), (350, 150), (1500, 600), (3800, 900)),
    ((700, -2500), (900, -600), (350, 150), (600, 1900), (900, 2800)),
)
#: Share of each phenomenon per component ("roads" is spread over the road segments).
_WEIGHTS: dict[str, dict[str, float]] = {
    "burglary_dwelling": {"uniform": 0.28, "centre": 0.25, "suburb": 0.32, "estate": 0.15},
    "vehicle_crime": {"uniform": 0.30, "centre": 0.30, "station": 0.15, "industry": 0.12,
                      "canal": 0.05, "shopping": 0.05, "market": 0.03},
    "traffic_injury": {"roads": 0.55, "school": 0.06, "centre": 0.24, "uniform": 0.12,
                       "station": 0.03},
    "drugs": {"uniform": 0.10, "centre": 0.25, "station": 0.20, "park": 0.15, "estate": 0.12,
              "canal": 0.12, "youth": 0.08},
    "public_nuisance": {"uniform": 0.12, "centre": 0.28, "station": 0.13, "shopping": 0.12,
                        "market": 0.10, "park": 0.12, "youth": 0.08, "school": 0.05},
    "intrafamily_violence": {"uniform": 0.30, "centre": 0.40, "estate": 0.25, "suburb": 0.05},
    "street_robbery": {"uniform": 0.07, "centre": 0.28, "station": 0.28, "shopping": 0.25,
                       "market": 0.07, "park": 0.05},
    "vandalism": {"uniform": 0.20, "centre": 0.27, "shopping": 0.10, "estate": 0.12,
                  "youth": 0.10, "industry": 0.08, "canal": 0.09, "market": 0.05, "park": 0.03},
}  # fmt: skip
#: Relative weight of each month (Jan…Dec) and peaks (hour, height) of the time of day.
_MONTHS = {
    "flat": (1.0,) * 12,
    "dark": (1.7, 1.4, 1.0, 0.8, 0.7, 0.6, 0.6, 0.7, 0.8, 1.1, 1.4, 1.8),
    "summer": (0.7, 0.7, 0.85, 1.0, 1.2, 1.35, 1.45, 1.4, 1.1, 0.9, 0.75, 0.7),
    "autumn": (0.9, 0.9, 0.95, 0.95, 1.0, 1.0, 0.85, 0.85, 1.05, 1.15, 1.2, 1.1),
    "park": (0.2, 0.2, 0.4, 0.8, 1.4, 2.0, 2.3, 2.2, 1.2, 0.5, 0.3, 0.2),
}
_SEASON = {"burglary_dwelling": "dark", "traffic_injury": "autumn", "public_nuisance": "summer",
           "vandalism": "summer", "drugs": "summer"}  # fmt: skip
_HOURS: dict[str, tuple[tuple[int, float], ...]] = {
    "burglary_dwelling": ((11, 1.0), (19, 1.3)), "vehicle_crime": ((2, 1.0), (22, 0.7)),
    "traffic_injury": ((8, 1.2), (17, 1.5)), "drugs": ((16, 0.8), (21, 1.0)),
    "public_nuisance": ((23, 1.4), (2, 0.7)), "intrafamily_violence": ((20, 1.0), (23, 0.9)),
    "street_robbery": ((21, 1.0), (1, 0.8)), "vandalism": ((0, 1.2), (22, 0.8)),
    "park": ((21, 1.6),),
}  # fmt: skip
_PARK_EVENINGS = ("drugs", "public_nuisance")
#: Where each phenomenon happens on the street (mmm.demo.streets); the exceptions are in
#: :func:`_placement`.
_PLACES = {"burglary_dwelling": HOUSE_FRONT, "intrafamily_violence": HOUSE_FRONT,
           "traffic_injury": ROADWAY, "vehicle_crime": PAVEMENT, "street_robbery": PAVEMENT,
           "vandalism": PAVEMENT, "drugs": PAVEMENT, "public_nuisance": PAVEMENT}  # fmt: skip
#: Share of the traffic injuries at a crossing.
_AT_CROSSINGS = 0.4


@dataclass(frozen=True, eq=False)
class Demo:
    """The demo zone: outline, perimeters, streets and incidents, all in EPSG:31370 (metres)."""

    zone: Polygon
    perimeters: gpd.GeoDataFrame  # name, description, geometry
    streets: gpd.GeoDataFrame  # segment_id, name, geometry (lines)
    incidents: pd.DataFrame  # id, phenomenon, date ('YYYY-MM-DD HH:MM'), x, y


@dataclass(frozen=True, eq=False)
class DemoReport:
    """What :func:`load_demo` stored: the zone's batch id and the three import reports."""

    zone_batch_id: int
    perimeters: ImportReport
    streets: ImportReport
    incidents: ImportReport


def build_demo(seed: int = DEFAULT_SEED) -> Demo:
    """Build the fictional zone "PZ Demostad": outline, ~10 perimeters, its streets and ~60,000
    incidents.

    Parameters
    ----------
    seed
        Seed of ``numpy.random.default_rng``; the same seed gives identical output.

    Returns
    -------
    Demo
        Incidents of 8 phenomena from 2023-01-01 to 2025-12-31, all inside the outline,
        sorted by date, with ids ``PV-<year>-<number>``; coordinates in metres (EPSG:31370).
        The streets are the same for every seed.
    """
    rng = np.random.default_rng(seed)
    zone = shapely.transform(Polygon(_ZONE), lambda c: c + CENTRE)
    shapely.prepare(zone)
    codes = np.repeat(np.arange(len(PHENOMENA)), rng.poisson(list(VOLUMES.values())))
    names, starts, ends, sigmas, shares = _components()
    comp = _categorical(rng, np.cumsum(shares, axis=1)[codes])
    x, y = _place(rng, comp, (starts, ends, sigmas), zone)

    evening = np.isin(codes, [PHENOMENA.index(p) for p in _PARK_EVENINGS])
    is_park = evening & (comp == names.index("park"))  # summer evenings in the park
    season = np.array([list(_MONTHS).index(_SEASON.get(p, "flat")) for p in PHENOMENA])[codes]
    season[is_park] = list(_MONTHS).index("park")
    daily = np.where(is_park, len(PHENOMENA), codes)
    stamps = _stamps(rng, season, daily)
    town = build_town(zone, CENTRE, _ROADS, _SPOTS)
    how = _placement(rng, codes, comp, names, is_park)
    x, y = place_on_streets(rng, x, y, how, town, zone)

    order = np.argsort(stamps, kind="stable")
    stamps, codes, x, y = stamps[order], codes[order], x[order], y[order]
    year = stamps.astype("datetime64[Y]").astype(int) + 1970
    number = np.arange(len(year)) - np.searchsorted(year, year) + 1
    ids = "PV-" + pd.Series(year.astype(str)) + "-" + pd.Series(number.astype(str)).str.zfill(6)
    incidents = pd.DataFrame(
        {
            "id": ids.to_numpy(dtype=object),
            "phenomenon": np.asarray(PHENOMENA, dtype=object)[codes],
            "date": pd.Series(np.datetime_as_string(stamps, unit="m")).str.replace("T", " "),
            "x": x,
            "y": y,
        }
    )
    return Demo(zone, _perimeters(), town.streets, incidents)


def _placement(
    rng: np.random.Generator,
    codes: np.ndarray,
    comp: np.ndarray,
    names: list[str],
    is_park: np.ndarray,
) -> np.ndarray:
    """How each incident is placed on the streets: per phenomenon (:data:`_PLACES`), but a share
    of the traffic injuries at a crossing, nuisance at the market around the square and the
    park's summer evenings in the park itself."""
    how = np.array([_PLACES[p] for p in PHENOMENA])[codes]
    traffic = codes == PHENOMENA.index("traffic_injury")
    how[traffic & (rng.random(len(codes)) < _AT_CROSSINGS)] = CROSSING
    nuisance = codes == PHENOMENA.index("public_nuisance")
    how[nuisance & (comp == names.index("market"))] = SQUARE
    how[is_park] = STAY
    return how


def _components() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Component names, segment starts/ends (absolute), sigmas, and shares per phenomenon."""
    names = ["uniform", *_SPOTS]
    starts = [(0.0, 0.0)] + [s for s, _, _ in _SPOTS.values()]
    ends = [(0.0, 0.0)] + [e for _, e, _ in _SPOTS.values()]
    sigmas = [0.0] + [sd for _, _, sd in _SPOTS.values()]
    road_start = len(names)
    starts += [a for road in _ROADS for a in road[:-1]]  # one component per road segment
    ends += [b for road in _ROADS for b in road[1:]]
    names += ["road"] * (len(starts) - road_start)
    sigmas += [20.0] * (len(starts) - road_start)
    s, e = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    lengths = np.hypot(*(e - s)[road_start:].T)
    shares = np.zeros((len(PHENOMENA), len(names)))
    for row, phenomenon in enumerate(PHENOMENA):
        for name, share in _WEIGHTS[phenomenon].items():
            if name == "roads":
                shares[row, road_start:] = share * lengths / lengths.sum()
            else:
                shares[row, names.index(name)] = share
    shares /= shares.sum(axis=1, keepdims=True)
    return names, s + CENTRE, e + CENTRE, np.asarray(sigmas), shares


def _categorical(rng: np.random.Generator, cdf: np.ndarray) -> np.ndarray:
    """One draw per row from that row's cumulative distribution (``cdf[:, -1]`` is the total)."""
    u = rng.random(len(cdf)) * cdf[:, -1]
    return np.minimum((u[:, None] >= cdf).sum(axis=1), cdf.shape[1] - 1)


def _place(
    rng: np.random.Generator, comp: np.ndarray, kernels: tuple[np.ndarray, ...], zone: Polygon
) -> tuple[np.ndarray, np.ndarray]:
    """Points for components ``comp`` (0 = uniform), drawn again until all lie in ``zone``.

    Component ``k`` spreads points along the segment ``starts[k]``–``ends[k]`` with a Gaussian
    of ``sigmas[k]`` metres; a point hotspot is a segment of length zero.
    """
    starts, ends, sigmas = kernels
    x0, y0, x1, y1 = zone.bounds
    x, y = np.empty(len(comp)), np.empty(len(comp))
    todo, attempt = np.arange(len(comp)), 0
    while len(todo):  # each round redraws only the points that fell outside
        attempt += 1
        if attempt == 20:
            comp = comp.copy()
            comp[todo] = 0  # a few stubborn points near the edge join the background
        c = comp[todo]
        t = rng.random(len(todo))[:, None]
        xy = (
            starts[c]
            + t * (ends[c] - starts[c])
            + rng.normal(size=(len(todo), 2)) * sigmas[c, None]
        )
        flat = c == 0
        xy[flat] = rng.uniform((x0, y0), (x1, y1), size=(int(flat.sum()), 2))
        xy = np.round(xy, 1)
        x[todo], y[todo] = xy[:, 0], xy[:, 1]
        todo = todo[~shapely.contains_xy(zone, xy[:, 0], xy[:, 1])]
    return x, y


def _stamps(rng: np.random.Generator, season: np.ndarray, daily: np.ndarray) -> np.ndarray:
    """Minutes (``datetime64[m]``) from month profile ``season`` and hour profile ``daily``."""
    months = np.cumsum(np.asarray(list(_MONTHS.values())), axis=1)
    hour = np.arange(24)
    profiles = [
        0.15 + sum(h * np.exp(-(((hour - p + 12) % 24 - 12) ** 2) / 8.0) for p, h in peaks)
        for peaks in (*(_HOURS[p] for p in PHENOMENA), _HOURS["park"])
    ]  # peaks of about two hours on a circular clock, over a low floor
    hours = np.cumsum(np.asarray(profiles), axis=1)
    year = rng.integers(FIRST_YEAR, FIRST_YEAR + YEARS, size=len(season))
    month = (year - 1970) * 12 + _categorical(rng, months[season])
    first = month.astype("datetime64[M]").astype("datetime64[D]")
    length = ((month + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(int)
    day = first + (rng.random(len(season)) * length).astype(int)
    minute = _categorical(rng, hours[daily]) * 60 + rng.integers(0, 60, size=len(season))
    return day.astype("datetime64[m]") + minute.astype("timedelta64[m]")


def _blob(x: float, y: float, rx: float, ry: float, phase: float) -> Polygon:
    """An irregular, roughly elliptical polygon around (x, y)."""
    theta = np.linspace(0.0, 2 * np.pi, 25)[:-1]
    r = 1 + 0.12 * np.sin(3 * theta + phase) + 0.06 * np.cos(5 * theta + 2 * phase)
    return Polygon(np.column_stack([x + rx * r * np.cos(theta), y + ry * r * np.sin(theta)]))


def _perimeters() -> gpd.GeoDataFrame:
    """The perimeters: Dutch name, one-line description, polygon (most cover a hotspot)."""
    (a, b, _), (c, d, _) = _SPOTS["shopping"], _SPOTS["canal"]
    rows = [
        ("Stationsbuurt", "Stationsomgeving: drugs, overlast, straatroof, voertuigcriminaliteit",
         rotate(shapely.box(480, -900, 1320, -300), 20)),
        ("Winkelstraat", "Winkelas naar de markt: straatroof, vandalisme en overlast",
         shapely.buffer(shapely.LineString([a, b]), 110, cap_style="flat")),
        ("Sociale woonwijk De Linde", "Woonwijk met intrafamiliaal geweld, vandalisme en drugs",
         _blob(-1800, -1400, 480, 420, 0.4)),
        ("Stadspark", "Park met drugs en overlast op zomeravonden",
         _blob(1050, 1200, 400, 360, 1.3)),
        ("Marktplein", "Centrale markt met horeca: overlast, straatroof en verkeer",
         shapely.box(200, 20, 500, 300)),
        ("Schoolomgeving Sint-Jan", "Schoolpoort en oversteekplaatsen: verkeersveiligheid",
         shapely.buffer(shapely.Point(-1000, -250), 220, quad_segs=8)),
        ("Villawijk Hoogveld", "Residentiële wijk met woninginbraken in de donkere maanden",
         _blob(-2300, 1500, 850, 650, 2.1)),
        ("Industriezone Noord", "Bedrijventerrein: voertuigcriminaliteit en vandalisme 's nachts",
         Polygon([(1050, 1650), (2150, 1700), (2250, 2350), (1500, 2500), (1000, 2250)])),
        ("Jeugdhuis en sportsite", "Jeugdhuis en sporthal: overlast, vandalisme en drugs",
         rotate(shapely.box(2050, -1700, 2550, -1300), -15)),
        ("Kanaalzone", "Jaagpad langs het kanaal: drugs en vandalisme",
         shapely.buffer(shapely.LineString([c, d]), 130, cap_style="flat")),
    ]  # fmt: skip
    names, descriptions, shapes = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"name": list(names), "description": list(descriptions)},
        geometry=list(shapely.transform(np.asarray(shapes), lambda xy: xy + CENTRE)),
        crs=WORKING_CRS,
    )


def load_demo(store: Store, *, seed: int = DEFAULT_SEED, actor: str = "demo") -> DemoReport:
    """Load the demo zone into ``store`` through the normal import path.

    Sets the zone outline, then imports the perimeters, the streets and the incidents like files
    would be. Loading twice adds nothing the second time: stored names and ids are rejected (and
    reported), and the streets replace themselves.

    Parameters
    ----------
    store
        Any store; its zone outline is replaced by the demo's.
    seed
        See :func:`build_demo`.
    actor
        Who the audit trail names for these imports.
    """
    demo = build_demo(seed)
    batch = BatchInfo("zone", "demo", actor, 1, 0)
    zone_batch = store.set_zone(ZONE_NAME, demo.zone, batch)
    frame = pd.DataFrame(demo.perimeters.drop(columns=demo.perimeters.geometry.name))
    geoms = np.asarray(demo.perimeters.geometry.values, dtype=object)
    source = Source("demo-perimeters", frame, geoms, WORKING_CRS, is_table=False)
    perimeters = import_perimeter_source(store, source, actor=actor)
    frame = pd.DataFrame(demo.streets.drop(columns=demo.streets.geometry.name))
    geoms = np.asarray(demo.streets.geometry.values, dtype=object)
    source = Source("demo-streets", frame, geoms, WORKING_CRS, is_table=False)
    streets = import_street_source(store, source, name="name", id="segment_id", actor=actor)
    columns = IncidentColumns(x="x", y="y", phenomenon="phenomenon", date="date", id="id")
    source = Source("demo-incidents", demo.incidents, None, None, is_table=True)
    incidents = import_incident_source(
        store, source, crs="EPSG:31370", columns=columns, actor=actor
    )
    for code, names in LABELS.items():
        for language, label in zip(("nl", "fr", "de", "en"), names, strict=True):
            store.set_label("phenomenon", code, language, label, actor=actor)
    return DemoReport(zone_batch, perimeters, streets, incidents)


def write_demo_files(directory: str | Path, *, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write the demo as files, to exercise the file import path.

    Returns
    -------
    dict
        ``incidents`` → ``incidents.csv`` (id, phenomenon, date, x, y in EPSG:31370),
        ``perimeters`` → ``perimeters.gpkg`` (layer "perimeters", EPSG:31370),
        ``streets`` → ``streets.gpkg`` (layer "streets": segment_id, name; EPSG:31370) and
        ``zone`` → ``zone.geojson`` (RFC 7946, EPSG:4326).
    """
    demo = build_demo(seed)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    incidents = directory / "incidents.csv"
    demo.incidents.to_csv(incidents, index=False)
    zone = gpd.GeoDataFrame({"name": [ZONE_NAME]}, geometry=[demo.zone], crs=WORKING_CRS)
    return {
        "incidents": incidents,
        "perimeters": write_geofile(
            demo.perimeters, directory / "perimeters.gpkg", layer="perimeters"
        ),
        "streets": write_geofile(demo.streets, directory / "streets.gpkg", layer="streets"),
        "zone": write_geofile(zone, directory / "zone.geojson", layer="zone"),
    }
