"""Dashboard: visit outcomes, reviewed transcripts, per-conversation stats that survive a purge.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the outcome columns and the two tables."""
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("completed_at", sa.DateTime()))
        batch.add_column(sa.Column("referred", sa.Boolean()))
        batch.add_column(sa.Column("interpreter_used", sa.Boolean()))
        batch.add_column(sa.Column("joined_activity", sa.Boolean()))
    op.create_table(
        "conversation_reviews",
        sa.Column("conversation_id", sa.String(100), primary_key=True),
        sa.Column("reviewed_by", sa.String(64), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "conversation_stats",
        sa.Column("conversation_id", sa.String(100), primary_key=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("wanted_person", sa.Boolean(), nullable=False),
        sa.Column("fallbacks", sa.Integer(), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_conversation_stats_started_at", "conversation_stats", ["started_at"])


def downgrade() -> None:
    """Drop the tables and the outcome columns."""
    op.drop_table("conversation_stats")
    op.drop_table("conversation_reviews")
    with op.batch_alter_table("visits") as batch:
        for column in ("joined_activity", "interpreter_used", "referred", "completed_at"):
            batch.drop_column(column)
