"""Money: an amount in integer minor units with its ISO 4217 currency, never a float.

A budget or a scholarship is stored in two columns (`<name>_minor` BigInteger and
`<name>_currency` String(3)) and read as one `Money` through `money_composite`.
What a person types is read with `parse_money` in their language ("1 250,50" in
Ukrainian, "1,250.50" in English), with the currency's own number of decimals from
Babel (UAH 2, JPY 0, KWD 3); the page shows it with `format_money` or the Jinja
filter `money`, again in the reader's language. `MoneyField` is the form field:
an amount and a currency chosen from the configured list (`HROMADA_CURRENCIES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_currency, format_decimal, get_currency_precision, parse_decimal
from markupsafe import Markup, escape
from sqlalchemy.orm import composite
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.widgets import html_params

from hromada.i18n import lazy_gettext as _l

CURRENCY_CODE = re.compile(r"[A-Z]{3}")
# Nothing a community budgets for comes near a trillion; a larger number is a typing accident.
MAX_MAJOR_UNITS = 10**12
# Longer than any amount up to the maximum with its separators: refused before parsing.
MAX_TYPED_LENGTH = 40
# The currencies forms offer unless the app's configuration (HROMADA_CURRENCIES) says otherwise; the first is
# the default.
DEFAULT_CURRENCIES = ("UAH", "EUR", "USD", "PLN", "BYN")


class MoneyError(ValueError):
    """What a person typed is not an amount of that currency; `message` says why, in their language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self):
        if isinstance(self.amount_minor, bool) or not isinstance(self.amount_minor, int):
            raise TypeError(f"Money counts whole minor units, not {type(self.amount_minor).__name__}")
        if not isinstance(self.currency, str) or not CURRENCY_CODE.fullmatch(self.currency):
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str) -> Money:
        """`Money.of("1250.50", "UAH")`: from an exact amount in major units (never a float)."""
        if isinstance(amount, float):
            raise TypeError("Money is never made from a float: pass a Decimal, an int or a string")
        minor = Decimal(amount).scaleb(precision(currency))
        if minor != minor.to_integral_value():
            raise ValueError(f"{amount} has more decimals than {currency} has")
        return cls(int(minor), currency)

    @property
    def amount(self) -> Decimal:
        """The amount in major units, exactly."""
        return Decimal(self.amount_minor).scaleb(-precision(self.currency))

    def __composite_values__(self) -> tuple[int, str]:
        return self.amount_minor, self.currency

    def _same_currency(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount_minor < other.amount_minor

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount_minor <= other.amount_minor

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def precision(currency: str) -> int:
    """Digits after the decimal mark the currency has (Babel's CLDR data): 2 for UAH, 0 for JPY."""
    return get_currency_precision(currency)


def _locale(locale=None):
    if locale is not None:
        return locale
    from flask import has_request_context
    from flask_babel import get_locale

    return (get_locale() if has_request_context() else None) or "en"


def format_money(money: Money | None, locale=None) -> str:
    """`1 250,50 ₴` for a Ukrainian reader, `UAH1,250.50` for an English one; empty for no amount."""
    if money is None:
        return ""
    return format_currency(money.amount, money.currency, locale=_locale(locale))


def amount_for_input(money: Money | None, locale=None) -> str:
    """The amount as a form shows it for editing: the reader's decimal mark, no grouping, no symbol."""
    if money is None:
        return ""
    digits = precision(money.currency)
    pattern = "0" + ("." + "0" * digits if digits else "")
    return format_decimal(money.amount, format=pattern, locale=_locale(locale))


def parse_money(text: str, currency: str, locale=None) -> Money:
    """What a person typed as an amount of `currency`, read in their language; `MoneyError` says what is wrong.

    Spaces (also the non-breaking ones a copied number carries) are group separators
    and are ignored; a lone "." or "," before the last digits reads as the decimal mark
    in any language, so "1250.50" is understood in Ukrainian too.
    """
    locale = _locale(locale)
    if not isinstance(currency, str) or not CURRENCY_CODE.fullmatch(currency):
        raise MoneyError(_l("Choose one of the currencies offered."))
    example = amount_for_input(Money.of("1250.50" if precision(currency) >= 2 else "1250", currency), locale)
    cleaned = "".join((text or "").split())
    if not cleaned:
        raise MoneyError(_l("Enter an amount."))
    if len(cleaned) > MAX_TYPED_LENGTH:
        raise MoneyError(_l("The amount is too large."))
    if cleaned[0] in "-−‒–":
        raise MoneyError(_l("The amount cannot be negative."))
    if not re.fullmatch(r"[0-9][0-9.,]*", cleaned):
        raise MoneyError(_not_an_amount(example))
    try:
        value = parse_decimal(cleaned, locale=locale, strict=True)
    except (NumberFormatError, InvalidOperation):
        other_mark = re.fullmatch(r"([0-9]+)[.,]([0-9]+)", cleaned)
        if other_mark is None:
            raise MoneyError(_not_an_amount(example)) from None
        value = Decimal(f"{other_mark.group(1)}.{other_mark.group(2)}")
    if not value.is_finite():
        raise MoneyError(_not_an_amount(example))
    if value > MAX_MAJOR_UNITS:
        raise MoneyError(_l("The amount is too large."))
    minor = value.scaleb(precision(currency))
    if minor != minor.to_integral_value():
        if precision(currency) == 0:
            raise MoneyError(_l("Amounts in %(currency)s are whole numbers.", currency=currency))
        raise MoneyError(_l("Amounts in %(currency)s have at most %(digits)s digits after the decimal mark.",
                            currency=currency, digits=precision(currency)))
    return Money(int(minor), currency)


def _not_an_amount(example: str):
    return _l("Enter an amount such as %(example)s.", example=example)


def configured_currencies() -> tuple[str, ...]:
    from flask import current_app, has_app_context

    if has_app_context():
        return tuple(current_app.config.get("HROMADA_CURRENCIES") or DEFAULT_CURRENCIES)
    return DEFAULT_CURRENCIES


# --- Storing it ------------------------------------------------------------------------------------


def money_composite(amount_column: str, currency_column: str):
    """One `Money` attribute over the model's two columns (None while both are empty).

        budget_minor: Mapped[int | None] = mapped_column(BigInteger)
        budget_currency: Mapped[str | None] = mapped_column(String(3))
        budget: Mapped[Money | None] = money_composite("budget_minor", "budget_currency")
    """
    return composite(_money_or_none, amount_column, currency_column)


def _money_or_none(amount_minor, currency):
    if amount_minor is None and currency is None:
        return None
    return Money(amount_minor, currency)


# --- The form field --------------------------------------------------------------------------------


class MoneyInput:
    """An amount (text, decimal keyboard on phones) and its currency (a select), side by side.

    The field's label points at the amount; the currency select carries its own
    accessible name. Attributes given when rendering (aria-describedby, aria-invalid)
    go on the amount.
    """

    def __call__(self, field: MoneyField, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        amount = html_params(name=field.name, type="text", inputmode="decimal", autocomplete="off",
                             value=field.amount_text(), **kwargs)
        options = "".join(
            f'<option value="{escape(code)}"{" selected" if code == field.currency else ""}>{escape(code)}</option>'
            for code in field.currencies
        )
        select = html_params(name=field.currency_name, id=field.currency_name, **{"aria-label": _l("Currency")})
        return Markup(f'<span class="money-input"><input {amount}><select {select}>{options}</select></span>')


class MoneyField(Field):
    """An amount and a currency; `data` is a `Money`, or None when the amount is left empty.

    Posts two values: `<name>` (the amount as typed) and `<name>_currency`. The
    currencies offered are `currencies`, else the app's `HROMADA_CURRENCIES`; the
    default currency is `default_currency`, else the first offered.
    """

    widget = MoneyInput()

    def __init__(self, label=None, validators=None, *, currencies=None, default_currency=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self._currencies = tuple(currencies) if currencies else None
        self._default_currency = default_currency
        self.currency_raw: str | None = None
        self.typed: str | None = None

    @property
    def currency_name(self) -> str:
        return f"{self.name}_currency"

    @property
    def currencies(self) -> tuple[str, ...]:
        return self._currencies or configured_currencies()

    @property
    def currency(self) -> str:
        if self.currency_raw in self.currencies:
            return self.currency_raw
        if isinstance(self.data, Money):
            return self.data.currency
        return self._default_currency or self.currencies[0]

    def amount_text(self) -> str:
        if self.typed is not None:
            return self.typed
        return amount_for_input(self.data) if isinstance(self.data, Money) else ""

    def process(self, formdata, data=unset_value, extra_filters=None):
        if formdata is not None and self.currency_name in formdata:
            self.currency_raw = formdata.get(self.currency_name)
        super().process(formdata, data=data, extra_filters=extra_filters)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.typed = valuelist[0]
        self.data = None
        if not valuelist[0].strip():
            return
        if self.currency_raw not in self.currencies:
            raise ValueError(_l("Choose one of the currencies offered."))
        try:
            self.data = parse_money(valuelist[0], self.currency_raw)
        except MoneyError as refusal:
            raise ValueError(refusal.message) from None
