from hromada.plugin_api import lazy_gettext as _l

AUDIT_LABELS = {"accelerator.charter_adopted": _l("Charter adopted")}
