"""Table definitions shared by every store backend.

Geometries are kept in EPSG:31370. Incidents keep their coordinates as two numbers (``x``, ``y``)
rather than a geometry: aggregation reads them as arrays and never builds point objects.
Only what the analysis needs is stored — no names, addresses or free text of an incident.
"""

from __future__ import annotations

from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import (
    Column,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeEngine

#: The working CRS's EPSG code: every stored geometry is in it.
SRID = 31370


class _FromWKB(FunctionElement[bytes]):
    """A WKB parameter as written: as is on SQLite, ``ST_GeomFromWKB(…, 31370)`` on PostGIS."""

    type = LargeBinary()
    inherit_cache = True


class _AsWKB(FunctionElement[bytes]):
    """A geometry column as read: as is on SQLite, ``ST_AsBinary(…)`` (WKB) on PostGIS."""

    type = LargeBinary()
    inherit_cache = True


@compiles(_FromWKB)
@compiles(_AsWKB)
def _as_is(element: FunctionElement[bytes], compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_FromWKB, "postgresql")
def _pg_from_wkb(element: FunctionElement[bytes], compiler: Any, **kw: Any) -> str:
    return f"ST_GeomFromWKB({compiler.process(element.clauses, **kw)}, {SRID})"


@compiles(_AsWKB, "postgresql")
def _pg_as_wkb(element: FunctionElement[bytes], compiler: Any, **kw: Any) -> str:
    return f"ST_AsBinary({compiler.process(element.clauses, **kw)})"


class _PostGISGeometry(Geometry):
    """PostGIS's ``geometry(GEOMETRY, 31370)`` column, passing WKB bytes through unchanged.

    GeoAlchemy2 gives the DDL and the reflection; its own value wrapping (``WKBElement``) is
    switched off so both backends hand the store the same plain WKB bytes.
    """

    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None

    def result_processor(self, dialect: Dialect, coltype: object) -> None:
        return None


class Geometry31370(TypeDecorator[bytes]):
    """A geometry in EPSG:31370: a WKB blob on SQLite, ``geometry(GEOMETRY, 31370)`` on PostGIS.

    One column type for every geometry the store keeps, so a table is declared once for both
    backends. Values are plain WKB bytes both ways on every backend (``shapely.to_wkb`` /
    ``shapely.from_wkb``); on PostGIS the conversion happens in SQL, so the server holds real
    geometries that its GiST indexes and ``ST_*`` functions can use.
    """

    impl = LargeBinary
    cache_ok = True
    #: Read by GeoAlchemy2's DDL events: the GiST indexes are declared with the tables instead.
    spatial_index = False

    def load_dialect_impl(self, dialect: Dialect | None) -> TypeEngine[Any]:
        if dialect is None:  # GeoAlchemy2 asks without one: not one of its managed columns
            return LargeBinary()
        if dialect.name == "postgresql":
            return dialect.type_descriptor(_PostGISGeometry(srid=SRID, spatial_index=False))
        return dialect.type_descriptor(LargeBinary())

    def bind_expression(self, bindvalue: Any) -> ColumnElement[bytes]:
        return _FromWKB(bindvalue)

    def column_expression(self, colexpr: Any) -> ColumnElement[bytes]:
        return _AsWKB(colexpr)


metadata = MetaData()

# Written by the stores from before schema revisions (version 1): ``mmm db upgrade`` recognises
# them by it. Schema changes are Alembic revisions now (mmm/store/migrations/versions/).
schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(32), nullable=False),
)

zone = Table(
    "zone",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("geom", Geometry31370(), nullable=False),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
)
# GiST indexes on PostGIS only (a SQLite blob has no spatial index to give).
Index("ix_zone_geom", zone.c.geom, postgresql_using="gist").ddl_if(dialect="postgresql")

phenomena = Table(
    "phenomena",
    metadata,
    Column("code", String(100), primary_key=True),
    Column("label", String(200), nullable=False),
    # Weight in the multi-phenomenon hotspot score, set from the zone's ZVP priorities.
    Column("weight", Float, nullable=False, default=1.0, server_default="1"),
    # The zone's suppression threshold for this phenomenon (revision 0009); NULL: the
    # MMM_SUPPRESS_* settings decide.
    Column("threshold", Integer, nullable=True),
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # incidents | perimeters | zone | streets
    Column("source", Text, nullable=False),  # file name, never its contents
    Column("actor", String(100), nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("rows_imported", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
)

perimeters = Table(
    "perimeters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("description", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False, default="active"),
    Column("version", Integer, nullable=False, default=1),
    Column("geom", Geometry31370(), nullable=False),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
    Column("start_date", String(10), nullable=True),  # ISO 'YYYY-MM-DD' (editor, revision 0003)
)
Index("ix_perimeters_geom", perimeters.c.geom, postgresql_using="gist").ddl_if(dialect="postgresql")

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(200), nullable=False),
    Column("phenomenon", String(100), ForeignKey("phenomena.code"), nullable=False),
    Column("occurred", String(19), nullable=True),  # ISO 'YYYY-MM-DDTHH:MM:SS'
    Column("x", Float, nullable=False),
    Column("y", Float, nullable=False),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False),
    # The end of the window the incident lies in (``--date-to``; revision 0009), NULL when its
    # moment is known; ``occurred`` is the window's start, which counting by period uses.
    Column("date_to", String(19), nullable=True),  # ISO 'YYYY-MM-DDTHH:MM:SS'
    UniqueConstraint("source_id", name="uq_incidents_source_id"),
)

# The zone's street network (``mmm import streets``; revision 0007): one row per segment, the
# micro-local unit of the segment counts (mmm.counting.segments). A re-import replaces them all.
streets = Table(
    "streets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("segment_id", String(200), nullable=False, unique=True),  # the file's id, or derived
    Column("name", String(200), nullable=False, default=""),  # the street's name ("" unnamed)
    Column("geom", Geometry31370(), nullable=False),  # (multi)line, EPSG:31370
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False),
)
Index("ix_streets_geom", streets.c.geom, postgresql_using="gist").ddl_if(dialect="postgresql")

# The zone's profile (``mmm init``; revision 0009): its name and interface languages. One row.
zone_profile = Table(
    "zone_profile",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("languages", String(50), nullable=False),  # e.g. "nl,fr": the first is the default
    Column("created_at", String(32), nullable=False),
)

labels = Table(
    "labels",
    metadata,
    Column("kind", String(20), primary_key=True),  # phenomenon | perimeter
    Column("key", String(200), primary_key=True),  # phenomenon code or perimeter id
    Column("language", String(5), primary_key=True),  # nl | fr | de | en
    Column("label", String(200), nullable=False),
)

partner_types = Table(
    "partner_types",
    metadata,
    Column("code", String(50), primary_key=True),
)

partners = Table(
    "partners",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("type", String(50), ForeignKey("partner_types.code"), nullable=False),
    Column("contact", String(200), nullable=False, default=""),  # an organisation address
    Column("active", Integer, nullable=False, default=1),
)

assignments = Table(
    "assignments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("partner_id", Integer, ForeignKey("partners.id"), nullable=False),
    Column("perimeter_id", Integer, ForeignKey("perimeters.id"), nullable=False),
    Column("phenomenon", String(100), ForeignKey("phenomena.code"), nullable=False),
    Column("responsibility", String(20), nullable=False),  # lead | contributes | informed
    Column("description", Text, nullable=False, default=""),
    UniqueConstraint("partner_id", "perimeter_id", "phenomenon", name="uq_assignment"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),
    Column("role", String(20), nullable=False),
    Column("partner", String(200), nullable=True),  # the organisation of a partner user
    Column("language", String(5), nullable=False, default="nl"),
    Column("active", Integer, nullable=False, default=1),
    Column("created_at", String(32), nullable=False),
    # Bumped when a password is reset or the user is deactivated: older web sessions end.
    Column("session_epoch", Integer, nullable=False, default=0, server_default="0"),
)

# One row per web login (mmm.access.sessions): the cookie carries a random token whose SHA-256 is
# the key; logging out sets ended_at, so the old cookie is refused.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("session_epoch", Integer, nullable=False),  # the user's epoch at login
    Column("started_at", String(32), nullable=False),
    Column("ended_at", String(32), nullable=True),
)

# One row per API token (mmm.access.tokens; revision 0008): a script or QGIS sends the token in
# ``Authorization: Bearer …`` and acts as its user. Only the secret's SHA-256 is kept; revoking
# sets revoked_at, and the row stays for the audit trail.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),  # what it is for, e.g. "QGIS laptop"
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("revoked_at", String(32), nullable=True),
    Column("last_used_at", String(32), nullable=True),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(50), nullable=False),
    Column("entity", String(50), nullable=False),
    Column("entity_id", String(100), nullable=True),
    Column("detail", Text, nullable=False, default=""),  # counts and names, no personal data
)

# -- action plans, PDCA cycles and survey results (mmm.plans) ---------------------------------
# One plan per perimeter per ZVP period; dates are ISO 'YYYY-MM-DD' strings like every date the
# store keeps. Every editable row carries a version: a stale edit is refused (mmm.errors).
action_plans = Table(
    "action_plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("perimeter_id", Integer, ForeignKey("perimeters.id"), nullable=False),
    Column("zvp_period", String(20), nullable=False),  # e.g. "2025-2030"
    Column("title", String(200), nullable=False),
    Column("zvp_objective", Text, nullable=False, default=""),  # the objective it serves
    Column("starts_on", String(10), nullable=False),
    Column("ends_on", String(10), nullable=False),
    Column("status", String(20), nullable=False, default="draft"),  # draft | active | closed
    # The sections of the ZVP action-plan template (free text).
    Column("problem", Text, nullable=False, default=""),
    Column("objective_analysis", Text, nullable=False, default=""),
    Column("subjective_analysis", Text, nullable=False, default=""),
    Column("preventive", Text, nullable=False, default=""),
    Column("repressive", Text, nullable=False, default=""),
    Column("victims", Text, nullable=False, default=""),
    Column("communication", Text, nullable=False, default=""),
    Column("involvement", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", String(32), nullable=False),
    UniqueConstraint("perimeter_id", "zvp_period", name="uq_action_plan_period"),
)

plan_phenomena = Table(
    "plan_phenomena",
    metadata,
    Column("plan_id", Integer, ForeignKey("action_plans.id"), primary_key=True),
    Column("phenomenon", String(100), ForeignKey("phenomena.code"), primary_key=True),
)

plan_actions = Table(
    "plan_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, ForeignKey("action_plans.id"), nullable=False),
    Column("title", String(300), nullable=False),
    Column("approach", String(20), nullable=False),  # preventive | repressive | victims | …
    Column("owner_id", Integer, ForeignKey("partners.id"), nullable=False),
    Column("starts_on", String(10), nullable=False),
    Column("ends_on", String(10), nullable=False),
    Column("status", String(20), nullable=False, default="planned"),
    Column("version", Integer, nullable=False, default=1),
)

plan_resources = Table(
    "plan_resources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, ForeignKey("action_plans.id"), nullable=False),
    Column("partner_id", Integer, ForeignKey("partners.id"), nullable=False),
    Column("hours_per_month", Float, nullable=False, default=0.0),
    Column("budget_eur", Float, nullable=False, default=0.0),
    Column("note", Text, nullable=False, default=""),
    UniqueConstraint("plan_id", "partner_id", name="uq_plan_resource"),
)

plan_indicators = Table(
    "plan_indicators",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, ForeignKey("action_plans.id"), nullable=False),
    Column("label", String(200), nullable=False),
    Column("kind", String(20), nullable=False),  # incidents (change vs baseline) | survey
    Column("subject", String(100), nullable=False),  # phenomenon code or survey indicator
    Column("comparison", String(10), nullable=False),  # at_most | at_least
    Column("target", Float, nullable=False),
    Column("deadline", String(10), nullable=False),
    Column("version", Integer, nullable=False, default=1),
)

plan_cycles = Table(
    "plan_cycles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, ForeignKey("action_plans.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("period_start", String(10), nullable=False),  # the period the Check evaluates
    Column("period_end", String(10), nullable=False),
    Column("planned_check", String(10), nullable=False),  # the scheduled evaluation moment
    Column("control", String(200), nullable=False, default="zone"),  # or a perimeter name
    Column("buffer_m", Float, nullable=False, default=250.0),
    Column("status", String(20), nullable=False, default="planned"),  # planned…closed
    Column("started_on", String(10), nullable=True),
    Column("checked_on", String(10), nullable=True),
    Column("acted_on", String(10), nullable=True),
    Column("closed_on", String(10), nullable=True),
    Column("evaluation", Text, nullable=True),  # the Check's EvaluationReport as JSON
    Column("findings", Text, nullable=False, default=""),
    Column("adjustments", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("plan_id", "number", name="uq_plan_cycle_number"),
)

survey_results = Table(
    "survey_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("perimeter_id", Integer, ForeignKey("perimeters.id"), nullable=False),
    Column("period", String(21), nullable=False),  # as written: 2025, 2025-Q2, 2025-03…
    Column("period_start", String(10), nullable=False),
    Column("period_end", String(10), nullable=False),
    Column("indicator", String(100), nullable=False),  # e.g. feeling_unsafe
    Column("value", Float, nullable=False),
    Column("unit", String(10), nullable=False),  # percent | count | score
    Column("respondents", Integer, nullable=True),
    Column("source", String(200), nullable=False, default=""),  # the survey, never a person
    Column("imported_at", String(32), nullable=False),
    UniqueConstraint(
        "perimeter_id", "period_start", "period_end", "indicator", name="uq_survey_result"
    ),
)

# -- perimeter versions (editor; migration 0003) -----------------------------------------------
# Every save of a perimeter (import, create, edit, archive) adds one row here with what the
# perimeter then was: the history a perimeter page shows, and what an optimistic-locking
# conflict names (who changed it, when). Rows are never updated or deleted.
perimeter_versions = Table(
    "perimeter_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("perimeter_id", Integer, ForeignKey("perimeters.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("start_date", String(10), nullable=True),
    Column("geom", Geometry31370(), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("at", String(32), nullable=False),
    Column("area", Float, nullable=False),  # m², EPSG:31370
    UniqueConstraint("perimeter_id", "version", name="uq_perimeter_version"),
)

# -- denominators (rates; migration 0010) --------------------------------------------------------
# What a rate divides by: residents, dwellings… (``kind``). Either a polygon layer (statistical
# sectors: ``geom`` set, areal-weighted onto perimeters and grid cells when a rate is computed)
# or a value per perimeter (``perimeter_id`` set). ``mmm import denominators`` replaces every row
# of one kind in one transaction.
denominators = Table(
    "denominators",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(50), nullable=False),  # residents | dwellings | …
    Column("source_id", String(200), nullable=False),  # the file's feature id or perimeter name
    Column("value", Float, nullable=False),
    Column("geom", Geometry31370(), nullable=True),
    Column("perimeter_id", Integer, ForeignKey("perimeters.id"), nullable=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False),
    UniqueConstraint("kind", "source_id", name="uq_denominator_source"),
)
Index("ix_denominators_geom", denominators.c.geom, postgresql_using="gist").ddl_if(
    dialect="postgresql"
)
