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
from hromada.modules.scholarships.models import ScholarshipApplication, ScholarshipStatus
from hromada.modules.scholarships.testing import approved_with_tranches, make_application
from hromada.modules.scholarships.testing import make_call as make_scholarship_call


def programme_applications() -> list[Application]:
    """Every application to a programme's call, of every community."""
    with tenancy.system_scope():
        return db.session.scalars(select(Application).order_by(Application.id)).all()


def scholarship_applications() -> list[ScholarshipApplication]:
    """Every scholarship application, of every community."""
    with tenancy.system_scope():
        return db.session.scalars(select(ScholarshipApplication).order_by(ScholarshipApplication.id)).all()


def funded_scholarship(programme, community_id: int, tranche_plan: list[dict], *, stage_id: int | None = None):
    """A call of the programme with `tranche_plan`, the community's application approved for what it asked and
    its schedule made (a tranche "on approval" released); flushed. Returns (call, application, tranches)."""
    call = make_scholarship_call(programme, stage_id=stage_id)
    call.tranche_plan = tranche_plan
    application = make_application(call, community_id, status=ScholarshipStatus.APPROVED)
    return call, application, approved_with_tranches(application, call)


__all__ = ["funded_scholarship", "QuestionKind", "add_call_question", "add_consultation", "create_community_with_coordinator",
           "enrolment_of", "make_scholarship_call", "programme_applications", "scholarship_applications"]
