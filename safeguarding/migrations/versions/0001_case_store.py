"""Create the case store: teams, people, cases, process records, tasks, deadlines, an append-only chronology.

Revision ID: 0001_case_store
Revises:
Create Date: 2026-11-25

Mirrors safeguarding/schema.py as of this revision (tests/test_migrations.py checks that they agree).
Constraint names are spelled out rather than derived from the metadata's naming convention, so this
file means the same thing whatever the convention becomes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_case_store"
down_revision = None
branch_labels = None
depends_on = None

# The chronology is the case's legal record: rows are added, never changed or removed (schema.py).
APPEND_ONLY_FUNCTION = """
CREATE FUNCTION chronology_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the chronology is append-only: % of entry % refused', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER chronology_append_only
BEFORE UPDATE OR DELETE ON chronology
FOR EACH ROW EXECUTE FUNCTION chronology_refuse_change()
"""


def created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("given_name", sa.Text, nullable=False),
        sa.Column("family_name", sa.Text, nullable=False),
        sa.Column("date_of_birth", sa.Date),
        sa.Column("expected_birth_date", sa.Date),
        sa.Column("nhs_number", sa.Text),
        sa.Column("address", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("phone", sa.Text),
        created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
    )
    op.create_table(
        "teams",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("service_manager_id", sa.Text),
        sa.Column("mailbox", sa.Text),
        created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_teams"),
    )
    op.create_table(
        "practitioners",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("given_name", sa.Text, nullable=False),
        sa.Column("family_name", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("phone", sa.Text),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("agency", sa.Text, nullable=False, server_default="social_care"),
        sa.Column("team_id", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
        created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_practitioners"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_practitioners_team_id_teams"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("reference", sa.Text, nullable=False),
        sa.Column("child_id", sa.Text, nullable=False),
        sa.Column("team_id", sa.Text, nullable=False),
        sa.Column("allocated_practitioner_id", sa.Text),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("closure_reason", sa.Text),
        created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("reference", name="uq_cases_reference"),
        sa.ForeignKeyConstraint(["child_id"], ["people.id"], name="fk_cases_child_id_people"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_cases_team_id_teams"),
        sa.ForeignKeyConstraint(
            ["allocated_practitioner_id"],
            ["practitioners.id"],
            name="fk_cases_allocated_practitioner_id_practitioners",
        ),
    )
    op.create_table(
        "case_members",
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("person_id", sa.Text, nullable=False),
        sa.Column("relationship", sa.Text, nullable=False),
        sa.Column("parental_responsibility", sa.Boolean, nullable=False, server_default="false"),
        sa.PrimaryKeyConstraint("case_id", "person_id", name="pk_case_members"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_members_case_id_cases"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_case_members_person_id_people"),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("referrer_name", sa.Text),
        sa.Column("referrer_email", sa.Text),
        sa.Column("referrer_organisation", sa.Text),
        sa.Column("summary", sa.Text, nullable=False),
        created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_contacts_case_id_cases"),
    )
    op.create_table(
        "process_records",
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("process", sa.Text, nullable=False),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("team_id", sa.Text, nullable=False),
        sa.Column("profile_ref", sa.Text, nullable=False),
        sa.Column("responsible_id", sa.Text),
        sa.Column("outcome", sa.Text),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("workflow_id", name="pk_process_records"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_process_records_case_id_cases"),
    )
    op.create_table(
        "hand_offs",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("to_process", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("target_workflow_id", sa.Text),
        created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_hand_offs"),
        sa.UniqueConstraint("workflow_id", "to_process", name="uq_hand_offs_workflow_process"),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["process_records.workflow_id"],
            name="fk_hand_offs_workflow_id_process_records",
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_hand_offs_case_id_cases"),
    )
    op.create_table(
        "human_tasks",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("task_key", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("team_id", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("allowed_roles", sa.ARRAY(sa.Text), nullable=False),
        sa.Column("assignee_id", sa.Text),
        sa.Column("due_date", sa.Date),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_human_tasks"),
        sa.UniqueConstraint("workflow_id", "task_key", name="uq_human_tasks_workflow_key"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_human_tasks_case_id_cases"),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("decision_key", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("actor_id", sa.Text, nullable=False),
        sa.Column("actor_role", sa.Text, nullable=False),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("rationale", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
        sa.UniqueConstraint("workflow_id", "decision_key", name="uq_decisions_workflow_key"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_decisions_case_id_cases"),
    )
    op.create_table(
        "deadlines",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("deadline_key", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("team_id", sa.Text, nullable=False),
        sa.Column("rule_id", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True)),
        sa.Column("passes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("basis", sa.Text, nullable=False),
        sa.Column("citation", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("met_on", sa.Date),
        sa.Column("reasons", sa.Text),
        sa.Column("responsible_id", sa.Text),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_deadlines"),
        sa.UniqueConstraint("workflow_id", "deadline_key", name="uq_deadlines_workflow_key"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_deadlines_case_id_cases"),
    )
    op.create_table(
        "chronology",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("entry_key", sa.Text, nullable=False),
        sa.Column("event", sa.Text, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("actor_id", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_chronology"),
        sa.UniqueConstraint("workflow_id", "entry_key", name="uq_chronology_workflow_key"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_chronology_case_id_cases"),
    )
    op.execute(APPEND_ONLY_FUNCTION)
    op.execute(APPEND_ONLY_TRIGGER)
    op.create_table(
        "notification_outbox",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("notice_key", sa.Text, nullable=False),
        sa.Column("template", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("recipient_kind", sa.Text, nullable=False),
        sa.Column("recipient_id", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("fields", JSONB, nullable=False),
        sa.Column("state", sa.Text, nullable=False, server_default="queued"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("provider_reference", sa.Text),
        created_at(),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_notification_outbox"),
        sa.UniqueConstraint("notice_key", name="uq_notification_outbox_notice_key"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_notification_outbox_case_id_cases"),
    )
    op.create_table(
        "health_record_flags",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("person_id", sa.Text, nullable=False),
        sa.Column("flag", sa.Text, nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_health_record_flags"),
        sa.UniqueConstraint("workflow_id", name="uq_health_record_flags_workflow_id"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_health_record_flags_case_id_cases"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_health_record_flags_person_id_people"),
    )


def downgrade() -> None:
    for table in (
        "health_record_flags",
        "notification_outbox",
        "chronology",
        "deadlines",
        "decisions",
        "human_tasks",
        "hand_offs",
        "process_records",
        "contacts",
        "case_members",
        "cases",
        "practitioners",
        "teams",
        "people",
    ):
        op.drop_table(table)
    op.execute("DROP FUNCTION chronology_refuse_change()")
