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
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
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
    Column(
        "sso_subject",
        Text,
        doc="The identity provider's claim value that stands for them (single sign-on); NULL if they use none.",
    ),
    _created(),
    UniqueConstraint("sso_subject", name="uq_practitioners_sso_subject"),
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
    # The child characteristics the Children in Need census returns (statutory-rules.md §9; codes.Sex,
    # codes.Ethnicity); the UPN when a school has given one.
    Column("sex", Text),
    Column("ethnicity", Text),
    Column("upn", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_people_family_name_lower", text("lower(family_name)")),
    # The rest of the census's child items: a former UPN, why there is none (codes.UpnUnknown), disabilities
    # (codes.Disability; NULL until recorded, ['NONE'] for none) and a date of death.
    Column("former_upn", Text),
    Column("upn_unknown", Text),
    Column("disabilities", ARRAY(Text)),
    Column("date_of_death", Date),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Text, primary_key=True),
    Column("reference", Text, nullable=False, unique=True),
    Column("child_id", Text, ForeignKey("people.id"), doc="The child; none on a LADO allegation's case (kind)."),
    Column("team_id", Text, ForeignKey("teams.id"), nullable=False),
    Column("allocated_practitioner_id", Text, ForeignKey("practitioners.id")),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Column("closure_reason", Text),
    _created(),
    # LADO: an allegation against an adult is a case of its own, with no child (codes.CaseKind).
    Column("kind", Text, nullable=False, server_default="child"),
    CheckConstraint("(kind = 'child') = (child_id IS NOT NULL)", name="child_when_kind_child"),
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
    Column("referral_source", Text, doc="The census source of a referral (codes.ReferralSource)."),
    Column(
        "how",
        Text,
        nullable=False,
        server_default="front_door",
        doc="How it came (codes.ReferralRoute): a contact at the front door, or a referral recorded by a direct start.",
    ),
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
    # The work tray: a team's and an assignee's open tasks, soonest due first.
    Index("ix_human_tasks_open_team_due", "team_id", "due_date", "id", postgresql_where=text("state = 'open'")),
    Index("ix_human_tasks_open_assignee_due", "assignee_id", "due_date", "id", postgresql_where=text("state = 'open'")),
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
    Index("ix_deadlines_case_passes", "case_id", "passes_at"),
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
    Index("ix_chronology_case_occurred", "case_id", "occurred_at", "id"),
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

# -- plans: CIN and CP plans of a child (§3, §5, §9) --

plans = Table(
    "plans",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("workflow_id", Text, nullable=False, doc="The process that started the plan (idempotency key with kind)."),
    Column("kind", Text, nullable=False, doc="cin or cp (codes.PlanKind)."),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("child_id", Text, ForeignKey("people.id"), nullable=False),
    Column("category", Text, doc="A CP plan's category at its start (census code, codes.CpCategory)."),
    Column("started_on", Date, nullable=False),
    Column("ended_on", Date),
    Column("end_reason", Text),
    Column("superseded_by", Text, doc="For a CIN plan ended by a CP plan: that plan's workflow id."),
    Column("previous_plans", Integer, nullable=False, server_default="0", doc="Census: earlier CP plans."),
    _created(),
    UniqueConstraint("workflow_id", "kind", name="uq_plans_workflow_kind"),
    # A child has at most one open plan, CIN or CP: the two never overlap (§3, §5).
    Index("uq_plans_one_open_per_child", "child_id", unique=True, postgresql_where=text("ended_on IS NULL")),
    Column("latest_category", Text, doc="A CP plan's category as its last review set it (codes.CpCategory)."),
)

# -- the Children in Need census (§9): what the processes do not otherwise record --

# What an authorised child and family assessment found (§3): one row per assessment process.
assessment_findings = Table(
    "assessment_findings",
    metadata,
    Column("workflow_id", Text, primary_key=True, doc="The assessment process."),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("primary_need", Text, nullable=False, doc="codes.PrimaryNeed."),
    Column("factors", ARRAY(Text), nullable=False, doc="codes.AssessmentFactor; ['21'] when none were identified."),
    _created(),
)

# The pre-proceedings period of the Public Law Outline and the family group decision-making offer made in the
# letter before proceedings (s31ZA Children Act 1989; census 2026/27 block PreProceedingsandFGDM).
pre_proceedings = Table(
    "pre_proceedings",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("started_on", Date, nullable=False, doc="The legal planning meeting's decision to start pre-proceedings."),
    Column("letter_before_proceedings_on", Date),
    Column("fgdm_offered", Boolean, doc="Whether the letter before proceedings offered a family group meeting."),
    Column("fgdm_facilitated", Boolean, doc="Whether a family group meeting was then held."),
    Column("initial_meeting_on", Date),
    Column("review_meetings", Integer),
    Column("decided_on", Date, doc="The decision to end pre-proceedings (step down) or to issue proceedings."),
    Column("court_application_on", Date),
    _created(),
    UniqueConstraint("case_id", "started_on", name="uq_pre_proceedings_case_started"),
)

# -- LADO (§6) --

lado_allegations = Table(
    "lado_allegations",
    metadata,
    Column("case_id", Text, ForeignKey("cases.id"), primary_key=True, doc="The allegation's own case (kind)."),
    Column("subject_id", Text, ForeignKey("people.id"), nullable=False, doc="The adult the allegation is about."),
    Column("subject_role", Text, nullable=False, doc="Their job or role, e.g. teaching assistant."),
    Column("subject_is_teacher", Boolean, nullable=False, doc="Teachers also go to the teaching regulator."),
    Column("employer", Text, nullable=False, doc="The employer or agency the person works for."),
    Column("setting", Text, nullable=False, doc="Where they work with children, e.g. a school."),
    Column("agency", Text, doc="The supplying agency, when an agency placed them."),
    Column("what_happened", Text, nullable=False),
    Column("happened_on", Date, doc="When it happened, if known."),
    Column("came_to_attention_at", DateTime(timezone=True), nullable=False),
    Column("action_taken", Text, nullable=False),
    Column("notifier_kind", Text, nullable=False, doc="employer, agency or member_of_public (codes.LadoNotifier)."),
    Column("notifier_name", Text, nullable=False),
    Column("notifier_organisation", Text),
    Column("notifier_email", Text),
    Column("notifier_phone", Text),
    Column("notification_method", Text, nullable=False, doc="codes.NotificationMethod."),
    Column("notified_at", DateTime(timezone=True), nullable=False),
    _created(),
)

lado_children = Table(
    "lado_children",
    metadata,
    Column("allegation_case_id", Text, ForeignKey("lado_allegations.case_id"), primary_key=True),
    Column("child_case_id", Text, ForeignKey("cases.id"), primary_key=True, doc="The child's own case."),
    Column("referred_at", DateTime(timezone=True), doc="When the LADO referred the child to social care."),
    Column("strategy_discussion_workflow_id", Text),
)

lado_outcomes = Table(
    "lado_outcomes",
    metadata,
    Column("case_id", Text, ForeignKey("lado_allegations.case_id"), primary_key=True),
    Column("workflow_id", Text, nullable=False),
    Column("outcome", Text, nullable=False, doc="codes.LadoOutcome."),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("dbs_referral_required", Boolean, nullable=False),
    Column("regulator_referral_required", Boolean, nullable=False),
    Column("retention", Text, nullable=False, doc="codes.LadoRetention."),
    Column("retain_until", Date, doc="Set when the record is kept; none when it is removed (malicious)."),
    Column("retention_basis", Text, nullable=False),
    _created(),
)

# -- family group conference (§7) --
# The texts of a conference (questions, bottom lines, the family's plan, the child's words) live here; the
# workflow keeps their ids. Keys are (workflow_id, <key>), so a retried activity writes each once.

fgc_referrals = Table(
    "fgc_referrals",
    metadata,
    Column("workflow_id", Text, primary_key=True),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("referrer_id", Text, nullable=False),
    Column("questions", ARRAY(Text), nullable=False),
    Column("bottom_lines", ARRAY(Text), nullable=False),
    _created(),
)

fgc_participants = Table(
    "fgc_participants",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("workflow_id", Text, nullable=False),
    Column("invitation", Integer, nullable=False),
    Column("participant_key", Text, nullable=False),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("person_id", Text, ForeignKey("people.id")),
    Column("practitioner_id", Text, ForeignKey("practitioners.id")),
    Column("meeting", Integer, nullable=False),
    Column("interpreter_language", Text),
    Column("excluded_from_private_time", Boolean, nullable=False, server_default="false"),
    Column("exclusion_reason", Text),
    _created(),
    UniqueConstraint("workflow_id", "invitation", "participant_key", name="uq_fgc_participants_workflow_key"),
)

fgc_plans = Table(
    "fgc_plans",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("workflow_id", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("plan_text", Text, nullable=False),
    Column("submitted_by", Text, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("agreed", Boolean, doc="Null until the referrer decides."),
    Column("decided_by", Text),
    Column("decided_at", DateTime(timezone=True)),
    Column("not_agreed_reason", Text),
    _created(),
    UniqueConstraint("workflow_id", "version", name="uq_fgc_plans_workflow_version"),
)

fgc_child_voice = Table(
    "fgc_child_voice",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("workflow_id", Text, nullable=False),
    Column("entry_key", Text, nullable=False),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("words", Text, nullable=False),
    Column("through_advocate", Boolean, nullable=False),
    Column("heard_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", Text, nullable=False),
    _created(),
    UniqueConstraint("workflow_id", "entry_key", name="uq_fgc_child_voice_workflow_key"),
)

# -- professional disagreement (§8) --

safeguarding_partnerships = Table(
    "safeguarding_partnerships",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("mailbox", Text, nullable=False, doc="Its business unit's address: the last stage of a disagreement."),
    _created(),
)

# The manager on duty for each team now: alerted at once when a child is said to be at immediate risk.
duty_managers = Table(
    "duty_managers",
    metadata,
    Column("team_id", Text, ForeignKey("teams.id"), primary_key=True),
    Column("practitioner_id", Text, ForeignKey("practitioners.id"), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# The partnership's escalation log: one line per disagreement, kept up to date as it moves through the stages.
disagreements = Table(
    "disagreements",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("workflow_id", Text, nullable=False, unique=True),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=False),
    Column("team_id", Text, nullable=False),
    Column("partnership_id", Text, nullable=False),
    Column("about_workflow_id", Text, nullable=False),
    Column("about_key", Text, nullable=False),
    Column("about_process", Text),
    Column("about_outcome", Text),
    Column("raised_by_id", Text, nullable=False),
    Column("raised_by_role", Text, nullable=False),
    Column("immediate_risk", Boolean, nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False),
    Column("started_at_stage", Text, nullable=False),
    Column("stage_reached", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("changed_to", Text),
    Column("closed_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_disagreements_partnership_raised", "partnership_id", "raised_at"),
)

# -- the working-day calendar (§1) --

# Closed days announced after the installed `holidays` release: a new one-off bank holiday, or a local
# closure. The calendar every process counts on is the package's days of England and Wales plus these.
announced_closures = Table(
    "announced_closures",
    metadata,
    Column("day", Date, primary_key=True),
    Column("name", Text, nullable=False),
    Column("local", Boolean, nullable=False, doc="A local closure of the authority, not a national bank holiday."),
    Column("announced_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# -- the service layer and the API --

# Who changed which field of which record (a person, a case, a practitioner, a team), when and why.
change_log = Table(
    "change_log",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("record_kind", Text, nullable=False, doc="person, case, practitioner or team."),
    Column("record_id", Text, nullable=False),
    Column("field", Text, nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("changed_by", Text, nullable=False, doc="The practitioner whose credential made the change."),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("reason", Text),
    Index("ix_change_log_record", "record_kind", "record_id", "changed_at"),
)

# Bearer tokens: only their SHA-256 hash is kept; the token itself is shown once, when it is made.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Text, primary_key=True, doc="The token's public id (its first characters), for listing and revoking."),
    Column("practitioner_id", Text, ForeignKey("practitioners.id"), nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("label", Text),
    _created(),
    Column("expires_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
)

# The first answer to each Idempotency-Key of each caller: a retry gets it again and writes nothing twice.
# `created_at` is when the request holding the key claimed it: a claim long unanswered is taken over by a retry,
# and every record is swept by it once `idempotency_retention_days` have passed (`safeguarding.store.idempotency`).
idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("principal_id", Text, primary_key=True),
    Column("key", Text, primary_key=True),
    Column("method", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("request_hash", Text, nullable=False),
    Column("status_code", Integer, doc="None while the first request is still being answered."),
    Column("response_body", JSONB),
    _created(),
    Index("ix_idempotency_records_created_at", "created_at"),
)

# The console's local sign-in: an argon2id hash per practitioner who may use a password, and the failed
# attempts since their last success (which slow the next one).
practitioner_passwords = Table(
    "practitioner_passwords",
    metadata,
    Column("practitioner_id", Text, ForeignKey("practitioners.id"), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("last_failed_at", DateTime(timezone=True)),
    _created(),
)

# One row per console sign-in, keyed by the SHA-256 hash of the cookie's secret: it expires, and signing out
# ends it, so a copied cookie stops working.
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("id", Text, primary_key=True),
    Column("practitioner_id", Text, ForeignKey("practitioners.id"), nullable=False, index=True),
    _created(),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
)
