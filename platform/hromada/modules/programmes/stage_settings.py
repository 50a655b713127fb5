"""A stage's settings: the stage type's own fields and those other modules add to it.

Each setting belongs to the module that reads it (the events module's "networking
events required", the courses module's "course completion share"), added to the
stage types that want it through `hromada_stage_settings_fields`. The forms are
composed once, when the app is built; a stage without a value for a setting reads
the field's default, so a stage saved before a setting existed behaves as a new one.
The stage page fills its settings form here (`settings_form`) and stores what it gives
(`settings_data`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, current_app
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

from hromada.plugins import PluginLoadError, collect


@dataclass(frozen=True)
class StageSettings:
    """The settings form of one stage type (None: it has no settings) and each setting's default."""

    form_class: type | None = None
    defaults: dict[str, Any] = field(default_factory=dict)


NO_SETTINGS = StageSettings()


def compose_stage_settings(app: Flask) -> dict[str, StageSettings]:
    """Every stage type's settings, composed when the app is built, so a clash stops it at once."""
    return {key: _compose(app, stage_type) for key, stage_type in app.extensions["hromada.stage_types"].items()}


def _compose(app: Flask, stage_type) -> StageSettings:
    own = stage_type.settings_form
    added = {}
    for setting in collect(app.extensions["hromada.plugins"], "hromada_stage_settings_fields", stage_type=stage_type):
        if setting.name in added or (own is not None and hasattr(own, setting.name)):
            raise PluginLoadError(f"The setting {setting.name!r} of stage type {stage_type.key!r} is defined twice.")
        added[setting.name] = setting.field
    if own is None and not added:
        return NO_SETTINGS
    name = "".join(part.title() for part in stage_type.key.split("_")) + "StageSettingsForm"
    form_class = type(name, (own or FlaskForm,), added)
    return StageSettings(form_class, _defaults(form_class))


def _defaults(form_class: type) -> dict[str, Any]:
    defaults = {}
    for name in dir(form_class):
        value = getattr(form_class, name, None)
        if isinstance(value, UnboundField):
            default = value.kwargs.get("default")
            defaults[name] = default() if callable(default) else default
    return defaults


def settings_of(stage_type_key: str | None) -> StageSettings:
    composed = current_app.extensions.setdefault("hromada.stage_settings", {})
    if stage_type_key not in composed:
        # A stage type registered after start-up (tests do); an unknown one has no settings.
        stage_type = current_app.extensions["hromada.stage_types"].get(stage_type_key)
        composed[stage_type_key] = _compose(current_app, stage_type) if stage_type else NO_SETTINGS
    return composed[stage_type_key]


def stage_setting(stage: Any, name: str) -> Any:
    """The value of setting `name` for `stage`: what the operator saved, else the field's default."""
    if stage is None:
        return None
    saved = stage.settings or {}
    if name in saved:
        return saved[name]
    return settings_of(stage.stage_type).defaults.get(name)


def settings_form(stage_type, stage: Any = None, formdata=None):
    """The stage type's settings form (with the fields modules add), filled from the request,
    else from the stage's settings.

    Fields the stage has no setting for show the form's defaults. The form is
    part of a page whose own form carries the CSRF token, and is prefixed so
    that a plugin's field names never meet the page's.
    """
    form_class = settings_of(stage_type.key).form_class if stage_type is not None else None
    if form_class is None:
        return None
    data = dict(stage.settings or {}) if stage is not None else {}
    return form_class(formdata=formdata, data=data, prefix="settings", meta={"csrf": False})


def settings_data(form) -> dict:
    """What is stored in `Stage.settings`: the form's data (without any CSRF token), as JSON values."""
    if form is None:
        return {}
    return {name: _jsonable(value) for name, value in form.data.items() if name != "csrf_token"}


def _jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def default_settings(stage_type) -> dict:
    """The settings a new stage of `stage_type` starts with: its form's defaults."""
    return settings_data(settings_form(stage_type, formdata=None))
