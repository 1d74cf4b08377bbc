"""LADO: allegations against people who work with children, the children involved, outcomes.

Revision ID: 0003_lado
Revises: 0002_plans
Create Date: 2026-11-25

An allegation is a case of its own (statutory-rules.md §6: the subject is an adult in a position of
trust, and the children involved keep their own cases). So every process table's foreign key to
`cases` holds for the LADO's process too, `cases` gains a `kind`, and only a child's case has a child:
`child_id` becomes nullable under a check constraint. Existing rows are children's cases (the default).

Mirrors safeguarding/schema.py (tests/test_migrations.py checks that they agree). Constraint names are
spelled out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_lado"
down_revision = "0002_plans"
branch_labels = None
depends_on = None

CASE_KIND_CHECK = "ck_cases_child_when_kind_child"


def upgrade() -> None:
    """Let a case be an allegation's, and add the allegation, its children and its outcome."""
    op.add_column("cases", sa.Column("kind", sa.Text, nullable=False, server_default="child"))
    op.alter_column("cases", "child_id", existing_type=sa.Text, nullable=True)
    op.create_check_constraint(op.f(CASE_KIND_CHECK), "cases", "(kind = 'child') = (child_id IS NOT NULL)")
    op.create_table(
        "lado_allegations",
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("subject_id", sa.Text, nullable=False),
        sa.Column("subject_role", sa.Text, nullable=False),
        sa.Column("subject_is_teacher", sa.Boolean, nullable=False),
        sa.Column("employer", sa.Text, nullable=False),
        sa.Column("setting", sa.Text, nullable=False),
        sa.Column("agency", sa.Text),
        sa.Column("what_happened", sa.Text, nullable=False),
        sa.Column("happened_on", sa.Date),
        sa.Column("came_to_attention_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action_taken", sa.Text, nullable=False),
        sa.Column("notifier_kind", sa.Text, nullable=False),
        sa.Column("notifier_name", sa.Text, nullable=False),
        sa.Column("notifier_organisation", sa.Text),
        sa.Column("notifier_email", sa.Text),
        sa.Column("notifier_phone", sa.Text),
        sa.Column("notification_method", sa.Text, nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("case_id", name="pk_lado_allegations"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_lado_allegations_case_id_cases"),
        sa.ForeignKeyConstraint(["subject_id"], ["people.id"], name="fk_lado_allegations_subject_id_people"),
    )
    op.create_table(
        "lado_children",
        sa.Column("allegation_case_id", sa.Text, nullable=False),
        sa.Column("child_case_id", sa.Text, nullable=False),
        sa.Column("referred_at", sa.DateTime(timezone=True)),
        sa.Column("strategy_discussion_workflow_id", sa.Text),
        sa.PrimaryKeyConstraint("allegation_case_id", "child_case_id", name="pk_lado_children"),
        sa.ForeignKeyConstraint(
            ["allegation_case_id"],
            ["lado_allegations.case_id"],
            name="fk_lado_children_allegation_case_id_lado_allegations",
        ),
        sa.ForeignKeyConstraint(["child_case_id"], ["cases.id"], name="fk_lado_children_child_case_id_cases"),
    )
    op.create_table(
        "lado_outcomes",
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dbs_referral_required", sa.Boolean, nullable=False),
        sa.Column("regulator_referral_required", sa.Boolean, nullable=False),
        sa.Column("retention", sa.Text, nullable=False),
        sa.Column("retain_until", sa.Date),
        sa.Column("retention_basis", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("case_id", name="pk_lado_outcomes"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["lado_allegations.case_id"], name="fk_lado_outcomes_case_id_lado_allegations"
        ),
    )


def downgrade() -> None:
    """Remove the LADO tables and make every case a child's again.

    Refused (NOT NULL fails) while an allegation's case exists: its chronology is append-only, so its
    cases cannot be removed silently.
    """
    op.drop_table("lado_outcomes")
    op.drop_table("lado_children")
    op.drop_table("lado_allegations")
    op.drop_constraint(op.f(CASE_KIND_CHECK), "cases", type_="check")
    op.alter_column("cases", "child_id", existing_type=sa.Text, nullable=False)
    op.drop_column("cases", "kind")
