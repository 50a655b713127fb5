"""Money: integer minor units with a currency, read and shown in the person's language.

The storage test runs on SQLite and on PostgreSQL (a temporary table, as the app's role).
"""

from __future__ import annotations

import re
import warnings
from decimal import Decimal

import pytest
from flask_wtf import FlaskForm
from hromada.extensions import db
from hromada.money import Money, MoneyError, MoneyField, format_money, money_composite, parse_money
from sqlalchemy import BigInteger, Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from werkzeug.datastructures import MultiDict
from wtforms.validators import InputRequired


@pytest.mark.parametrize("typed, locale, currency, minor", [
    ("1 250,50", "uk", "UAH", 125050),
    ("1\u00a0250,50", "uk", "UAH", 125050),  # copied from a page: a non-breaking space
    ("1250.50", "uk", "UAH", 125050),  # the other decimal mark, unambiguous
    ("1,250.50", "en", "USD", 125050),
    ("1250,5", "en", "EUR", 125050),
    ("1,250", "en", "UAH", 125000),
    ("  300 ", "be", "BYN", 30000),
    ("0", "ru", "PLN", 0),
    ("1 250", "uk", "JPY", 1250),  # no minor units
    ("1,5", "uk", "KWD", 1500),  # three decimals
])
def test_what_a_person_types_is_read_in_their_language(typed, locale, currency, minor):
    assert parse_money(typed, currency, locale) == Money(minor, currency)


@pytest.mark.parametrize("typed, currency, message", [
    ("12,345", "UAH", "Amounts in UAH have at most 2 digits after the decimal mark."),
    ("12,5", "JPY", "Amounts in JPY are whole numbers."),
    ("-5", "UAH", "The amount cannot be negative."),
    ("−5", "UAH", "The amount cannot be negative."),
    ("1" + "0" * 13, "UAH", "The amount is too large."),
    ("9" * 60, "UAH", "The amount is too large."),
    ("NaN", "UAH", "Enter an amount such as 1250,50."),
    ("1e5", "UAH", "Enter an amount such as 1250,50."),
    ("₴100", "UAH", "Enter an amount such as 1250,50."),
    ("1,2,3", "UAH", "Enter an amount such as 1250,50."),
    ("", "UAH", "Enter an amount."),
    ("100", "uah", "Choose one of the currencies offered."),
])
def test_what_is_not_an_amount_of_the_currency_is_refused_with_a_reason(typed, currency, message):
    with pytest.raises(MoneyError) as refusal:
        parse_money(typed, currency, "uk")
    assert str(refusal.value.message) == message


def test_money_is_exact_and_never_a_float():
    assert Money.of("1250.50", "UAH") == Money(125050, "UAH")
    assert Money(125050, "UAH").amount == Decimal("1250.50")
    assert Money(100, "UAH") + Money(50, "UAH") == Money(150, "UAH")
    with pytest.raises(TypeError):
        Money(12.5, "UAH")
    with pytest.raises(TypeError):
        Money.of(0.1, "UAH")
    with pytest.raises(ValueError):
        Money(100, "UAH") + Money(100, "EUR")
    with pytest.raises(ValueError):
        Money(100, "hryvnia")


@pytest.mark.parametrize("locale, shown", [
    ("en", "UAH1,250.50"),
    ("uk", "1\u00a0250,50\u00a0₴"),
    ("be", "1\u00a0250,50\u00a0UAH"),
])
def test_an_amount_is_shown_as_the_reader_writes_it(locale, shown):
    assert format_money(Money(125050, "UAH"), locale) == shown


def test_the_money_filter_follows_the_readers_language(app):
    template = app.jinja_env.from_string("{{ budget|money }}|{{ nothing|money }}")
    with app.test_request_context(headers={"Accept-Language": "uk"}):
        assert template.render(budget=Money(125050, "EUR"), nothing=None) == "1\u00a0250,50\u00a0EUR|"


class Base(DeclarativeBase):
    pass


class Budget(Base):
    __tablename__ = "money_test_budgets"
    __table_args__ = {"prefixes": ["TEMPORARY"]}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requested_minor: Mapped[int | None] = mapped_column(BigInteger)
    requested_currency: Mapped[str | None] = mapped_column(String(3))
    requested: Mapped[Money | None] = money_composite("requested_minor", "requested_currency")


@pytest.mark.real_commits  # a connection of its own, to create the table
def test_money_is_stored_in_two_columns_and_read_back_exactly(app):
    connection = db.engine.connect()
    try:
        Base.metadata.create_all(connection)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no Numeric, no float: nothing to warn about
            with Session(connection) as session:
                large = Money(99_999_999_999_999, "UAH")  # beyond a 32-bit integer
                session.add_all([Budget(id=1, requested=large), Budget(id=2, requested=None)])
                session.flush()
                session.expire_all()
                assert session.get(Budget, 1).requested == large
                assert session.get(Budget, 2).requested is None
                assert session.scalars(select(Budget.id).where(Budget.requested == large)).all() == [1]
                row = session.execute(select(Budget.requested_minor, Budget.requested_currency)
                                      .where(Budget.id == 1)).one()
                assert tuple(row) == (99_999_999_999_999, "UAH")
                session.rollback()
    finally:
        connection.close()


class BudgetForm(FlaskForm):
    class Meta:
        csrf = False

    budget = MoneyField("Budget", validators=[InputRequired(message="Enter the budget.")])


def test_the_money_field_offers_the_configured_currencies_with_the_first_as_default(app):
    with app.test_request_context():
        page = BudgetForm().budget()
    assert re.findall(r'<option value="(\w+)"', page) == ["UAH", "EUR", "USD", "PLN", "BYN"]
    assert '<option value="UAH" selected>' in page and 'inputmode="decimal"' in page
    app.config["HROMADA_CURRENCIES"] = ["EUR", "PLN"]
    with app.test_request_context():
        page = BudgetForm().budget()
    assert re.findall(r'<option value="(\w+)"', page) == ["EUR", "PLN"]


def test_the_money_field_reads_the_amount_and_keeps_what_was_typed_when_refused(app):
    with app.test_request_context(method="POST", headers={"Accept-Language": "uk"}):
        form = BudgetForm(formdata=MultiDict({"budget": "1 250,50", "budget_currency": "EUR"}))
        assert form.validate() and form.budget.data == Money(125050, "EUR")
    with app.test_request_context(method="POST", headers={"Accept-Language": "uk"}):
        form = BudgetForm(formdata=MultiDict({"budget": "12,345", "budget_currency": "EUR"}))
        assert not form.validate()
        assert form.budget.errors == ["Суми в EUR мають щонайбільше таку кількість цифр після десяткового знака: 2."]
        page = form.budget()
        assert 'value="12,345"' in page and '<option value="EUR" selected>' in page
    with app.test_request_context(method="POST", headers={"Accept-Language": "uk"}):
        form = BudgetForm(formdata=MultiDict({"budget": "100", "budget_currency": "XAU"}))
        assert not form.validate() and form.budget.errors == ["Виберіть одну із запропонованих валют."]


def test_the_money_field_shows_a_stored_amount_for_editing_in_the_readers_language(app):
    with app.test_request_context(headers={"Accept-Language": "uk"}):
        page = BudgetForm(data={"budget": Money(125050, "PLN")}).budget()
    assert 'value="1250,50"' in page and '<option value="PLN" selected>' in page
