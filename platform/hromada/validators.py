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


# Every date a person types lies in these years: a typo such as 9999 is refused with a message
# instead of ending in a programme, an event or a consultation nobody can ever reach.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def within_years(form, field) -> None:
    """A date or a date and time between FIRST_YEAR and LAST_YEAR (empty passes: Optional decides)."""
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Enter a date between the years %(first)s and %(last)s.",
                                 first=FIRST_YEAR, last=LAST_YEAR))
