"""Professional disagreements and the partnership's escalation log (issue 6).

Revision ID: 0005_disagreements
Revises: 0004_family_group_conference
Create Date: 2026-11-25

Filled in by its issue; until then it changes nothing.
"""

from __future__ import annotations

revision = "0005_disagreements"
down_revision = "0004_family_group_conference"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Placeholder in the chain until its issue adds tables (keeps the chain linear for parallel work)."""


def downgrade() -> None:
    """Nothing to undo yet."""
