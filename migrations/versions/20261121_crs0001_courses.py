"""Courses: modules, lessons, sessions (organisation data); participants, attendance, lessons done (shared)

Written by hand to match hromada.modules.courses.models, with the constraint
names of the naming convention, and row-level security (kind "shared") on the
three tables that hold a community's data.

Revision ID: crs0001
Revises:
Create Date: 2026-11-21

"""
import sqlalchemy as sa
from alembic import op

from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "crs0001"
down_revision = None
branch_labels = ("courses",)
depends_on = "core0003"

NOW = sa.text("(CURRENT_TIMESTAMP)")
SHARED_TABLES = ("course_participants", "course_session_attendance", "course_lesson_completions")


def _fk(table: str, column: str, referred: str, **options) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{referred}.id"], name=op.f(f"fk_{table}_{column}_{referred}"), **options
    )


def _shared_columns(table: str) -> list:
    return [
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        _fk(table, "organisation_id", "organisations"),
        _fk(table, "tenant_id", "communities", ondelete="CASCADE"),
    ]


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade():
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("template_key", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column(
            "completion_rule",
            sa.Enum("share", "count", name="completionrule", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("completion_threshold", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        _fk("courses", "organisation_id", "organisations"),
        _fk("courses", "programme_id", "programmes"),
        sa.ForeignKeyConstraint(["stage_id"], ["programme_stages.id"], name=op.f("fk_courses_stage_id_programme_stages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("stage_id", "template_key", name=op.f("uq_courses_stage_id_template_key")),
        sa.UniqueConstraint("stage_id", "title", name=op.f("uq_courses_stage_id_title")),
    )
    _indexes("courses", "organisation_id", "programme_id", "stage_id")

    op.create_table(
        "course_modules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("course_modules", "course_id", "courses", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_modules")),
        sa.UniqueConstraint("course_id", "title", name=op.f("uq_course_modules_course_id_title")),
    )
    _indexes("course_modules", "course_id")

    op.create_table(
        "course_lessons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("course_lessons", "module_id", "course_modules", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_lessons")),
        sa.UniqueConstraint("module_id", "title", name=op.f("uq_course_lessons_module_id_title")),
    )
    _indexes("course_lessons", "module_id")

    op.create_table(
        "course_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=50), nullable=False),
        sa.Column(
            "mode",
            sa.Enum("online", "offline", name="sessionmode", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        _fk("course_sessions", "course_id", "courses", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_sessions")),
        sa.UniqueConstraint("course_id", "starts_at", name=op.f("uq_course_sessions_course_id_starts_at")),
    )
    _indexes("course_sessions", "course_id", "starts_at")

    op.create_table(
        "course_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        *_shared_columns("course_participants"),
        _fk("course_participants", "course_id", "courses", ondelete="CASCADE"),
        _fk("course_participants", "user_id", "users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_participants")),
        sa.UniqueConstraint(
            "tenant_id", "course_id", "user_id", name=op.f("uq_course_participants_tenant_id_course_id_user_id")
        ),
    )
    _indexes("course_participants", "course_id", "organisation_id", "tenant_id", "user_id")

    op.create_table(
        "course_session_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        *_shared_columns("course_session_attendance"),
        _fk("course_session_attendance", "session_id", "course_sessions", ondelete="CASCADE"),
        _fk("course_session_attendance", "user_id", "users", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["users.id"], name=op.f("fk_course_session_attendance_marked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_session_attendance")),
        sa.UniqueConstraint(
            "tenant_id", "session_id", "user_id",
            name=op.f("uq_course_session_attendance_tenant_id_session_id_user_id"),
        ),
    )
    _indexes("course_session_attendance", "organisation_id", "session_id", "tenant_id", "user_id")

    op.create_table(
        "course_lesson_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        *_shared_columns("course_lesson_completions"),
        _fk("course_lesson_completions", "lesson_id", "course_lessons", ondelete="CASCADE"),
        _fk("course_lesson_completions", "user_id", "users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_lesson_completions")),
        sa.UniqueConstraint(
            "tenant_id", "lesson_id", "user_id", name=op.f("uq_course_lesson_completions_tenant_id_lesson_id_user_id")
        ),
    )
    _indexes("course_lesson_completions", "lesson_id", "organisation_id", "tenant_id", "user_id")

    # PostgreSQL: a community reads its own rows; the organisation running the course reads and writes them.
    for table in SHARED_TABLES:
        enable_row_level_security(op, table, kind="shared")


def downgrade():
    for table in SHARED_TABLES:
        disable_row_level_security(op, table)
    for table, columns in (
        ("course_lesson_completions", ("lesson_id", "organisation_id", "tenant_id", "user_id")),
        ("course_session_attendance", ("organisation_id", "session_id", "tenant_id", "user_id")),
        ("course_participants", ("course_id", "organisation_id", "tenant_id", "user_id")),
        ("course_sessions", ("course_id", "starts_at")),
        ("course_lessons", ("module_id",)),
        ("course_modules", ("course_id",)),
        ("courses", ("organisation_id", "programme_id", "stage_id")),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
