"""The console's local sign-in: practitioners' password hashes, their failed attempts, and server-side sessions.

Revision ID: 0010_console_sign_in
Revises: 0009_census_items
Create Date: 2026-11-30

- practitioner_passwords: an argon2id hash per practitioner who may sign in with a password (a practitioner
  without one signs in through single sign-on, or not at all), with the failed attempts since the last
  success, which slow the next attempt.
- console_sessions: one row per sign-in, found by the SHA-256 hash of the cookie's secret; it expires, and
  signing out ends it, so a copied cookie stops working.

Mirrors safeguarding/schema.py (tests/test_migrations.py checks that they agree). Constraint names are
spelled out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_console_sign_in"
down_revision = "0009_census_items"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the password hashes and the console sessions."""
    op.create_table(
        "practitioner_passwords",
        sa.Column("practitioner_id", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_failed_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("practitioner_id", name="pk_practitioner_passwords"),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name="fk_practitioner_passwords_practitioner_id_practitioners",
        ),
    )
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("practitioner_id", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_console_sessions"),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["practitioners.id"], name="fk_console_sessions_practitioner_id_practitioners"
        ),
    )
    op.create_index("ix_console_sessions_practitioner_id", "console_sessions", ["practitioner_id"])


def downgrade() -> None:
    """Remove them again."""
    op.drop_index("ix_console_sessions_practitioner_id", table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_table("practitioner_passwords")
