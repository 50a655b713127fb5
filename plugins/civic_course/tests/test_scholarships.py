"""What the civic course gives scholarship calls: the condition of a call for a civic course stage."""

from __future__ import annotations

from sqlalchemy import select

from hromada.plugin_api import Enrolment, Programme, Stage, db, system_scope
from hromada.testing.builders import make_scholarship_call
from hromada.testing.factories import sign_in


def test_a_community_without_an_adopted_change_map_sees_why_it_cannot_apply_yet(world, client):
    with system_scope():
        stage = Stage(programme_id=world.a.programme.id, position=1, stage_type="civic_course")
        db.session.add(stage)
        db.session.flush()
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id,
                                                               Enrolment.programme_id == world.a.programme.id)).one()
        enrolment.current_stage_id = stage.id
        call_id = make_scholarship_call(db.session.get(Programme, world.a.programme.id), stage_id=stage.id).id
        db.session.commit()
    sign_in(client, "coordinator-a")
    page = client.get(f"/communities/{world.a.communities[0].id}/scholarships/{call_id}").get_data(as_text=True)
    assert "Not met:</strong> A change map adopted with an action plan" in page
    assert "0 of 1 change maps adopted with an action plan" in page
