"""How audit entries are named on the audit pages: each module and plugin names its own.

Modules and plugins contribute `{action: label}` through `hromada_audit_labels`;
an action nobody named is shown as it is stored.
"""

from __future__ import annotations

from flask import Flask, current_app

from hromada.plugins import PluginLoadError


def collect_audit_labels(app: Flask) -> dict:
    labels: dict = {}
    for contributed in app.extensions["hromada.plugins"].hook.hromada_audit_labels():
        for action, label in (contributed or {}).items():
            if action in labels:
                raise PluginLoadError(f"The audit action {action!r} is named twice.")
            labels[action] = label
    return labels


def audit_label(action: str) -> str:
    return current_app.extensions["hromada.audit_labels"].get(action, action)
