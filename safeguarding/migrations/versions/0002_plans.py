"""Plans: CIN and CP plans of a child, never overlapping.

Revision ID: 0002_plans
Revises: 0001_case_store
Create Date: 2026-11-25

Mirrors the `plans` table of safeguarding/schema.py. A partial unique index keeps at most one open plan
per child, so a CIN plan and a CP plan can never overlap even if two processes race (statutory-rules.md §3, §5).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_plans"
down_revision = "0001_case_store"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("child_id", sa.Text, nullable=False),
        sa.Column("category", sa.Text),
        sa.Column("started_on", sa.Date, nullable=False),
        sa.Column("ended_on", sa.Date),
        sa.Column("end_reason", sa.Text),
        sa.Column("superseded_by", sa.Text),
        sa.Column("previous_plans", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_plans_case_id_cases"),
        sa.ForeignKeyConstraint(["child_id"], ["people.id"], name="fk_plans_child_id_people"),
        sa.UniqueConstraint("workflow_id", "kind", name="uq_plans_workflow_kind"),
    )
    op.create_index(
        "uq_plans_one_open_per_child",
        "plans",
        ["child_id"],
        unique=True,
        postgresql_where=sa.text("ended_on IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_plans_one_open_per_child", table_name="plans")
    op.drop_table("plans")
