"""How this module's entries are named in the audit log (hromada_audit_labels)."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "factor_added": _l("Added a second factor"),
    "factor_removed": _l("Removed a second factor"),
    "recovery_codes_replaced": _l("Made new recovery codes"),
    "recovery_code_used": _l("Used a recovery code"),
    "second_factor_failed": _l("Typed a wrong second-factor code"),
    "factors_reset": _l("Reset a person's second factors"),
}
