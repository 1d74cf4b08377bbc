"""The items of the Children in Need census the case store did not hold (statutory-rules.md §9).

Revision ID: 0009_census_items
Revises: 0008_read_indexes
Create Date: 2026-11-30

- people: the former UPN, why a child has no UPN (codes.UpnUnknown), their disabilities (codes.Disability;
  NULL until recorded, ['NONE'] when they have none) and a date of death.
- contacts: the census source of a referral (codes.ReferralSource), beside the free-text `source`.
- plans: a CP plan's latest category (codes.CpCategory), as its last review conference set it.
- assessment_findings: what an authorised assessment found, one row per assessment process: the child's
  primary need (codes.PrimaryNeed) and the factors identified (codes.AssessmentFactor).
- pre_proceedings: the pre-proceedings period of the Public Law Outline and the family group
  decision-making offer in the letter before proceedings (census 2026/27 block PreProceedingsandFGDM).

Mirrors safeguarding/schema.py (tests/test_migrations.py checks that they agree).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0009_census_items"
down_revision = "0008_read_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns and tables."""
    op.add_column("people", sa.Column("former_upn", sa.Text))
    op.add_column("people", sa.Column("upn_unknown", sa.Text))
    op.add_column("people", sa.Column("disabilities", ARRAY(sa.Text)))
    op.add_column("people", sa.Column("date_of_death", sa.Date))
    op.add_column("contacts", sa.Column("referral_source", sa.Text))
    op.add_column("plans", sa.Column("latest_category", sa.Text))
    op.create_table(
        "assessment_findings",
        sa.Column("workflow_id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("primary_need", sa.Text, nullable=False),
        sa.Column("factors", ARRAY(sa.Text), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "pre_proceedings",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("started_on", sa.Date, nullable=False),
        sa.Column("letter_before_proceedings_on", sa.Date),
        sa.Column("fgdm_offered", sa.Boolean),
        sa.Column("fgdm_facilitated", sa.Boolean),
        sa.Column("initial_meeting_on", sa.Date),
        sa.Column("review_meetings", sa.Integer),
        sa.Column("decided_on", sa.Date),
        sa.Column("court_application_on", sa.Date),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("case_id", "started_on", name="uq_pre_proceedings_case_started"),
    )


def downgrade() -> None:
    """Remove them again."""
    op.drop_table("pre_proceedings")
    op.drop_table("assessment_findings")
    op.drop_column("plans", "latest_category")
    op.drop_column("contacts", "referral_source")
    for column in ("date_of_death", "disabilities", "upn_unknown", "former_upn"):
        op.drop_column("people", column)
