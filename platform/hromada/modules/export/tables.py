"""The tables of a community's export: what the modules register, and how a table becomes CSV.

Each module lists its tenant-owned models with the hook `hromada_export_tables`. Here
every table becomes one SELECT of the community's rows, streamed in batches
(`yield_per`), so a table costs the same few statements whatever its size; people are
written as their handles (pseudonyms) by a subquery in the same statement.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterator

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, LargeBinary, Numeric, select
from sqlalchemy.sql.type_api import TypeDecorator

from hromada.clock import as_utc
from hromada.contributions import ExportScope, ExportTable
from hromada.extensions import db
from hromada.modules.accounts.models import User

BATCH = 500  # rows fetched at a time: memory stays flat however large the table
CHUNK = 64 * 1024  # characters of CSV handed to the ZIP at a time


@dataclass(frozen=True)
class Column:
    """A column of a CSV file: its name, its Frictionless type and what the SELECT reads."""

    name: str
    type: str
    expression: Any
    description: str = ""
    decode: Callable[[Any, ExportScope], str] | None = None


def frictionless_type(sql_type) -> str:
    """The Table Schema type of a column (JSON is written as its text, a string)."""
    if isinstance(sql_type, TypeDecorator):
        sql_type = sql_type.impl_instance
    if isinstance(sql_type, LargeBinary):
        raise TypeError("binary")
    if isinstance(sql_type, Boolean):
        return "boolean"
    if isinstance(sql_type, Integer):
        return "integer"
    if isinstance(sql_type, (Numeric, Float)):
        return "number"
    if isinstance(sql_type, DateTime):
        return "datetime"
    if isinstance(sql_type, Date):
        return "date"
    return "string"


def _refers_to_a_person(column) -> bool:
    return any(key.column.table.name == User.__tablename__ for key in column.foreign_keys)


def person_column_name(name: str) -> str:
    """`proposed_by_id` is written as `proposed_by`: it holds a handle, no longer an id."""
    return name[:-3] if name.endswith("_id") else name


def check(table: ExportTable) -> None:
    """Refuse at start-up what would put a key or sealed text into an archive."""
    if table.omitted_because is not None:
        return
    for column in table.model.__table__.columns:
        if column.name in table.leave_out or column.name == table.tenant_column or column.name in table.decoded:
            continue
        try:
            frictionless_type(column.type)
        except TypeError:
            raise RuntimeError(
                f"The export of {table.name} would write the binary column {column.name!r}: "
                "list it in leave_out (a key or sealed text never leaves the platform)."
            ) from None


def columns_of(table: ExportTable, scope: ExportScope) -> list[Column]:
    columns = []
    for column in table.model.__table__.columns:
        if column.name in table.leave_out or column.name == table.tenant_column:
            continue
        attribute = getattr(table.model, column.key)
        if column.name in table.decoded:
            columns.append(Column(column.name, "string", attribute, decode=table.decoded[column.name]))
        elif _refers_to_a_person(column):
            # None for a person who deleted their account (hromada.modules.recovery.deletion).
            handle = select(User.handle).where(User.id == attribute, User.deleted_at.is_(None)).scalar_subquery()
            columns.append(Column(person_column_name(column.name), "string", handle, "a person's handle"))
        else:
            columns.append(Column(column.name, frictionless_type(column.type), attribute))
    for name, (kind, expression) in (table.extra_columns(scope) if table.extra_columns else {}).items():
        columns.append(Column(name, kind, expression))
    return columns


def rows_statement(table: ExportTable, scope: ExportScope, columns: list[Column]):
    model = table.model
    statement = select(*(column.expression.label(column.name) for column in columns)).where(
        getattr(model, table.tenant_column) == scope.community_id)
    if table.readable is not None:
        statement = statement.where(table.readable(scope))
    primary_key = [getattr(model, column.key) for column in model.__table__.primary_key.columns]
    return statement.order_by(*primary_key).execution_options(yield_per=BATCH)


def cell(value) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def csv_bytes(table: ExportTable, scope: ExportScope) -> Iterator[bytes]:
    """The table's CSV file, in chunks, read from the database while the archive is being sent."""
    columns = columns_of(table, scope)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    decoders = [(position, column.decode) for position, column in enumerate(columns) if column.decode]
    for row in db.session.execute(rows_statement(table, scope, columns)):
        values = [cell(value) for value in row]
        for position, decode in decoders:
            values[position] = "" if row[position] is None else decode(row[position], scope)
        writer.writerow(values)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def primary_key_names(table: ExportTable, columns: list[Column]) -> list[str]:
    names = {column.name for column in columns}
    return [column.name for column in table.model.__table__.primary_key.columns if column.name in names]


def registered_tables(app) -> list[ExportTable]:
    """Every table the modules and plugins register, each once (a table listed twice stops the app)."""
    tables: dict[str, ExportTable] = {}
    for contributed in app.extensions["hromada.plugins"].hook.hromada_export_tables():
        for table in contributed:
            check(table)
            if table.name in tables:
                raise RuntimeError(f"Two plugins export the table {table.name!r}.")
            tables[table.name] = table
    return list(tables.values())
