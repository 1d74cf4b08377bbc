"""The council's single sign-on: which identity-provider subject each practitioner is.

Revision ID: 0011_practitioner_sso_subject
Revises: 0010_console_sign_in
Create Date: 2026-11-30

- practitioners.sso_subject: the value of the identity provider's configured claim (`sub`, or `email`,
  `preferred_username`, ...) that stands for this practitioner; NULL for one who does not sign in through
  single sign-on. Unique, so a token can never stand for two practitioners. An explicit mapping rather than
  the practitioner's e-mail address: an address can be reused for someone else, a mapping is set on purpose.

Mirrors safeguarding/schema.py (tests/test_migrations.py checks that they agree). Constraint names are
spelled out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_practitioner_sso_subject"
down_revision = "0010_console_sign_in"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the mapping column and its unique constraint."""
    op.add_column("practitioners", sa.Column("sso_subject", sa.Text))
    op.create_unique_constraint("uq_practitioners_sso_subject", "practitioners", ["sso_subject"])


def downgrade() -> None:
    """Remove them again."""
    op.drop_constraint("uq_practitioners_sso_subject", "practitioners", type_="unique")
    op.drop_column("practitioners", "sso_subject")
