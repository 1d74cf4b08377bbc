"""Closed days announced after the installed `holidays` release: one-off bank holidays and local closures.

Revision ID: 0006_announced_closures
Revises: 0005_disagreements
Create Date: 2026-11-30

statutory-rules.md §1: working days exclude the bank holidays of England and Wales, one-off days included.
An operator records a newly announced day (`calendar announce`), and every calendar the service builds adds
it to the package's days, with no upgrade and no restart.

Mirrors safeguarding/schema.py (tests/test_migrations.py checks that they agree). Constraint names are
spelled out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_announced_closures"
down_revision = "0005_disagreements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the announced closed days."""
    op.create_table(
        "announced_closures",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("local", sa.Boolean, nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("day", name="pk_announced_closures"),
    )


def downgrade() -> None:
    """Remove the announced closed days."""
    op.drop_table("announced_closures")
