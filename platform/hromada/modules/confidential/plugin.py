"""What the confidential module contributes to Hromada (hook implementations)."""

from hromada.hookspecs import hookimpl
from hromada.modules.confidential.models import DataKey


@hookimpl
def hromada_models():
    return [DataKey]


@hookimpl
def hromada_cli_commands():
    from hromada.modules.confidential.cli import keys_group

    return [keys_group]


@hookimpl
def hromada_app_ready(app):
    """Read the master keys once; a malformed key stops the app (ConfigurationError)."""
    from hromada.modules.confidential.keys import Keyring

    app.extensions["hromada.keyring"] = Keyring.from_config(app.config)


@hookimpl
def hromada_audit_labels():
    from hromada.modules.confidential.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_export_tables():
    from hromada.contributions import ExportTable
    from hromada.i18n import lazy_gettext as _l
    from hromada.modules.confidential.models import DataKey

    return [ExportTable(DataKey, omitted_because=_l(
        "the community's key, which seals its confidential notes: it never leaves the platform."))]
