"""Create, edit, archive and adopt perimeters: the use cases behind the editor and its JSON API.

Why here and not in the views: the browser editor, the API for QGIS users and scripts, and the
hotspot page's "adopt" button must apply exactly the same rules — who may save what
(:func:`mmm.access.rules.perimeter_edit_refusal`), the geometry checks
(:mod:`mmm.perimeters.geometry`), one version per save with optimistic locking and an audit
event (the store) — and report the same things back: repairs, overlaps with other perimeters
(allowed, shown) and the counts per phenomenon right after saving.

A *feature* is an RFC 7946 GeoJSON Feature (EPSG:4326, longitude first) whose ``properties``
carry ``name``, ``description``, ``status``, ``start_date`` (``YYYY-MM-DD`` or null) and, for an
edit, the ``version`` it was based on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from mmm import access
from mmm.access.labels import phenomenon_labels
from mmm.access.users import User
from mmm.counting.count import count_incidents
from mmm.counting.months import available_months, choose_range
from mmm.crs import WORKING_CRS
from mmm.errors import AccessDenied, MMMError, NotFound, TextRefused
from mmm.limits import DESCRIPTION_CHARS, NAME_CHARS, check_text
from mmm.perimeters.geometry import (
    AreaLimits,
    GeometryRefused,
    Remark,
    check_perimeter_geometry,
    from_geojson,
    hint_if_swapped,
)
from mmm.store import Store
from mmm.store.perimeter_rows import (
    STATUSES,
    PerimeterChanged,
    PerimeterFields,
    PerimeterVersion,
)

#: Months of incidents counted right after a save (the latest months with data).
COUNT_MONTHS = 12
#: Two perimeters each covering this share of the other are the same place.
SAME_PLACE = 0.95


class FieldRefused(MMMError):
    """A property of the feature is missing or wrong (name, status, date, version)."""


@dataclass(frozen=True)
class Draft:
    """What a feature asks to save: the fields, the geometry as sent, the version it is based on.

    ``geometry`` is ``None`` when an edit leaves the geometry as it is (``"geometry": null``).
    """

    fields: PerimeterFields
    geometry: Any
    based_on: int | None


@dataclass(frozen=True)
class Overlap:
    """Another perimeter (not archived) that shares area with the saved one (``area_m2``: the
    other perimeter's whole area)."""

    id: int
    name: str
    status: str
    shared_m2: float
    area_m2: float


class CandidateOverlaps(MMMError):
    """A hotspot candidate shares area with perimeters that exist already: adopting it would
    make a second perimeter over the same streets, so the person is asked first.

    ``overlaps`` are the other perimeters, most shared area first; ``area_m2`` is the
    candidate's area; :attr:`duplicate` is the perimeter that is the same place (each covers
    the other for at least :data:`SAME_PLACE` of its area), e.g. the candidate adopted before.
    """

    def __init__(self, name: str, area_m2: float, overlaps: tuple[Overlap, ...]) -> None:
        names = ", ".join(f"{o.name!r} ({100 * o.shared_m2 / area_m2:.0f} %)" for o in overlaps)
        super().__init__(f"{name!r} overlaps existing perimeters: {names}")
        self.name = name
        self.area_m2 = area_m2
        self.overlaps = overlaps

    @property
    def duplicate(self) -> Overlap | None:
        """The overlapping perimeter that is the same place as the candidate, if any."""
        return next(
            (
                o
                for o in self.overlaps
                if o.shared_m2 >= SAME_PLACE * self.area_m2
                and o.shared_m2 >= SAME_PLACE * o.area_m2
            ),
            None,
        )


@dataclass(frozen=True)
class Counts:
    """Incidents per phenomenon inside a perimeter over a month range (zeros left out)."""

    first: str
    last: str
    rows: tuple[tuple[str, str, int], ...]  # (code, label, count), most first


@dataclass(frozen=True)
class SaveResult:
    """A saved version and what the person who saved it should see."""

    saved: PerimeterVersion
    notes: tuple[Remark, ...]
    overlaps: tuple[Overlap, ...]
    counts: Counts


def parse_feature(feature: Any, *, edit: bool) -> Draft:
    """Read a GeoJSON Feature sent to the API (``edit``: a PUT, which needs ``version``).

    Raises
    ------
    FieldRefused
        For a body that is not a Feature, or a missing or malformed property.
    """
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise FieldRefused('send one GeoJSON Feature ({"type": "Feature", …})')
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise FieldRefused("the feature's properties must be an object")
    name = _text(props.get("name"), "the name", NAME_CHARS)
    if not name:
        raise FieldRefused("give the perimeter a name (properties.name)")
    status = str(props.get("status") or "proposed")
    if status not in STATUSES:
        raise FieldRefused(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    fields = PerimeterFields(
        name=name,
        description=_text(props.get("description"), "the description", DESCRIPTION_CHARS),
        status=status,
        start_date=_start_date(props.get("start_date")),
    )
    based_on = props.get("version")
    if edit and (isinstance(based_on, bool) or not isinstance(based_on, int)):
        raise FieldRefused(
            "properties.version must be the version your edit is based on (a whole number)"
        )
    geometry = feature.get("geometry")
    if geometry is None and not edit:
        raise FieldRefused("the feature has no geometry: draw a polygon first")
    return Draft(fields, geometry, based_on if edit else None)


def _text(value: Any, what: str, limit: int) -> str:
    """A property as stripped text within :mod:`mmm.limits`; :class:`FieldRefused` if not."""
    text = str(value or "").strip()
    try:
        return check_text(text, what, limit=limit, multiline=limit > NAME_CHARS)
    except TextRefused as error:
        raise FieldRefused(str(error)) from None


def _start_date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise FieldRefused(f"start_date must be a date as YYYY-MM-DD, not {value!r}") from None


def check_geometry(
    store: Store, geometry: Any, limits: AreaLimits
) -> tuple[BaseGeometry, tuple[Remark, ...]]:
    """The checked EPSG:31370 geometry of a GeoJSON geometry, and the notes about it.

    Raises
    ------
    GeometryRefused
        See :func:`mmm.perimeters.geometry.check_perimeter_geometry`; with a hint when the
        coordinates look like latitude/longitude swapped.
    """
    zone = store.zone()
    outline = None if zone is None else zone.geometry
    try:
        checked = check_perimeter_geometry(from_geojson(geometry), zone=outline, limits=limits)
    except GeometryRefused as error:
        raise hint_if_swapped(error, geometry, outline) from None
    return checked.geometry, checked.notes


def create(
    store: Store, user: User, draft: Draft, *, limits: AreaLimits, language: str = "nl"
) -> SaveResult:
    """Save a new perimeter (version 1).

    Raises
    ------
    AccessDenied
        When the user's role may not save it with this status.
    GeometryRefused, DuplicateName
        When the geometry or the name cannot be stored; nothing is stored.
    """
    _allow(user, draft.fields.status, None)
    geometry, notes = check_geometry(store, draft.geometry, limits)
    saved = store.create_perimeter(draft.fields, geometry, actor=actor(user), detail=_detail(notes))
    return _result(store, saved, notes, language)


def edit(
    store: Store,
    user: User,
    perimeter_id: int,
    draft: Draft,
    *,
    limits: AreaLimits,
    language: str = "nl",
) -> SaveResult:
    """Save a new version of a perimeter from the version the draft was based on.

    Raises
    ------
    NotFound
        For an unknown perimeter.
    AccessDenied
        When the user's role may not change it (or not to this status).
    GeometryRefused, DuplicateName
        When the geometry or the name cannot be stored.
    PerimeterChanged
        When someone saved another version since ``draft.based_on``; nothing is changed.
    """
    current = latest(store, perimeter_id)
    _allow(user, draft.fields.status, current.fields.status)
    notes: tuple[Remark, ...] = ()
    if draft.geometry is None:
        geometry = current.geometry
    else:
        geometry, notes = check_geometry(store, draft.geometry, limits)
    assert draft.based_on is not None  # parse_feature(edit=True) requires it
    saved = store.update_perimeter(
        perimeter_id,
        draft.fields,
        geometry,
        based_on=draft.based_on,
        actor=actor(user),
        detail=_detail(notes),
    )
    return _result(store, saved, notes, language)


def archive(store: Store, user: User, perimeter_id: int, based_on: int) -> PerimeterVersion:
    """Archive a perimeter (a new version with status ``archived``; nothing is deleted).

    Raises
    ------
    NotFound, AccessDenied, PerimeterChanged
        As for :func:`edit`.
    """
    current = latest(store, perimeter_id)
    fields = replace(current.fields, status="archived")
    _allow(user, "archived", current.fields.status)
    return store.update_perimeter(
        perimeter_id, fields, current.geometry, based_on=based_on, actor=actor(user)
    )


def split(
    store: Store,
    user: User,
    perimeter_id: int,
    request: Any,
    *,
    limits: AreaLimits,
    language: str = "nl",
) -> tuple[SaveResult, SaveResult]:
    """Take one part of a multipolygon perimeter out into a new perimeter, in one transaction.

    ``request`` is ``{"version": N, "part": i, "name": "…"}``: the version the split is based
    on, the 0-based part (in the stored order) and the new perimeter's name. The new perimeter
    keeps the description, status and start date. Returns the kept perimeter's new version and
    the new perimeter.

    Raises
    ------
    FieldRefused
        For a perimeter of one part, a part that does not exist, a missing name or version.
    NotFound, AccessDenied, PerimeterChanged, DuplicateName
        As for :func:`edit` and :func:`create`; then nothing is changed.
    """
    if not isinstance(request, dict):
        raise FieldRefused('send {"version": N, "part": i, "name": "…"}')
    based_on, part = request.get("version"), request.get("part")
    name = _text(request.get("name"), "the name", NAME_CHARS)
    if not isinstance(based_on, int) or not isinstance(part, int) or not name:
        raise FieldRefused("give the version, the part (0, 1, …) and the new perimeter's name")
    current = latest(store, perimeter_id)
    _allow(user, current.fields.status, current.fields.status)
    if current.version != based_on:  # the parts the person saw may not be these
        raise PerimeterChanged(current, based_on)
    parts = list(shapely.get_parts(current.geometry))
    if len(parts) < 2:
        raise FieldRefused("this perimeter has one part: there is nothing to split off")
    if not 0 <= part < len(parts):
        raise FieldRefused(f"part must be a number from 0 to {len(parts) - 1}")
    others = [p for i, p in enumerate(parts) if i != part]
    rest = others[0] if len(others) == 1 else shapely.MultiPolygon(others)
    zone = store.zone()
    outline = None if zone is None else zone.geometry
    kept = check_perimeter_geometry(rest, zone=outline, limits=limits).geometry
    piece = check_perimeter_geometry(parts[part], zone=outline, limits=limits).geometry
    new_fields = replace(current.fields, name=name)
    rest_saved, new_saved = store.split_perimeter(
        perimeter_id,
        (current.fields, kept),
        (new_fields, piece),
        based_on=based_on,
        actor=actor(user),
    )
    note = Remark(f"split off from {current.fields.name!r}", "split_off", name=current.fields.name)
    return (
        _result(store, rest_saved, (), language),
        _result(store, new_saved, (note,), language),
    )


def adopt(
    store: Store,
    user: User,
    candidate: tuple[str, str, BaseGeometry],
    *,
    limits: AreaLimits,
    language: str = "nl",
    despite_overlaps: bool = False,
) -> SaveResult:
    """Turn a hotspot candidate (name, description, EPSG:31370 polygon) into a proposed perimeter.

    Its geometry goes through the same checks as a drawn one. A candidate that shares area
    with a perimeter that is not archived (one adopted before, or one drawn there) is refused
    with :class:`CandidateOverlaps` unless ``despite_overlaps`` says the person saw them and
    wants a perimeter of its own; only then is a taken name made free (``"<name> (2)"``…). The
    same place as a perimeter (:attr:`CandidateOverlaps.duplicate`) is always refused: that
    perimeter is the one to adjust.

    Raises
    ------
    AccessDenied, GeometryRefused
        As for :func:`create`.
    CandidateOverlaps
        When it overlaps other perimeters and ``despite_overlaps`` is not set, or it is the
        same place as one of them; nothing is stored.
    """
    _allow(user, "proposed", None)
    base, description, geometry = candidate
    zone = store.zone()
    checked = check_perimeter_geometry(
        geometry, zone=None if zone is None else zone.geometry, limits=limits
    )
    found = overlaps(store, 0, checked.geometry)
    if found:
        refusal = CandidateOverlaps(base, float(checked.geometry.area), found)
        if not despite_overlaps or refusal.duplicate is not None:
            raise refusal
    taken = store.perimeter_names()
    name, n = base, 2
    while name in taken:
        name, n = f"{base} ({n})", n + 1
    fields = PerimeterFields(name, description, "proposed", None)
    notes = (*checked.notes, Remark("adopted from a hotspot candidate", "adopted"))
    saved = store.create_perimeter(
        fields,
        checked.geometry,
        actor=actor(user),
        detail={"source": "hotspot candidate", **_detail(checked.notes)},
    )
    return _result(store, saved, notes, language)


def latest(store: Store, perimeter_id: int) -> PerimeterVersion:
    """The current version of a perimeter.

    Raises
    ------
    NotFound
        For an unknown perimeter.
    """
    history = store.perimeter_history(perimeter_id)
    if not history:
        raise NotFound(f"no perimeter {perimeter_id}")
    return history[-1]


def overlaps(store: Store, perimeter_id: int, geometry: BaseGeometry) -> tuple[Overlap, ...]:
    """The other perimeters (archived ones left out) that share area with ``geometry``."""
    others = store.perimeters()
    others = others[(others["id"] != perimeter_id) & (others["status"] != "archived")]
    if others.empty:
        return ()
    shared = shapely.area(shapely.intersection(others.geometry.values, geometry))
    whole = shapely.area(others.geometry.values)
    found = [
        Overlap(int(pid), str(name), str(status), float(area), float(size))
        for pid, name, status, area, size in zip(
            others["id"], others["name"], others["status"], shared, whole, strict=True
        )
        if area > 0.5
    ]
    return tuple(sorted(found, key=lambda o: -o.shared_m2))


def counts(store: Store, geometry: BaseGeometry, *, language: str = "nl") -> Counts:
    """Incidents per phenomenon inside ``geometry`` over the latest :data:`COUNT_MONTHS` months."""
    incidents = store.incidents()
    months = available_months(incidents)
    last = choose_range(months, None, None).last
    first = months[max(0, len(months) - COUNT_MONTHS)] if months else last
    period = choose_range(months, first, last)
    one = gpd.GeoDataFrame({"name": ["_"]}, geometry=[geometry], crs=WORKING_CRS)
    table = count_incidents(incidents, one, period="all", start=period.start, end=period.end)
    labels = phenomenon_labels(store, language)
    rows = sorted(
        ((str(c), labels.get(str(c), str(c)), int(n)) for c, n in zip(
            table["phenomenon"], table["count"], strict=True) if n),
        key=lambda r: (-r[2], r[1]),
    )  # fmt: skip
    return Counts(period.first, period.last, tuple(rows))


def actor(user: User) -> str:
    """The audit trail's name for a web user."""
    return f"web:{user.name}"


def _allow(user: User, new_status: str, old_status: str | None) -> None:
    refusal = access.perimeter_edit_refusal(user, new_status, old_status)
    if refusal is not None:
        raise AccessDenied(refusal)


def _detail(notes: tuple[Remark, ...]) -> dict[str, Any]:
    """The audit detail of a save's notes: in English, and as codes a viewer can translate."""
    if not notes:
        return {}
    codes = [{"code": n.code, "params": n.params} for n in notes]
    return {"notes": [str(n) for n in notes], "note_codes": codes}


def _result(
    store: Store, saved: PerimeterVersion, notes: tuple[Remark, ...], language: str
) -> SaveResult:
    return SaveResult(
        saved=saved,
        notes=tuple(notes),
        overlaps=overlaps(store, saved.perimeter_id, saved.geometry),
        counts=counts(store, saved.geometry, language=language),
    )
