"""Words that come from data codes, marked here so they get translated.

The core keeps short English codes (roles, statuses, partner types, audit actions, geometry
refusals…): files, the API and other tools use them. Whatever a person reads goes through one
of the tables or functions below, so no code reaches a page in the wrong language; a code the
table does not know (a partner type a zone added) is shown in words rather than with
underscores. Numbers inside a sentence are formatted for the reader's language by Babel.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from babel.dates import format_date, format_time
from flask_babel import force_locale, format_decimal, format_number, get_locale, ngettext
from flask_babel import lazy_gettext as _l

from mmm.access.audit_view import LOCAL_TIME
from mmm.access.vocabulary import LANGUAGES, PURPOSES
from mmm.errors import CRSMissing, ImportRejected
from mmm.io import validate
from mmm.limits import DESCRIPTION_CHARS, MAX_VERTICES, NAME_CHARS

ROLE_NAMES = {
    "admin": _l("administrator"),
    "analyst": _l("analyst"),
    "officer": _l("neighbourhood officer"),
    "partner": _l("partner"),
    "dpo": _l("data protection officer"),
}
STATUS_NAMES = {"proposed": _l("proposed"), "active": _l("active"), "archived": _l("archived")}
DATASET_NAMES = {"perimeters": _l("Perimeters"), "counts": _l("Counts per perimeter")}
#: A partner's part in a perimeter × phenomenon (codes: mmm.access.partners.RESPONSIBILITIES).
RESPONSIBILITY_NAMES = {
    "lead": _l("lead"),
    "contributes": _l("contributes"),
    "informed": _l("informed"),
}
#: The partner types every zone starts with (codes: mmm.access.partners.DEFAULT_TYPES).
PARTNER_TYPE_NAMES = {
    "police": _l("Police"),
    "municipality": _l("Municipality"),
    "prevention_service": _l("Prevention service"),
    "social_services": _l("Social services (OCMW/CPAS)"),
    "housing_company": _l("Housing company"),
    "school": _l("School"),
    "youth_work": _l("Youth work"),
    "street_work": _l("Street work"),
    "public_prosecutor": _l("Public prosecutor"),
    "shopkeepers": _l("Shopkeepers"),
    "other": _l("Other"),
}

#: Why incident-level data is viewed or exported (codes: mmm.access.audit.PURPOSES).
_PURPOSE_NAMES = {
    "analysis": _l("Crime analysis"),
    "operations": _l("Operational follow-up"),
    "meeting": _l("Preparing a partner meeting"),
    "evaluation": _l("Evaluation of an action plan (PDCA)"),
    "judicial": _l("Request of the public prosecutor"),
}


def purpose_names() -> dict[str, str]:
    """Purpose code → label in the user's language, in the order of mmm.access.audit.PURPOSES."""
    return {code: str(_PURPOSE_NAMES[code]) for code in PURPOSES}


def in_words(code: str) -> str:
    """A code no table knows (one a zone added), readable: ``sports_club`` → ``sports club``."""
    return code.replace("_", " ")


def name_of(table: Mapping[str, Any], code: str) -> str:
    """``code``'s name in ``table`` (translated), else the code in words."""
    known = table.get(code)
    return str(known) if known is not None else in_words(code)


def in_every_language(table: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """A table of code → name in every interface language, for the label columns of a file
    (:func:`mmm.access.labels.label_columns`)."""
    found = {}
    for language in LANGUAGES:
        with force_locale(language):
            found[language] = {code: str(name) for code, name in table.items()}
    return found


def partner_type_choices(types: list[str]) -> list[tuple[str, str]]:
    """(code, name) pairs for a select of partner types, in the order given."""
    return [(code, name_of(PARTNER_TYPE_NAMES, code)) for code in types]


def number(value: float, decimals: int = 0) -> str:
    """``value`` with ``decimals`` decimals and the reader's separators (9,94 · 15.355 in nl)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(value, format=pattern))


def local_time(at: str | datetime) -> str:
    """A stored time (ISO 8601, UTC) as the zone's local date and time, in the reader's
    format, for one line: ``06-12-2026 04:14:46`` in Dutch, ``06.12.26, 04:14:46`` in German."""
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    local = moment.astimezone(LOCAL_TIME)
    locale = get_locale()
    day = format_date(local, "short", locale=locale)
    return f"{day} {format_time(local, 'medium', tzinfo=LOCAL_TIME, locale=locale)}"


#: Why a drawn geometry is refused (codes: mmm.perimeters.geometry.REFUSALS).
GEOMETRY_REFUSALS = {
    "no_geometry": _l("The perimeter has no geometry: draw a polygon first."),
    "unreadable": _l("The geometry cannot be read as GeoJSON."),
    "empty": _l("The geometry is empty: draw a polygon first."),
    "not_numbers": _l("The geometry has coordinates that are not numbers."),
    "not_lonlat": _l(
        "The coordinates are not longitude/latitude (EPSG:4326): GeoJSON wants "
        "[longitude, latitude] in degrees."
    ),
    "not_polygon": _l("A perimeter must be a polygon or a multipolygon, not a %(kind)s."),
    "too_many_vertices": _l(
        "The outline has %(count)s vertices, more than the %(limit)s a perimeter may have: "
        "simplify it."
    ),
    "bow_tie": _l(
        "The outline crosses itself (a bow-tie): move a vertex so that no two edges cross."
    ),
    "unrepairable": _l("The geometry is invalid (%(what)s) and cannot be repaired."),
    "repair_changes_area": _l(
        "The geometry is invalid (%(what)s) and repairing it would change the area by "
        "%(pct)s %% (1 %% at most): redraw it around the marked point."
    ),
    "sliver": _l(
        "Part %(part)s of %(parts)s is a sliver, narrower than %(width)s m everywhere "
        "(%(area)s m²): remove it or draw it wider."
    ),
    "sliver_whole": _l(
        "It is a sliver, narrower than %(width)s m everywhere (%(area)s m²): draw it wider."
    ),
    "outside_zone": _l(
        "It lies %(km)s km outside the zone: a perimeter must lie inside the zone or touch it."
    ),
    "outside_zone_swapped": _l(
        "It lies %(km)s km outside the zone; longitude and latitude seem swapped: GeoJSON "
        "wants [longitude, latitude]."
    ),
    "area_too_small": _l("Its area, %(area)s m², is below the minimum of %(min)s m²."),
    "area_too_large": _l("Its area, %(km2)s km², is above the maximum of %(max)s km²."),
    "invalid": _l("The geometry cannot be stored."),
}
#: What was done to a saved geometry (codes: mmm.perimeters.geometry.NOTES and edit.py's).
GEOMETRY_NOTES = {
    "z_dropped": _l("Height (z) coordinates were dropped: perimeters are flat."),
    "repaired": _l("Repaired: %(what)s; the area changed by %(pct)s %%."),
    "no_zone": _l("No zone outline is stored: not checked against the zone."),
    "partly_outside": _l("%(pct)s %% of it lies outside the zone."),
    "split_off": _l("Split off from %(name)s."),
    "adopted": _l("Adopted from a hotspot candidate."),
}
#: GEOS's names of what is wrong with a geometry (``shapely.is_valid_reason``, lower case).
GEOS_DEFECTS = {
    "self-intersection": _l("the outline touches or crosses itself"),
    "ring self-intersection": _l("a ring touches itself at a point"),
    "hole lies outside shell": _l("a hole lies outside the outline"),
    "holes are nested": _l("holes lie inside each other"),
    "interior is disconnected": _l("the inside falls apart in pieces"),
    "nested shells": _l("parts lie inside each other"),
    "too few points": _l("too few vertices"),
    "invalid coordinate": _l("an invalid coordinate"),
    "ring is not closed": _l("a ring is not closed"),
    "duplicate rings": _l("two rings are the same"),
}
#: Decimals of each number parameter of the geometry messages (a percentage: see _PERCENT).
_DECIMALS = {"km": 1, "km2": 2, "max": 2, "pct": 1, "area": 0, "min": 0, "width": 0}
_PERCENT = {"partly_outside": 0, "repaired": 2}


def geometry_message(code: str, params: Mapping[str, Any], *, note: bool = False) -> str:
    """A geometry refusal (or, with ``note``, a remark about a saved geometry) in the reader's
    language, its numbers formatted by Babel and GEOS's defect named in words."""
    if note and code == "repeated_removed":
        n = int(params.get("n", 0))
        return ngettext("%(num)d repeated vertex removed.", "%(num)d repeated vertices removed.", n)
    if code == "sliver" and params.get("parts") == 1:
        code = "sliver_whole"
    table = GEOMETRY_NOTES if note else GEOMETRY_REFUSALS
    template = table.get(code) or GEOMETRY_REFUSALS["invalid"]
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if key == "what":
            shown[key] = name_of(GEOS_DEFECTS, str(value))
        elif isinstance(value, bool) or not isinstance(value, int | float):
            shown[key] = value
        elif key == "pct":
            shown[key] = number(value, _PERCENT.get(code, _DECIMALS[key]))
        elif key in _DECIMALS:
            shown[key] = number(value, _DECIMALS[key])
        else:
            shown[key] = format_number(value)
    return str(template) % shown


def geometry_refusal(error: Any) -> str:
    """The translated sentence of a :class:`mmm.perimeters.geometry.GeometryRefused`."""
    return geometry_message(error.code, error.params)


def geometry_note(remark: Any) -> str:
    """The translated sentence of a :class:`mmm.perimeters.geometry.Remark` (plain text as is)."""
    code = getattr(remark, "code", None)
    return str(remark) if code is None else geometry_message(code, remark.params, note=True)


#: Why an imported file's row is rejected (mmm.io.validate's reasons: English, as the rejects
#: CSV and the CLI keep them; the upload page shows them in the reader's language).
IMPORT_REASONS = {
    validate.MISSING_COORDINATES: _l("missing coordinates"),
    validate.NON_NUMERIC_COORDINATES: _l("coordinates that are not numbers"),
    validate.EMPTY_GEOMETRY: _l("empty geometry"),
    "unreadable WKT": _l("geometry (WKT) that cannot be read"),
    validate.NOT_A_POINT: _l("not a point"),
    validate.NOT_A_POLYGON: _l("not a polygon"),
    validate.UNREPAIRABLE: _l("invalid geometry that cannot be repaired"),
    validate.OUTSIDE_CRS: _l("coordinates outside the area of the coordinate system"),
    validate.OUTSIDE_ZONE: _l("outside the zone"),
    validate.MISSING_PHENOMENON: _l("missing phenomenon"),
    validate.UNPARSEABLE_DATE: _l("date that cannot be read"),
    validate.MISSING_ID: _l("missing id"),
    validate.DUPLICATE_ID_IN_FILE: _l("id twice in the file"),
    validate.DUPLICATE_ID_STORED: _l("id already stored"),
    validate.MISSING_NAME: _l("missing name"),
    validate.DUPLICATE_NAME_IN_FILE: _l("name twice in the file"),
    validate.DUPLICATE_NAME_STORED: _l("name already stored"),
    validate.LONG_NAME: _l("name longer than %(n)s characters"),
    validate.CONTROL_IN_NAME: _l("control character in the name"),
    validate.LONG_DESCRIPTION: _l("description longer than %(n)s characters"),
    validate.CONTROL_IN_DESCRIPTION: _l("control character in the description"),
    validate.CONTROL_IN_PHENOMENON: _l("control character in the phenomenon"),
    validate.TOO_MANY_VERTICES: _l("more than %(n)s vertices"),
    validate.UNPARSEABLE_END_DATE: _l("end date that cannot be read"),
    validate.END_WITHOUT_START: _l("end date without a start date"),
    validate.END_BEFORE_START: _l("end date before the start date"),
}
#: The limit each reason with a number names.
_REASON_LIMITS = {
    validate.LONG_NAME: NAME_CHARS,
    validate.LONG_DESCRIPTION: DESCRIPTION_CHARS,
    validate.TOO_MANY_VERTICES: MAX_VERTICES,
}
#: What an import noticed about rows it kept (codes: mmm.io.imports.ImportReport.facts).
IMPORT_FACTS = {
    "repaired": _l("The invalid geometry of %(name)s (row %(row)s) was repaired."),
    "overlap": _l(
        "%(first)s and %(second)s overlap over %(area)s m² (allowed: incidents there count in "
        "both)."
    ),
}


def import_reason(reason: str) -> str:
    """A rejected row's reason in the reader's language (one no table knows: as written)."""
    known = IMPORT_REASONS.get(reason)
    if known is None:
        return reason
    limit = _REASON_LIMITS.get(reason)
    return str(known) if limit is None else str(known) % {"n": number(limit)}


def import_fact(code: str, params: Mapping[str, Any]) -> str:
    """A note of an import (:attr:`mmm.io.imports.ImportReport.facts`) in the reader's
    language, its numbers formatted by Babel."""
    shown = {k: number(v) if isinstance(v, float) else v for k, v in params.items()}
    return str(IMPORT_FACTS[code]) % shown


#: Why a whole uploaded file is refused, by the start of the core's (English) message after
#: the file's name; the core's messages name CLI flags, which a web page has none of.
_FILE_REFUSALS = (
    ("cannot read the file", _l("%(file)s cannot be read: upload a GeoJSON, a GeoPackage or a "
                                "zipped Shapefile.")),
    ("has no geometry", _l("%(file)s has no geometry: upload a GeoJSON, a GeoPackage or a "
                           "zipped Shapefile of polygons.")),
    ("no name column found", _l("%(file)s has no column with the perimeters' names (name, "
                                "naam or nom).")),
    ("layers", _l("%(file)s holds several layers: upload a file with one layer of "
                  "perimeters.")),
)  # fmt: skip


def import_refusal(error: ImportRejected, file: str) -> str:
    """Why the upload ``file`` was refused as a whole, in the reader's language."""
    if isinstance(error, CRSMissing):
        return str(
            _l(
                "%(file)s does not say which coordinate system it uses: save it with its CRS, "
                "e.g. EPSG:31370 (Belgian Lambert 72) or EPSG:4326 (GPS)."
            )
        ) % {"file": file}
    text = str(error)
    for start, sentence in _FILE_REFUSALS:
        if start in text:
            return str(sentence) % {"file": file}
    return str(_l("%(file)s cannot be imported: %(reason)s")) % {"file": file, "reason": text}
