"""Table definitions shared by every store backend.

Geometries are kept in EPSG:31370. Incidents keep their coordinates as two numbers (``x``, ``y``)
rather than a geometry: aggregation reads them as arrays and never builds point objects.
Only what the analysis needs is stored — no names, addresses or free text of an incident.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

#: Bump when the schema changes; a migration then upgrades older stores.
SCHEMA_VERSION = 1

metadata = MetaData()

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
    Column("geom", LargeBinary, nullable=False),  # WKB, EPSG:31370
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
)

phenomena = Table(
    "phenomena",
    metadata,
    Column("code", String(100), primary_key=True),
    Column("label", String(200), nullable=False),
    # Weight in the multi-phenomenon hotspot score, set from the zone's ZVP priorities.
    Column("weight", Float, nullable=False, default=1.0, server_default="1"),
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # incidents | perimeters | zone | demo
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
    Column("geom", LargeBinary, nullable=False),  # WKB, EPSG:31370
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
)

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
    UniqueConstraint("source_id", name="uq_incidents_source_id"),
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
