"""Plans: CIN and CP plans of a child, never overlapping (issue 3).

Revision ID: 0002_plans
Revises: 0001_case_store
Create Date: 2026-11-25

Filled in by its issue; until then it changes nothing.
"""

from __future__ import annotations

revision = "0002_plans"
down_revision = "0001_case_store"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Placeholder in the chain until its issue adds tables (keeps the chain linear for parallel work)."""


def downgrade() -> None:
    """Nothing to undo yet."""
