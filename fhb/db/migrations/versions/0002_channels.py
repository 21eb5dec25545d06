"""Channels: invitation codes, where a conversation can be reached, system-started messages.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create invitations, channel_contacts and notifications."""
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "citizen_id", sa.Integer(), sa.ForeignKey("citizens.id"), nullable=False, unique=True
        ),
        sa.Column("code", sa.String(20), nullable=False, unique=True),
        sa.Column("conversation_id", sa.String(100)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("linked_at", sa.DateTime()),
    )
    op.create_index("ix_invitations_conversation_id", "invitations", ["conversation_id"])
    op.create_table(
        "channel_contacts",
        sa.Column("conversation_id", sa.String(100), primary_key=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("address", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref", sa.String(50), nullable=False),
        sa.Column("conversation_id", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("text", sa.Text()),
        sa.Column("buttons", sa.Text()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime()),
        sa.UniqueConstraint("kind", "ref", name="uq_notification_kind_ref"),
    )
    op.create_index("ix_notifications_conversation_id", "notifications", ["conversation_id"])


def downgrade() -> None:
    """Drop the channel tables."""
    op.drop_table("notifications")
    op.drop_table("channel_contacts")
    op.drop_table("invitations")
