"""Live takeover: the queue of conversations that asked for a person.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('waiting', 'active')")


def upgrade() -> None:
    """Add the takeovers table with at most one open takeover per conversation."""
    op.create_table(
        "takeovers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("taken_by", sa.String(64)),
        sa.Column("taken_at", sa.DateTime()),
        sa.Column("last_staff_at", sa.DateTime()),
        sa.Column("ended_at", sa.DateTime()),
        sa.Column("ended_by", sa.String(64)),
        sa.Column("callback_id", sa.Integer(), sa.ForeignKey("callbacks.id")),
    )
    op.create_index("ix_takeovers_conversation_id", "takeovers", ["conversation_id"])
    op.create_index(
        "uq_takeover_open_conversation",
        "takeovers",
        ["conversation_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    """Drop the takeovers table."""
    op.drop_table("takeovers")
