"""Family group conferences: the referral's questions and bottom lines, participants, plans, the child's voice.

Revision ID: 0004_family_group_conference
Revises: 0003_lado
Create Date: 2026-11-25

Mirrors the family group conference tables of safeguarding/schema.py (statutory-rules.md §7).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_family_group_conference"
down_revision = "0003_lado"
branch_labels = None
depends_on = None


def created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    op.create_table(
        "fgc_referrals",
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("referrer_id", sa.Text, nullable=False),
        sa.Column("questions", sa.ARRAY(sa.Text), nullable=False),
        sa.Column("bottom_lines", sa.ARRAY(sa.Text), nullable=False),
        created_at(),
        sa.PrimaryKeyConstraint("workflow_id", name="pk_fgc_referrals"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_fgc_referrals_case_id_cases"),
    )
    op.create_table(
        "fgc_participants",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("invitation", sa.Integer, nullable=False),
        sa.Column("participant_key", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("person_id", sa.Text),
        sa.Column("practitioner_id", sa.Text),
        sa.Column("meeting", sa.Integer, nullable=False),
        sa.Column("interpreter_language", sa.Text),
        sa.Column("excluded_from_private_time", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("exclusion_reason", sa.Text),
        created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_fgc_participants"),
        sa.UniqueConstraint("workflow_id", "invitation", "participant_key", name="uq_fgc_participants_workflow_key"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_fgc_participants_case_id_cases"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_fgc_participants_person_id_people"),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["practitioners.id"], name="fk_fgc_participants_practitioner_id_practitioners"
        ),
    )
    op.create_table(
        "fgc_plans",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("plan_text", sa.Text, nullable=False),
        sa.Column("submitted_by", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreed", sa.Boolean),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("not_agreed_reason", sa.Text),
        created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_fgc_plans"),
        sa.UniqueConstraint("workflow_id", "version", name="uq_fgc_plans_workflow_version"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_fgc_plans_case_id_cases"),
    )
    op.create_table(
        "fgc_child_voice",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("entry_key", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("words", sa.Text, nullable=False),
        sa.Column("through_advocate", sa.Boolean, nullable=False),
        sa.Column("heard_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Text, nullable=False),
        created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_fgc_child_voice"),
        sa.UniqueConstraint("workflow_id", "entry_key", name="uq_fgc_child_voice_workflow_key"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_fgc_child_voice_case_id_cases"),
    )


def downgrade() -> None:
    for table in ("fgc_child_voice", "fgc_plans", "fgc_participants", "fgc_referrals"):
        op.drop_table(table)
