from hromada.hookspecs import hookimpl
from hromada.modules.audit.models import AuditEvent


@hookimpl
def hromada_models():
    return [AuditEvent]


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.audit.labels import audit_label, collect_audit_labels

    from hromada.modules.audit.log import record

    app.extensions["hromada.audit_labels"] = collect_audit_labels(app)
    app.extensions["hromada.audit_record"] = record  # the access policy records staff reads with it
    app.jinja_env.globals["audit_label"] = audit_label
