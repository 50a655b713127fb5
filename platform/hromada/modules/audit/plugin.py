from hromada.hookspecs import hookimpl
from hromada.modules.audit.models import AuditEvent


@hookimpl
def hromada_models():
    return [AuditEvent]


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.audit.labels import audit_label, collect_audit_labels

    app.extensions["hromada.audit_labels"] = collect_audit_labels(app)
    app.jinja_env.globals["audit_label"] = audit_label
