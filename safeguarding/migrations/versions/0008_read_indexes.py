"""Indexes for the reads of the application layer: the work tray, a case's chronology and a case's deadlines.

Revision ID: 0008_read_indexes
Revises: 0007_people_and_credentials
Create Date: 2026-11-30

- human_tasks: the open tasks of a team, and of an assignee, in due-date order (partial indexes: closed
  tasks, the bulk of the table over time, are never in a tray).
- chronology: a case's entries in the order they happened (the case page reads them newest first).
- deadlines: a case's deadlines in the order they pass.

Mirrors safeguarding/schema.py (tests/test_migrations.py checks that they agree).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_read_indexes"
down_revision = "0007_people_and_credentials"
branch_labels = None
depends_on = None

OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    """Add the indexes."""
    op.create_index("ix_human_tasks_open_team_due", "human_tasks", ["team_id", "due_date", "id"], postgresql_where=OPEN)
    op.create_index(
        "ix_human_tasks_open_assignee_due", "human_tasks", ["assignee_id", "due_date", "id"], postgresql_where=OPEN
    )
    op.create_index("ix_chronology_case_occurred", "chronology", ["case_id", "occurred_at", "id"])
    op.create_index("ix_deadlines_case_passes", "deadlines", ["case_id", "passes_at"])


def downgrade() -> None:
    """Remove them again."""
    op.drop_index("ix_deadlines_case_passes", table_name="deadlines")
    op.drop_index("ix_chronology_case_occurred", table_name="chronology")
    op.drop_index("ix_human_tasks_open_assignee_due", table_name="human_tasks")
    op.drop_index("ix_human_tasks_open_team_due", table_name="human_tasks")
