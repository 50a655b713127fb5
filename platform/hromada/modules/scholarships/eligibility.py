"""Who may apply to a call: the community takes part in the call's programme, and meets every condition the
stage plugins set (`hromada_scholarship_eligibility`), each shown with its reason."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from hromada.contributions import EligibilityCondition
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.communities.models import Enrolment
from hromada.modules.scholarships.models import ScholarshipCall


def conditions(call: ScholarshipCall, community_id: int) -> list[EligibilityCondition]:
    """Every condition of the call for the community, in the community's context, met or not."""
    enrolled = db.session.scalar(
        select(Enrolment.id).where(Enrolment.tenant_id == community_id, Enrolment.programme_id == call.programme_id)
    ) is not None
    found = [EligibilityCondition(
        "scholarships.enrolled", _l("Takes part in the programme"), enrolled,
        _l("Your community takes part in the programme.") if enrolled else
        _l("Your community does not take part in this programme."))]
    for contributed in current_app.extensions["hromada.plugins"].hook.hromada_scholarship_eligibility(
            call=call, stage=call.stage, community_id=community_id):
        found.extend(contributed)
    return found


def all_met(found: list[EligibilityCondition]) -> bool:
    return all(condition.met for condition in found)
