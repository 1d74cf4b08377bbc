"""Professional disagreements and the partnership's escalation log.

Revision ID: 0005_disagreements
Revises: 0004_family_group_conference
Create Date: 2026-11-25

The escalation log (statutory-rules.md §8: the partnership keeps a log of escalations), the safeguarding
partnerships whose business unit is told when a disagreement reaches them, and each team's duty manager,
alerted at once when a child is said to be at immediate risk.

Mirrors safeguarding/schema.py (tests/test_migrations.py checks that they agree). Constraint names are
spelled out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_disagreements"
down_revision = "0004_family_group_conference"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the partnerships, the duty managers and the escalation log."""
    op.create_table(
        "safeguarding_partnerships",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("mailbox", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_safeguarding_partnerships"),
    )
    op.create_table(
        "duty_managers",
        sa.Column("team_id", sa.Text, nullable=False),
        sa.Column("practitioner_id", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("team_id", name="pk_duty_managers"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_duty_managers_team_id_teams"),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["practitioners.id"], name="fk_duty_managers_practitioner_id_practitioners"
        ),
    )
    op.create_table(
        "disagreements",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("team_id", sa.Text, nullable=False),
        sa.Column("partnership_id", sa.Text, nullable=False),
        sa.Column("about_workflow_id", sa.Text, nullable=False),
        sa.Column("about_key", sa.Text, nullable=False),
        sa.Column("about_process", sa.Text),
        sa.Column("about_outcome", sa.Text),
        sa.Column("raised_by_id", sa.Text, nullable=False),
        sa.Column("raised_by_role", sa.Text, nullable=False),
        sa.Column("immediate_risk", sa.Boolean, nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at_stage", sa.Text, nullable=False),
        sa.Column("stage_reached", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("changed_to", sa.Text),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_disagreements"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_disagreements_case_id_cases"),
        sa.UniqueConstraint("workflow_id", name="uq_disagreements_workflow_id"),
    )
    op.create_index("ix_disagreements_partnership_raised", "disagreements", ["partnership_id", "raised_at"])


def downgrade() -> None:
    """Remove the escalation log, the duty managers and the partnerships."""
    op.drop_index("ix_disagreements_partnership_raised", table_name="disagreements")
    for table in ("disagreements", "duty_managers", "safeguarding_partnerships"):
        op.drop_table(table)
