"""An index for sweeping idempotency records by age.

Revision ID: 0013_idempotency_sweep
Revises: 0012_direct_referrals
Create Date: 2026-12-01

- idempotency_records.created_at: the scheduled sweep deletes the records older than the retention period
  (`SAFEGUARDING_IDEMPOTENCY_RETENTION_DAYS`) oldest first, a bounded batch at a time; without the index each
  batch would scan the whole table. A plain build, as the other indexes: it holds off new keys only while it
  runs, seconds on a table of millions of rows.

Mirrors safeguarding/schema.py (tests/test_migrations.py checks that they agree).
"""

from __future__ import annotations

from alembic import op

revision = "0013_idempotency_sweep"
down_revision = "0012_direct_referrals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the index."""
    op.create_index("ix_idempotency_records_created_at", "idempotency_records", ["created_at"])


def downgrade() -> None:
    """Remove it again."""
    op.drop_index("ix_idempotency_records_created_at", table_name="idempotency_records")
