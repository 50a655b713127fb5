"""Courses of a programme's stage, and what the communities' members do in them.

Organisation data (not tenant-owned; views are guarded by `authz`): `Course`,
`CourseModule`, `Lesson`, `CourseSession`. Every course carries its
`organisation_id`, so that each query can filter by the organisation first.

A community's data, shared with the organisation that runs the course
(`SharedWithOrganisation`: the organisation marks attendance, the community
reads its own rows): `CourseParticipant`, `SessionAttendance`, `LessonCompletion`.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.database import string_enum
from hromada.extensions import db
from hromada.tenancy import SharedWithOrganisation


class CompletionRule(str, enum.Enum):
    """How a community completes a course: a share of its members, or a number of them."""

    SHARE = "share"
    COUNT = "count"


class SessionMode(str, enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"


class Course(db.Model):
    """A course in one stage of a programme, made from a plugin's template or from scratch."""

    __tablename__ = "courses"
    # Natural keys: a template is instantiated once per stage, and two courses of a stage
    # never share a title, so a second (double) submit finds the first instead of a copy.
    __table_args__ = (UniqueConstraint("stage_id", "template_key"), UniqueConstraint("stage_id", "title"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("programme_stages.id"), index=True)
    template_key: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    completion_rule: Mapped[CompletionRule] = mapped_column(string_enum(CompletionRule), default=CompletionRule.SHARE)
    # Percent of the community's members (rule "share") or a number of members (rule "count").
    completion_threshold: Mapped[int] = mapped_column(Integer, default=70)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    modules: Mapped[list[CourseModule]] = relationship(
        back_populates="course", order_by="CourseModule.position", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="course", order_by="CourseSession.starts_at", cascade="all, delete-orphan"
    )


class CourseModule(db.Model):
    """A chapter of a course: an ordered list of lessons."""

    __tablename__ = "course_modules"
    __table_args__ = (UniqueConstraint("course_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan"
    )


class Lesson(db.Model):
    """A lesson to read; `content` is Markdown, shown as sanitised HTML (see `courses.markdown`)."""

    __tablename__ = "course_lessons"
    __table_args__ = (UniqueConstraint("module_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("course_modules.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    module: Mapped[CourseModule] = relationship(back_populates="lessons")


class CourseSession(db.Model):
    """A meeting of a course, online (an https link) or offline (a place).

    Times are stored in UTC; `timezone` is the zone the operator scheduled it in
    and the one it is shown in, so that everybody reads the same wall-clock time.
    """

    __tablename__ = "course_sessions"
    __table_args__ = (UniqueConstraint("course_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    timezone: Mapped[str] = mapped_column(String(50), default="UTC")
    mode: Mapped[SessionMode] = mapped_column(string_enum(SessionMode), default=SessionMode.ONLINE)
    link: Mapped[str | None] = mapped_column(String(500))
    place: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int | None] = mapped_column(Integer)

    course: Mapped[Course] = relationship(back_populates="sessions")


class CourseParticipant(SharedWithOrganisation, db.Model):
    """A member of a community who joined a course."""

    __tablename__ = "course_participants"
    __table_args__ = (UniqueConstraint("tenant_id", "course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SessionAttendance(SharedWithOrganisation, db.Model):
    """Whether a participant attended a session, as marked by the organisation's staff."""

    __tablename__ = "course_session_attendance"
    __table_args__ = (UniqueConstraint("tenant_id", "session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LessonCompletion(SharedWithOrganisation, db.Model):
    """A member marked a lesson as done."""

    __tablename__ = "course_lesson_completions"
    __table_args__ = (UniqueConstraint("tenant_id", "lesson_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("course_lessons.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
