"""Forms of the strategy: vision and mission, a strategic goal, a comment."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from hromada.plugin_api import lazy_gettext as _l


class TextsForm(FlaskForm):
    vision = TextAreaField(_l("Vision"), description=_l("The future you want to see in your street, town or country."),
                           validators=[Optional(), Length(max=2000, message=_l("At most 2000 characters."))])
    mission = TextAreaField(_l("Mission"), description=_l("What the community does to move towards it, for whom and how."),
                            validators=[Optional(), Length(max=2000, message=_l("At most 2000 characters."))])


def a_sensible_date(form, field) -> None:
    if field.data is not None and not (date(2000, 1, 1) <= field.data <= date(2100, 12, 31)):
        raise ValidationError(_l("Enter a date between 2000 and 2100."))


class GoalForm(FlaskForm):
    title = StringField(_l("Strategic goal"), validators=[
        InputRequired(message=_l("Name the goal.")), Length(max=200, message=_l("At most 200 characters."))])
    result = TextAreaField(_l("The measurable result that shows it is reached"), validators=[
        InputRequired(message=_l("Say how you will know the goal is reached.")),
        Length(max=2000, message=_l("At most 2000 characters."))])
    target_on = DateField(_l("Target date"), validators=[InputRequired(message=_l("Enter a date.")), a_sensible_date],
                          invalid_value_message=_l("Enter a date."))


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[
        InputRequired(message=_l("Write your comment.")), Length(max=2000, message=_l("At most 2000 characters."))])
