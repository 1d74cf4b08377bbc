"""The case store's tables (SQLAlchemy 2 Core), the one home of children's personal data.

Names, dates of birth, addresses and referrers' details live here and only here: workflows carry ids.
Every table a process writes to has a natural unique key — (workflow_id, <key>) — so an activity that is
retried or replayed writes each fact once. The chronology is append-only: a trigger added by the
migrations refuses UPDATE and DELETE on it.

Migrations under `safeguarding/migrations/versions/` create these tables; this module is what the code
queries against, and a test checks that the two agree.
"""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _created() -> Column:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


teams = Table(
    "teams",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("service_manager_id", Text),
    Column("mailbox", Text, doc="The team's shared address (health teams are notified here)."),
    _created(),
)

practitioners = Table(
    "practitioners",
    metadata,
    Column("id", Text, primary_key=True),
    Column("given_name", Text, nullable=False),
    Column("family_name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("phone", Text),
    Column("role", Text, nullable=False),
    Column("agency", Text, nullable=False, server_default="social_care"),
    Column("team_id", Text, ForeignKey("teams.id"), nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    _created(),
)

people = Table(
    "people",
    metadata,
    Column("id", Text, primary_key=True),
    Column("given_name", Text, nullable=False),
    Column("family_name", Text, nullable=False),
    Column("date_of_birth", Date),
    Column("expected_birth_date", Date, doc="For an unborn child (pre-birth assessment)."),
    Column("nhs_number", Text),
    Column("address", Text),
    Column("email", Text),
    Column("phone", Text),
    _created(),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Text, primary_key=True),
    Column("reference", Text, nullable=False, unique=True),
    Column("child_id", Text, ForeignKey("people.id"), nullable=False),
    Column("team_id", Text, ForeignKey("teams.id"), nullable=False),
    Column("allocated_practitioner_id", Text, ForeignKey("practitioners.id")),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Column("closure_reason", Text),
    _created(),
)

case_members = Table(
    "case_members",
    metadata,
    Column("case_id", Text, ForeignKey("cases.id"), primary_key=True),
    Column("person_id", Text, ForeignKey("people.id"), primary_key=True),
    Column("relationship", Text, nullable=False),
    Column("parental_responsibility", Boolean, nullable=False, server_default="false"),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Text, primary_key=True),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("source", Text, nullable=False),
    Column("referrer_name", Text),
    Column("referrer_email", Text),
    Column("referrer_organisation", Text),
    Column("summary", Text, nullable=False),
    _created(),
)

process_records = Table(
    "process_records",
    metadata,
    Column("workflow_id", Text, primary_key=True),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("process", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("team_id", Text, nullable=False),
    Column("profile_ref", Text, nullable=False),
    Column("responsible_id", Text),
    Column("outcome", Text),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

hand_offs = Table(
    "hand_offs",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("workflow_id", Text, ForeignKey("process_records.workflow_id"), nullable=False),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("to_process", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("target_workflow_id", Text),
    _created(),
    UniqueConstraint("workflow_id", "to_process", name="uq_hand_offs_workflow_process"),
)

human_tasks = Table(
    "human_tasks",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("workflow_id", Text, nullable=False),
    Column("task_key", Text, nullable=False),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("team_id", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("allowed_roles", ARRAY(Text), nullable=False),
    Column("assignee_id", Text),
    Column("due_date", Date),
    Column("state", Text, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("closed_at", DateTime(timezone=True)),
    UniqueConstraint("workflow_id", "task_key", name="uq_human_tasks_workflow_key"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("workflow_id", Text, nullable=False),
    Column("decision_key", Text, nullable=False),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("decision", Text, nullable=False),
    Column("actor_id", Text, nullable=False),
    Column("actor_role", Text, nullable=False),
    Column("effective_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("outcome", Text, nullable=False),
    Column("rationale", Text),
    UniqueConstraint("workflow_id", "decision_key", name="uq_decisions_workflow_key"),
)

deadlines = Table(
    "deadlines",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("workflow_id", Text, nullable=False),
    Column("deadline_key", Text, nullable=False),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("team_id", Text, nullable=False),
    Column("rule_id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("due_at", DateTime(timezone=True)),
    Column("passes_at", DateTime(timezone=True), nullable=False),
    Column("basis", Text, nullable=False),
    Column("citation", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("met_on", Date),
    Column("reasons", Text),
    Column("responsible_id", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("workflow_id", "deadline_key", name="uq_deadlines_workflow_key"),
)

chronology = Table(
    "chronology",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("workflow_id", Text, nullable=False),
    Column("entry_key", Text, nullable=False),
    Column("event", Text, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("summary", Text, nullable=False),
    Column("actor_id", Text),
    UniqueConstraint("workflow_id", "entry_key", name="uq_chronology_workflow_key"),
)

notification_outbox = Table(
    "notification_outbox",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("notice_key", Text, nullable=False, unique=True),
    Column("template", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("recipient_kind", Text, nullable=False),
    Column("recipient_id", Text, nullable=False),
    Column("address", Text, nullable=False),
    Column("case_id", Text, ForeignKey("cases.id")),
    Column("workflow_id", Text, nullable=False),
    Column("fields", JSONB, nullable=False),
    Column("state", Text, nullable=False, server_default="queued"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("provider_reference", Text),
    _created(),
    Column("sent_at", DateTime(timezone=True)),
)

health_record_flags = Table(
    "health_record_flags",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("workflow_id", Text, nullable=False, unique=True),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("person_id", Text, ForeignKey("people.id"), nullable=False),
    Column("flag", Text, nullable=False),
    Column("flagged_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# -- plans: CIN and CP plans of a child (issue 3; §3, §5, §9) --

# -- LADO (issue 4; §6) --

# -- family group conference (issue 5; §7) --

# -- professional disagreement (issue 6; §8) --
