"""Questionnaires: one engine for questions and answers; the programme calls' questions move onto it

Revision ID: qst0001
Revises:
Create Date: 2026-12-06

Each programme with questions gets a questionnaire at version 1, frozen as it is: the questions keep
their ids, so the answers already given (keyed by question id) stay where they were, and every
application is marked as answering version 1. Downgrading moves the programmes' questions back.
"""
import sqlalchemy as sa
from alembic import op

revision = "qst0001"
down_revision = None
branch_labels = ("questionnaires",)
depends_on = "core0009"

KINDS = ("text", "long_text", "choice", "yes_no", "number", "money", "date", "budget", "artefact")
OLD_KINDS = ("text", "long_text", "choice", "yes_no")


def _kind(values):
    return sa.Enum(*values, name="questionkind", native_enum=False, create_constraint=True, length=20)


def upgrade():
    op.create_table(
        "questionnaires",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_questionnaires_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaires")),
    )
    with op.batch_alter_table("questionnaires", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaires_organisation_id"), ["organisation_id"], unique=False)
    op.create_table(
        "questionnaire_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", _kind(KINDS), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("help_text", sa.String(length=1000), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("min_value", sa.BigInteger(), nullable=True),
        sa.Column("max_value", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("artefact_kind", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["questionnaires.id"],
                                name=op.f("fk_questionnaire_questions_questionnaire_id_questionnaires")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_questions")),
        sa.UniqueConstraint("questionnaire_id", "position",
                            name=op.f("uq_questionnaire_questions_questionnaire_id_position")),
    )
    with op.batch_alter_table("questionnaire_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_questions_questionnaire_id"), ["questionnaire_id"],
                              unique=False)
    op.create_table(
        "questionnaire_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["questionnaires.id"],
                                name=op.f("fk_questionnaire_versions_questionnaire_id_questionnaires")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_versions")),
        sa.UniqueConstraint("questionnaire_id", "version", name=op.f("uq_questionnaire_versions_questionnaire_id_version")),
    )
    with op.batch_alter_table("questionnaire_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_versions_questionnaire_id"), ["questionnaire_id"],
                              unique=False)
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # SQLite rebuilds the table to add a foreign key: the rows pointing at it stay as they are
        op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("questionnaire_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_programmes_questionnaire_id_questionnaires"), "questionnaires",
                                    ["questionnaire_id"], ["id"])
    if sqlite:
        op.execute("PRAGMA foreign_keys=ON")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("questions_version", sa.Integer(), nullable=True))

    _move_programme_questions()

    with op.batch_alter_table("application_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_questions_programme_id"))
    op.drop_table("application_questions")


# The tables as the data migration reads and writes them (JSON columns (de)serialised by SQLAlchemy).
programmes = sa.table("programmes", sa.column("id", sa.Integer), sa.column("organisation_id", sa.Integer),
                      sa.column("languages", sa.JSON), sa.column("questionnaire_id", sa.Integer))
applications = sa.table("applications", sa.column("programme_id", sa.Integer),
                        sa.column("questions_version", sa.Integer))
old_questions = sa.table(
    "application_questions", sa.column("id", sa.Integer), sa.column("programme_id", sa.Integer),
    sa.column("position", sa.Integer), sa.column("label", sa.String), sa.column("help_text", sa.String),
    sa.column("kind", sa.String), sa.column("required", sa.Boolean), sa.column("choices", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
questionnaires = sa.table("questionnaires", sa.column("id", sa.Integer), sa.column("organisation_id", sa.Integer),
                          sa.column("version", sa.Integer))
new_questions = sa.table(
    "questionnaire_questions", sa.column("id", sa.Integer), sa.column("questionnaire_id", sa.Integer),
    sa.column("position", sa.Integer), sa.column("kind", sa.String), sa.column("language", sa.String),
    sa.column("label", sa.String), sa.column("help_text", sa.String), sa.column("translations", sa.JSON),
    sa.column("required", sa.Boolean), sa.column("choices", sa.JSON), sa.column("min_value", sa.BigInteger),
    sa.column("max_value", sa.BigInteger), sa.column("currency", sa.String), sa.column("artefact_kind", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
versions = sa.table("questionnaire_versions", sa.column("questionnaire_id", sa.Integer),
                    sa.column("version", sa.Integer), sa.column("questions", sa.JSON))


def _move_programme_questions():
    bind = op.get_bind()
    rows = bind.execute(sa.select(old_questions).order_by(old_questions.c.programme_id,
                                                          old_questions.c.position)).mappings().all()
    by_programme = {}
    for row in rows:
        by_programme.setdefault(row["programme_id"], []).append(row)
    for programme_id, questions in by_programme.items():
        programme = bind.execute(sa.select(programmes).where(programmes.c.id == programme_id)).mappings().one()
        language = (programme["languages"] or [""])[0]
        questionnaire_id = bind.execute(
            questionnaires.insert().values(organisation_id=programme["organisation_id"], version=1)
            .returning(questionnaires.c.id)
        ).scalar_one()
        bind.execute(programmes.update().where(programmes.c.id == programme_id)
                     .values(questionnaire_id=questionnaire_id))
        frozen = []
        for question in questions:
            # The same id: answers are keyed by it.
            bind.execute(new_questions.insert().values(
                id=question["id"], questionnaire_id=questionnaire_id, position=question["position"],
                kind=question["kind"], language=language, label=question["label"], help_text=question["help_text"],
                translations={}, required=question["required"], choices=question["choices"] or [],
                created_at=question["created_at"],
            ))
            frozen.append({
                "id": question["id"], "kind": question["kind"], "language": language, "label": question["label"],
                "help_text": question["help_text"], "translations": {}, "required": question["required"],
                "choices": question["choices"] or [], "min_value": None, "max_value": None, "currency": None,
                "artefact_kind": None,
            })
        bind.execute(versions.insert().values(questionnaire_id=questionnaire_id, version=1, questions=frozen))
        bind.execute(applications.update().where(applications.c.programme_id == programme_id)
                     .values(questions_version=1))
    if rows and bind.dialect.name == "postgresql":
        # Ids were given explicitly: the sequence continues after them.
        bind.execute(sa.text("SELECT setval(pg_get_serial_sequence('questionnaire_questions', 'id'), "
                             "(SELECT max(id) FROM questionnaire_questions))"))


def downgrade():
    op.create_table(
        "application_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("help_text", sa.String(length=1000), nullable=False),
        sa.Column("kind", _kind(OLD_KINDS), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"],
                                name=op.f("fk_application_questions_programme_id_programmes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_questions")),
        sa.UniqueConstraint("programme_id", "position", name=op.f("uq_application_questions_programme_id_position")),
    )
    with op.batch_alter_table("application_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_questions_programme_id"), ["programme_id"], unique=False)
    bind = op.get_bind()
    # The programmes' questions go back; a kind the old table does not know is kept as a short text.
    moved = bind.execute(
        sa.select(new_questions, programmes.c.id.label("programme_id"))
        .join(programmes, programmes.c.questionnaire_id == new_questions.c.questionnaire_id)
    ).mappings().all()
    for question in moved:
        bind.execute(old_questions.insert().values(
            id=question["id"], programme_id=question["programme_id"], position=question["position"],
            label=question["label"], help_text=question["help_text"],
            kind=question["kind"] if question["kind"] in OLD_KINDS else "text", required=question["required"],
            choices=question["choices"] or [], created_at=question["created_at"],
        ))
    if moved and bind.dialect.name == "postgresql":
        bind.execute(sa.text("SELECT setval(pg_get_serial_sequence('application_questions', 'id'), "
                             "(SELECT max(id) FROM application_questions))"))
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("questions_version")
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:  # SQLite rebuilds the table to drop a column: the rows pointing at it stay as they are
        op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_programmes_questionnaire_id_questionnaires"), type_="foreignkey")
        batch_op.drop_column("questionnaire_id")
    if sqlite:
        op.execute("PRAGMA foreign_keys=ON")
    for table in ("questionnaire_versions", "questionnaire_questions", "questionnaires"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_questionnaire_id" if table != "questionnaires"
                                           else "ix_questionnaires_organisation_id"))
        op.drop_table(table)
