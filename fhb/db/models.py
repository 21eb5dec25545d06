"""SQLAlchemy models of the municipal visit database."""

from __future__ import annotations

import enum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import registry, relationship

mapper_registry = registry()


class Base:
    """Every model's declarative base: a real class, so type checkers see the models as types."""

    __abstract__ = True
    registry = mapper_registry
    metadata = mapper_registry.metadata
    __init__ = mapper_registry.constructor

    def __init_subclass__(cls, **kwargs: object) -> None:
        """Map each model class as it is defined (what declarative_base() does)."""
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("__abstract__", False):
            mapper_registry.map_declaratively(cls)


class StoredEnum(str, enum.Enum):
    """A set of values stored as plain strings; a member is equal to, and prints as, its value."""

    def __str__(self) -> str:
        """The stored value."""
        return str(self.value)


class VisitStatus(StoredEnum):
    """Where a visit stands."""

    BOOKED = "booked"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


class TakeoverStatus(StoredEnum):
    """A request for a person in the chat: waiting, taken over, handed back, or too late."""

    WAITING = "waiting"
    ACTIVE = "active"
    CLOSED = "closed"
    TIMED_OUT = "timed_out"


class NotificationStatus(StoredEnum):
    """A message the system starts: being sent, sent, waiting for the web page, or failed."""

    SENDING = "sending"
    SENT = "sent"
    QUEUED = "queued"
    DELIVERED = "delivered"
    FAILED = "failed"


VISIT_STATUSES = tuple(s.value for s in VisitStatus)
DECLINE_REASONS = (
    "no_need",
    "feels_too_young",
    "others_need_more",
    "has_services",
    "not_at_home",
    "bad_timing",
    "other",
)


CREATED = {"stamp": "created"}  # filled from the unit of work's clock on insert
UPDATED = {"stamp": "updated"}  # and on every change


class Citizen(Base):
    """A person offered a visit: from the staff's import or from a chat."""

    __tablename__ = "citizens"
    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    birth_year = Column(Integer)
    address = Column(String(300))
    phone = Column(String(20))
    source = Column(String(20), nullable=False, default="chat")
    conversation_id = Column(String(100))
    created_at = Column(DateTime, nullable=False, info=CREATED)


class Slot(Base):
    """A time a visitor can make a visit (stored in naive UTC)."""

    __tablename__ = "slots"
    __table_args__ = (UniqueConstraint("start", "visitor", name="uq_slot_start_visitor"),)
    id = Column(Integer, primary_key=True)
    start = Column(DateTime, nullable=False, index=True)
    end = Column(DateTime, nullable=False)
    visitor = Column(String(200), nullable=False)
    created_at = Column(DateTime, nullable=False, info=CREATED)


class Visit(Base):
    """A booked visit; at most one visit that is not cancelled per slot."""

    __tablename__ = "visits"
    __table_args__ = (
        Index(
            "uq_visit_active_slot",
            "slot_id",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
    )
    id = Column(Integer, primary_key=True)
    slot_id = Column(Integer, ForeignKey("slots.id"), nullable=False)
    citizen_id = Column(Integer, ForeignKey("citizens.id"), nullable=False)
    status = Column(String(20), nullable=False, default=VisitStatus.BOOKED.value)
    booked_by = Column(String(20), nullable=False, default="self")
    relation = Column(String(50))
    relative_name = Column(String(200))
    relative_phone = Column(String(20))
    conversation_id = Column(String(100), index=True)
    created_at = Column(DateTime, nullable=False, info=CREATED)
    updated_at = Column(DateTime, nullable=False, info=UPDATED)
    # Recorded by staff when they mark the visit completed (None: not recorded).
    completed_at = Column(DateTime)
    referred = Column(Boolean)  # referred to other municipal services
    interpreter_used = Column(Boolean)
    joined_activity = Column(Boolean)  # joined an activity group or local offer
    slot = relationship(Slot, lazy="joined")
    citizen = relationship(Citizen, lazy="joined")


class Decline(Base):
    """A declined (or postponed) offer with the reason."""

    __tablename__ = "declines"
    id = Column(Integer, primary_key=True)
    citizen_name = Column(String(200))
    phone = Column(String(20))
    reason = Column(String(30), nullable=False)
    reason_text = Column(Text)
    alternative = Column(String(20))
    wants_later = Column(Boolean, nullable=False, default=False)
    later_when = Column(String(200))
    later_date = Column(Date)
    conversation_id = Column(String(100), index=True)
    created_at = Column(DateTime, nullable=False, info=CREATED)


class Feedback(Base):
    """A citizen's evaluation of a visit."""

    __tablename__ = "feedback"
    id = Column(Integer, primary_key=True)
    visit_id = Column(Integer, ForeignKey("visits.id"))
    rating = Column(Integer, nullable=False)
    useful = Column(String(10), nullable=False)
    comment = Column(Text)
    conversation_id = Column(String(100), index=True)
    created_at = Column(DateTime, nullable=False, info=CREATED)


class CallbackRequest(Base):
    """A request that a person from the municipality calls back."""

    __tablename__ = "callbacks"
    id = Column(Integer, primary_key=True)
    name = Column(String(200))
    phone = Column(String(20), nullable=False)
    topic = Column(Text)
    conversation_id = Column(String(100), index=True)
    created_at = Column(DateTime, nullable=False, info=CREATED)
    handled_at = Column(DateTime)


class Invitation(Base):
    """The code printed in a citizen's invitation letter (deep link and web address)."""

    __tablename__ = "invitations"
    id = Column(Integer, primary_key=True)
    citizen_id = Column(Integer, ForeignKey("citizens.id"), nullable=False, unique=True)
    code = Column(String(20), nullable=False, unique=True)
    conversation_id = Column(String(100), index=True)
    created_at = Column(DateTime, nullable=False, info=CREATED)
    linked_at = Column(DateTime)
    citizen = relationship(Citizen, lazy="joined")


class ChannelContact(Base):
    """Where a conversation can be reached: the channel and its address (a chat id)."""

    __tablename__ = "channel_contacts"
    conversation_id = Column(String(100), primary_key=True)
    channel = Column(String(20), nullable=False)
    address = Column(String(100), nullable=False)
    created_at = Column(DateTime, nullable=False, info=CREATED)
    last_seen_at = Column(DateTime, nullable=False, info=CREATED)


NOTIFICATION_KINDS = (
    "reminder",
    "feedback_request",
    "new_offer",
    "takeover_joined",
    "staff_message",
    "takeover_left",
    "handoff_timeout",
)
NOTIFICATION_STATUSES = tuple(s.value for s in NotificationStatus)


class Notification(Base):
    """A message the system starts; (kind, ref) is unique, so each is sent at most once."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("kind", "ref", name="uq_notification_kind_ref"),)
    id = Column(Integer, primary_key=True)
    kind = Column(String(20), nullable=False)
    ref = Column(String(50), nullable=False)
    conversation_id = Column(String(100), nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    text = Column(Text)
    buttons = Column(Text)
    status = Column(String(20), nullable=False, default=NotificationStatus.SENDING.value)
    created_at = Column(DateTime, nullable=False, info=CREATED)
    sent_at = Column(DateTime)


STAFF_ROLES = ("admin", "visitor")


class StaffUser(Base):
    """A municipal employee who may use the staff dashboard."""

    __tablename__ = "staff_users"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)
    role = Column(String(20), nullable=False)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime)
    disabled = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime, nullable=False, info=CREATED)


class Lease(Base):
    """Who runs a kind of round (the scheduler's, the takeover timeouts', the purge) until
    when. However many channel servers run, only the holder of a live lease does the round;
    when it stops renewing, another takes over after the lease runs out."""

    __tablename__ = "leases"
    name = Column(String(40), primary_key=True)
    holder = Column(String(64), nullable=False)
    until = Column(DateTime, nullable=False)


class StaffSession(Base):
    """A logged-in staff member's session. The cookie carries a random token; only its
    SHA-256 is stored, so the table cannot be read into working cookies. Logging out and
    deactivating the account delete the rows, which ends the session at once."""

    __tablename__ = "staff_sessions"
    id = Column(String(64), primary_key=True)  # hex SHA-256 of the cookie's token
    user_id = Column(
        Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at = Column(DateTime, nullable=False, info=CREATED)
    expires_at = Column(DateTime, nullable=False, index=True)


class AccessLogEntry(Base):
    """Who opened which transcript or made which export, when and why. Append-only:
    the database refuses UPDATE and DELETE on this table (triggers in migration 0003)."""

    __tablename__ = "access_log"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, info=CREATED, index=True)
    username = Column(String(64), nullable=False)
    action = Column(String(30), nullable=False)
    target = Column(String(200), nullable=False)
    reason = Column(String(200))


class ConversationReview(Base):
    """A transcript a staff member has marked as reviewed."""

    __tablename__ = "conversation_reviews"
    conversation_id = Column(String(100), primary_key=True)
    reviewed_by = Column(String(64), nullable=False)
    reviewed_at = Column(DateTime, nullable=False, info=CREATED)


class ConversationStat(Base):
    """What the evaluation report needs of a conversation, kept when its transcript is purged
    (no message text, no personal data)."""

    __tablename__ = "conversation_stats"
    conversation_id = Column(String(100), primary_key=True)
    channel = Column(String(20), nullable=False)
    started_at = Column(DateTime, nullable=False, index=True)
    last_at = Column(DateTime, nullable=False)
    events = Column(Integer, nullable=False)
    wanted_person = Column(Boolean, nullable=False)
    fallbacks = Column(Integer, nullable=False)
    purged_at = Column(DateTime, nullable=False, info=CREATED)


TAKEOVER_STATUSES = tuple(s.value for s in TakeoverStatus)
OPEN_TAKEOVER = (TakeoverStatus.WAITING.value, TakeoverStatus.ACTIVE.value)


class Takeover(Base):
    """A conversation that asked for a person: waiting in the staff queue, taken over by a
    staff member (the bot is paused), closed (handed back), or timed out (nobody came in
    time: the person got the phone number and a call-back was registered where possible).
    At most one open (waiting or active) takeover per conversation."""

    __tablename__ = "takeovers"
    __table_args__ = (
        Index(
            "uq_takeover_open_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text("status IN ('waiting', 'active')"),
            postgresql_where=text("status IN ('waiting', 'active')"),
        ),
    )
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(100), nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    status = Column(String(20), nullable=False, default=TakeoverStatus.WAITING.value)
    requested_at = Column(DateTime, nullable=False, info=CREATED)
    deadline = Column(DateTime, nullable=False)
    taken_by = Column(String(64))
    taken_at = Column(DateTime)
    last_staff_at = Column(DateTime)
    ended_at = Column(DateTime)
    ended_by = Column(String(64))  # a username, or "system" (timeout, idle hand-back)
    callback_id = Column(Integer, ForeignKey("callbacks.id"))
