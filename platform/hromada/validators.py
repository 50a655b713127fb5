"""Validators that every module's forms share: what is typed must fit what the database holds."""

from __future__ import annotations

from wtforms.validators import ValidationError

from hromada.i18n import lazy_gettext as _l

# PostgreSQL's integer: the type of every id and counter column.
MAX_DATABASE_INTEGER = 2**31 - 1


def database_id(form, field) -> None:
    """A hidden field that carries an id or a revision: digits, within the database's integer."""
    value = (field.data or "").strip() if isinstance(field.data, str) else field.data
    if isinstance(value, str) and value.isascii() and value.isdigit() and int(value) <= MAX_DATABASE_INTEGER:
        return
    if isinstance(value, int) and 0 <= value <= MAX_DATABASE_INTEGER:
        return
    raise ValidationError(_l("The form is incomplete. Please open it again."))
