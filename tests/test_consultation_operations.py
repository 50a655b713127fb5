"""Consultation operations called directly, without a page: a change that cannot happen says why and
leaves what was there. (The pages' flows, permissions and messages are in test_consultations.py.)"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityRole, StaffRole
from hromada.modules.consultations import operations
from hromada.modules.consultations.access import Viewer
from hromada.modules.consultations.models import Consultation, ConsultationStatus, FollowUp
from hromada.modules.consultations.operations import Unchanged
from hromada.modules.consultations.testing import add_consultation, enrolment_of

LINK = "https://meet.example.org/room"


def stored(model, row_id):
    with tenancy.system_scope():
        row = db.session.scalar(select(model).where(model.id == row_id))
        db.session.expunge_all()
    return row


def test_a_schedule_sent_again_or_gone_stale_changes_nothing_and_says_which(app, world):
    a1 = world.a.communities[0].id
    expert = world.a.people["expert"]
    viewer = Viewer(expert.id, a1, assignments={enrolment_of(a1).id: {StaffRole.EXPERT}})
    consultation_id = add_consultation(a1, status=ConsultationStatus.REQUESTED).id
    first = datetime(2030, 5, 1, 15, tzinfo=timezone.utc)
    with app.test_request_context():
        tenancy.allow_reading({a1})
        consultation = db.session.get(Consultation, consultation_id)
        revision = consultation.revision
        operations.schedule(consultation, viewer, expert, revision=revision, starts_at=first, online_link=LINK,
                            place=None, staff_id=expert.id)
        with pytest.raises(Unchanged) as again:
            operations.schedule(consultation, viewer, expert, revision=revision, starts_at=first, online_link=LINK,
                                place=None, staff_id=expert.id)
        with pytest.raises(Unchanged) as stale:
            operations.schedule(consultation, viewer, expert, revision=revision, starts_at=first + timedelta(days=1),
                                online_link=LINK, place=None, staff_id=expert.id)
    assert (again.value.message, stale.value.message) == (operations.ALREADY_SAVED, operations.CHANGED_MEANWHILE)
    scheduled = stored(Consultation, consultation_id)
    assert (scheduled.status, scheduled.revision) == (ConsultationStatus.SCHEDULED, revision + 1)
    assert scheduled.starts_at.replace(tzinfo=timezone.utc) == first


def test_a_consultation_is_rated_once(app, world):
    a1 = world.a.communities[0].id
    coordinator = world.a.people["coordinator"]
    consultation_id = add_consultation(a1, status=ConsultationStatus.LOGGED).id
    with app.test_request_context():
        tenancy.set_tenant(a1)
        consultation = db.session.get(Consultation, consultation_id)
        operations.rate(consultation, coordinator, rating=5, comment="Helpful")
        with pytest.raises(Unchanged) as again:
            operations.rate(consultation, coordinator, rating=1, comment="Changed my mind")
    assert again.value.message == operations.NOT_RATEABLE
    rated = stored(Consultation, consultation_id)
    assert (rated.status, rated.rating, rated.rating_comment) == (ConsultationStatus.RATED, 5, "Helpful")


def test_a_follow_up_is_marked_done_once_by_whoever_was_first(app, world):
    a1 = world.a.communities[0].id
    coordinator, member = world.a.people["coordinator"], world.a.people["member"]
    consultation = add_consultation(a1, follow_ups=[("Book the hall", member.id, date.today() + timedelta(days=3))])
    with tenancy.system_scope():
        follow_up_id = db.session.scalar(select(FollowUp.id).where(FollowUp.consultation_id == consultation.id))
    with app.test_request_context():
        tenancy.set_tenant(a1)
        follow_up = db.session.get(FollowUp, follow_up_id)
        first = operations.mark_done(follow_up, Viewer(member.id, a1, CommunityRole.MEMBER), member)
        second = operations.mark_done(follow_up, Viewer(coordinator.id, a1, CommunityRole.COORDINATOR), coordinator)
    assert (first, second) == (True, False)
    assert stored(FollowUp, follow_up_id).done_by_id == member.id
