"""hromada.fields.SelectField writes the HTML WTForms' own select writes, faster."""

import pytest
from markupsafe import Markup
from wtforms import Form
from wtforms import SelectField as WTFormsSelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import Select

from hromada.fields import QuickSelect, SelectField
from hromada.i18n import lazy_gettext as _l

CHOICES = [
    SelectChoice("", "Every stage"),
    SelectChoice("1", "1. Incubator <soft skills> & \"PRO community\""),
    SelectChoice("2", Markup("<b>kept as it is</b>")),
    SelectChoice("x\"><script>", "a value that tries to leave its attribute"),
    SelectChoice(True, "yes"),
    SelectChoice("4"),  # no label: the value is shown
]


def rendered(choices, data, widget, **field_arguments):
    class OneField(Form):
        choice = SelectField(choices=choices, validators=[InputRequired()], **field_arguments)

    form = OneField(data={"choice": data})
    return str(widget(form.choice, class_="wide"))


@pytest.mark.parametrize("data", ["", "1", "x\"><script>", True, "missing"])
def test_the_html_is_wtforms_own_for_every_choice(app, data):
    with app.test_request_context("/"):
        assert rendered(CHOICES, data, QuickSelect()) == rendered(CHOICES, data, Select())
        lazy = [SelectChoice("a", _l("Stage")), SelectChoice("b", _l("Status"))]
        assert rendered(lazy, "b", QuickSelect()) == rendered(lazy, "b", Select())


def test_options_with_their_own_attributes_and_groups_are_left_to_wtforms(app):
    with_attributes = [SelectChoice("a", "A", render_kw={"disabled": True}), SelectChoice("b", "B")]
    groups = [SelectChoice("1", "One", optgroup="Stages"), SelectChoice("open", "Open", optgroup="Statuses")]
    with app.test_request_context("/"):
        for choices in (with_attributes, groups):
            assert rendered(choices, "b", QuickSelect()) == rendered(choices, "b", Select())


def test_the_field_is_wtforms_select_field_rendered_quickly():
    assert issubclass(SelectField, WTFormsSelectField) and isinstance(SelectField.widget, QuickSelect)
