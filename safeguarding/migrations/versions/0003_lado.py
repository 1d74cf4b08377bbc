"""LADO: allegations, the person's employment, children involved, outcomes (issue 4).

Revision ID: 0003_lado
Revises: 0002_plans
Create Date: 2026-11-25

Filled in by its issue; until then it changes nothing.
"""

from __future__ import annotations

revision = "0003_lado"
down_revision = "0002_plans"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Placeholder in the chain until its issue adds tables (keeps the chain linear for parallel work)."""


def downgrade() -> None:
    """Nothing to undo yet."""
