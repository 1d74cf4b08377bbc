"""What the service layer and the API need: a child's census details, an audit of changes, API credentials, idempotency.

Revision ID: 0007_people_and_credentials
Revises: 0006_announced_closures
Create Date: 2026-11-30

- people: sex, ethnicity and UPN, the child characteristics the Children in Need census returns
  (statutory-rules.md §9), and when the record last changed.
- change_log: who changed which field of which record, when and why (old and new values stay in the case
  store, beside the record they describe).
- api_tokens: bearer tokens for automation and people, stored as SHA-256 hashes only; each can expire and be
  revoked.
- idempotency_records: the first answer to each `Idempotency-Key`, so a retried request writes nothing twice.

Mirrors safeguarding/schema.py (tests/test_migrations.py checks that they agree). Constraint names are
spelled out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007_people_and_credentials"
down_revision = "0006_announced_closures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the census details of people, the change log, API tokens and idempotency records."""
    op.add_column("people", sa.Column("sex", sa.Text))
    op.add_column("people", sa.Column("ethnicity", sa.Text))
    op.add_column("people", sa.Column("upn", sa.Text))
    op.add_column(
        "people", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())
    )
    op.create_index("ix_people_family_name_lower", "people", [sa.text("lower(family_name)")])
    op.create_table(
        "change_log",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("record_kind", sa.Text, nullable=False),
        sa.Column("record_id", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("changed_by", sa.Text, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("reason", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_change_log"),
    )
    op.create_index("ix_change_log_record", "change_log", ["record_kind", "record_id", "changed_at"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("practitioner_id", sa.Text, nullable=False),
        sa.Column("token_hash", sa.Text, nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["practitioners.id"], name="fk_api_tokens_practitioner_id_practitioners"
        ),
    )
    op.create_table(
        "idempotency_records",
        sa.Column("principal_id", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("method", sa.Text, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("request_hash", sa.Text, nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("response_body", JSONB),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("principal_id", "key", name="pk_idempotency_records"),
    )


def downgrade() -> None:
    """Remove them again."""
    op.drop_table("idempotency_records")
    op.drop_table("api_tokens")
    op.drop_index("ix_change_log_record", table_name="change_log")
    op.drop_table("change_log")
    op.drop_index("ix_people_family_name_lower", table_name="people")
    for column in ("updated_at", "upn", "ethnicity", "sex"):
        op.drop_column("people", column)
