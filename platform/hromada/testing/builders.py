"""The core's objects that plugins' tests build on, so that those tests import only
`hromada.plugin_api` and `hromada.testing` (the plugin boundary holds in tests too)."""

from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.communities.services import create_community_with_coordinator
from hromada.modules.consultations.testing import add_consultation, enrolment_of
from hromada.modules.programmes.models import Application
from hromada.modules.programmes.testing import add_question as add_call_question
from hromada.modules.questionnaires.models import QuestionKind
from hromada.modules.scholarships.models import ScholarshipApplication
from hromada.modules.scholarships.testing import make_call as make_scholarship_call


def programme_applications() -> list[Application]:
    """Every application to a programme's call, of every community."""
    with tenancy.system_scope():
        return db.session.scalars(select(Application).order_by(Application.id)).all()


def scholarship_applications() -> list[ScholarshipApplication]:
    """Every scholarship application, of every community."""
    with tenancy.system_scope():
        return db.session.scalars(select(ScholarshipApplication).order_by(ScholarshipApplication.id)).all()


__all__ = ["QuestionKind", "add_call_question", "add_consultation", "create_community_with_coordinator",
           "enrolment_of", "make_scholarship_call", "programme_applications", "scholarship_applications"]
