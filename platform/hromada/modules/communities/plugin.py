from hromada.hookspecs import hookimpl
from hromada.modules.communities.models import Community, Enrolment


@hookimpl
def hromada_models():
    return [Community, Enrolment]
