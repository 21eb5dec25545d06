"""Initial visit database: citizens, slots, visits, declines, feedback, call-backs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table and the index that forbids double bookings."""
    op.create_table(
        "citizens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("birth_year", sa.Integer()),
        sa.Column("address", sa.String(300)),
        sa.Column("phone", sa.String(20)),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("conversation_id", sa.String(100)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "slots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("visitor", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("start", "visitor", name="uq_slot_start_visitor"),
    )
    op.create_index("ix_slots_start", "slots", ["start"])
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slot_id", sa.Integer(), sa.ForeignKey("slots.id"), nullable=False),
        sa.Column("citizen_id", sa.Integer(), sa.ForeignKey("citizens.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("booked_by", sa.String(20), nullable=False),
        sa.Column("relation", sa.String(50)),
        sa.Column("relative_name", sa.String(200)),
        sa.Column("relative_phone", sa.String(20)),
        sa.Column("conversation_id", sa.String(100)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_visits_conversation_id", "visits", ["conversation_id"])
    op.create_index(
        "uq_visit_active_slot",
        "visits",
        ["slot_id"],
        unique=True,
        sqlite_where=sa.text("status != 'cancelled'"),
        postgresql_where=sa.text("status != 'cancelled'"),
    )
    op.create_table(
        "declines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("citizen_name", sa.String(200)),
        sa.Column("phone", sa.String(20)),
        sa.Column("reason", sa.String(30), nullable=False),
        sa.Column("reason_text", sa.Text()),
        sa.Column("alternative", sa.String(20)),
        sa.Column("wants_later", sa.Boolean(), nullable=False),
        sa.Column("later_when", sa.String(200)),
        sa.Column("later_date", sa.Date()),
        sa.Column("conversation_id", sa.String(100)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_declines_conversation_id", "declines", ["conversation_id"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("visits.id")),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("useful", sa.String(10), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("conversation_id", sa.String(100)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_feedback_conversation_id", "feedback", ["conversation_id"])
    op.create_table(
        "callbacks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200)),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("topic", sa.Text()),
        sa.Column("conversation_id", sa.String(100)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("handled_at", sa.DateTime()),
    )
    op.create_index("ix_callbacks_conversation_id", "callbacks", ["conversation_id"])


def downgrade() -> None:
    """Drop everything."""
    for table in ("callbacks", "feedback", "declines", "visits", "slots", "citizens"):
        op.drop_table(table)
