from hromada.hookspecs import hookimpl
from hromada.modules.programmes.models import Organisation, Programme, Stage


@hookimpl
def hromada_models():
    return [Organisation, Programme, Stage]
