"""Referrals recorded by a direct start, beside the front door's contacts (statutory-rules.md §9).

Revision ID: 0012_direct_referrals
Revises: 0011_practitioner_sso_subject
Create Date: 2026-11-30

- contacts.how (codes.ReferralRoute): `front_door` for a contact the front door decides on (every row so far),
  `direct` for the referral an assessment, a strategy discussion or a LADO's referral started without one.
  The census reads both as referrals.

Mirrors safeguarding/schema.py (tests/test_migrations.py checks that they agree).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_direct_referrals"
down_revision = "0011_practitioner_sso_subject"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column; every contact recorded so far came through the front door."""
    op.add_column("contacts", sa.Column("how", sa.Text, nullable=False, server_default="front_door"))


def downgrade() -> None:
    """Drop the column (direct referrals become indistinguishable from contacts)."""
    op.drop_column("contacts", "how")
