"""Action plans (one per perimeter per ZVP period), their phenomena, actions, resources,
SMART targets and PDCA cycles, and the survey figures of the subjective monitoring.

New tables only: existing stores keep every row; a downgrade drops the tables (and so the
plans written since).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "action_plans",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("perimeter_id", sa.Integer(), sa.ForeignKey("perimeters.id"), nullable=False),
        sa.Column("zvp_period", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        _text("zvp_objective"),
        sa.Column("starts_on", sa.String(10), nullable=False),
        sa.Column("ends_on", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="draft"),
        *[
            _text(name)
            for name in (
                "problem",
                "objective_analysis",
                "subjective_analysis",
                "preventive",
                "repressive",
                "victims",
                "communication",
                "involvement",
            )
        ],  # fmt: skip
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("perimeter_id", "zvp_period", name="uq_action_plan_period"),
    )
    op.create_table(
        "plan_phenomena",
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("action_plans.id"), primary_key=True),
        sa.Column("phenomenon", sa.String(100), sa.ForeignKey("phenomena.code"), primary_key=True),
    )
    op.create_table(
        "plan_actions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("action_plans.id"), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("approach", sa.String(20), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("partners.id"), nullable=False),
        sa.Column("starts_on", sa.String(10), nullable=False),
        sa.Column("ends_on", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="planned"),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_table(
        "plan_resources",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("action_plans.id"), nullable=False),
        sa.Column("partner_id", sa.Integer(), sa.ForeignKey("partners.id"), nullable=False),
        sa.Column("hours_per_month", sa.Float(), nullable=False, server_default="0"),
        sa.Column("budget_eur", sa.Float(), nullable=False, server_default="0"),
        _text("note"),
        sa.UniqueConstraint("plan_id", "partner_id", name="uq_plan_resource"),
    )
    op.create_table(
        "plan_indicators",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("action_plans.id"), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("comparison", sa.String(10), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("deadline", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_table(
        "plan_cycles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("action_plans.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.String(10), nullable=False),
        sa.Column("period_end", sa.String(10), nullable=False),
        sa.Column("planned_check", sa.String(10), nullable=False),
        sa.Column("control", sa.String(200), nullable=False, server_default="zone"),
        sa.Column("buffer_m", sa.Float(), nullable=False, server_default="250"),
        sa.Column("status", sa.String(20), nullable=False, server_default="planned"),
        sa.Column("started_on", sa.String(10), nullable=True),
        sa.Column("checked_on", sa.String(10), nullable=True),
        sa.Column("acted_on", sa.String(10), nullable=True),
        sa.Column("closed_on", sa.String(10), nullable=True),
        sa.Column("evaluation", sa.Text(), nullable=True),
        _text("findings"),
        _text("adjustments"),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.UniqueConstraint("plan_id", "number", name="uq_plan_cycle_number"),
    )
    op.create_table(
        "survey_results",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("perimeter_id", sa.Integer(), sa.ForeignKey("perimeters.id"), nullable=False),
        sa.Column("period", sa.String(21), nullable=False),
        sa.Column("period_start", sa.String(10), nullable=False),
        sa.Column("period_end", sa.String(10), nullable=False),
        sa.Column("indicator", sa.String(100), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(200), nullable=False, server_default=""),
        sa.Column("imported_at", sa.String(32), nullable=False),
        sa.UniqueConstraint(
            "perimeter_id", "period_start", "period_end", "indicator", name="uq_survey_result"
        ),
    )


def downgrade() -> None:
    for table in (
        "survey_results", "plan_cycles", "plan_indicators", "plan_resources", "plan_actions",
        "plan_phenomena", "action_plans",
    ):  # fmt: skip
        op.drop_table(table)
