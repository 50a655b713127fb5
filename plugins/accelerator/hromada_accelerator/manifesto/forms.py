"""Forms of the manifesto: an edit of the draft, and a comment on a paragraph."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from hromada.plugin_api import lazy_gettext as _l
from hromada_accelerator.manifesto.revisions import MAX_LENGTH


class EditForm(FlaskForm):
    text = TextAreaField(_l("The manifesto"), validators=[
        InputRequired(message=_l("Write the manifesto, or keep the text you have.")),
        Length(max=MAX_LENGTH, message=_l("At most 50000 characters."))])
    # The revision this edit started from: "" for the first one.
    base = HiddenField()


class CommentForm(FlaskForm):
    paragraph = IntegerField(validators=[InputRequired(message=_l("Choose a paragraph.")),
                                         NumberRange(min=0, max=1000, message=_l("Choose a paragraph."))],
                             invalid_value_message=_l("Choose a paragraph."))
    body = TextAreaField(_l("Your comment"), validators=[
        InputRequired(message=_l("Write your comment.")), Length(max=2000, message=_l("At most 2000 characters."))])
    revision = HiddenField(validators=[Optional()])
