"""Family group conferences: participants, questions, plans (issue 5).

Revision ID: 0004_family_group_conference
Revises: 0003_lado
Create Date: 2026-11-25

Filled in by its issue; until then it changes nothing.
"""

from __future__ import annotations

revision = "0004_family_group_conference"
down_revision = "0003_lado"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Placeholder in the chain until its issue adds tables (keeps the chain linear for parallel work)."""


def downgrade() -> None:
    """Nothing to undo yet."""
