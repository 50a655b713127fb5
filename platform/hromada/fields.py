"""Form fields of our own where WTForms' cost shows on the pages people open most.

WTForms' select writes every option through `html_params`, which formats each attribute with
`Markup.format` (a `string.Formatter` that escapes each value): about 20 µs an option. The
cohort's filters (30 options) took 2.8 ms of a 13 ms page with it. `SelectField` here writes the
same HTML, attribute for attribute (`selected` before `value`, as `html_params` sorts them),
with one `escape` per value: a third of the time. Options with their own attributes, groups and
multiple selects are left to WTForms.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import SelectField as WTFormsSelectField
from wtforms.widgets import Select, html_params


class QuickSelect(Select):
    """WTForms' `Select`, its plain options written directly."""

    def __call__(self, field, **kwargs):
        if self.multiple or field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", None)
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = getattr(flags, name)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for choice in field.iter_choices():  # WTForms 3.3: `Choice`s (value, label, selected, render_kw)
            if choice.render_kw:
                html.append(self.render_option(choice))
                continue
            value = str(choice.value) if isinstance(choice.value, bool) else choice.value
            selected = "selected " if choice.selected else ""
            html.append(f'<option {selected}value="{escape(value)}">{escape(choice.label or choice.value)}</option>')
        html.append("</select>")
        return Markup("".join(html))


class SelectField(WTFormsSelectField):
    """`wtforms.SelectField`, rendered by `QuickSelect`: use it for every single-choice list."""

    widget = QuickSelect()
