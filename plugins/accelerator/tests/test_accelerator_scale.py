"""The accelerator's rows in the scale data, added through the core's `hromada_scale_data` hook."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from hromada.plugin_api import Enrolment, Stage, db, system_scope
from hromada.testing.factories import sign_in
from hromada_accelerator.charter.models import CharterRule, CharterValue
from hromada_accelerator.manifesto.models import ManifestoRevision
from hromada_accelerator.strategy.models import StrategicGoal

SCALE_PASSWORD = "scale-password-2027"  # published with the benchmark (README)


def test_every_community_in_the_accelerator_is_writing_its_charter_strategy_and_manifesto(app, client, runner):
    result = runner.invoke(args=["demo", "--scale", "24"])
    assert result.exit_code == 0, result.output
    created = dict(re.findall(r"^  (\w+) +([\d,]+)$", result.output, re.M))
    ids = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", result.output.split("Objects:")[1])}
    coordinator = re.search(r"^  (\S+) +coordinator$", result.output, re.M).group(1)
    db.session.remove()
    with system_scope():
        in_stage = set(db.session.scalars(select(Enrolment.tenant_id).join(Stage, Stage.id == Enrolment.current_stage_id)
                                          .where(Stage.stage_type == "accelerator")))
        assert in_stage and in_stage <= set(db.session.scalars(select(CharterValue.tenant_id)))
        assert in_stage <= set(db.session.scalars(select(StrategicGoal.tenant_id)))
        assert int(created["accelerator_strategic_goals"]) == db.session.scalar(select(func.count(StrategicGoal.id)))
        assert db.session.scalar(select(func.count(CharterRule.id))) >= 2
        assert db.session.scalar(select(func.count(ManifestoRevision.id))) >= 2
    assert sign_in(client, coordinator, SCALE_PASSWORD).status_code == 302
    community = ids["community_id"]
    pages = {path: client.get(f"/communities/{community}/{path}") for path in ("charter", "strategy", "manifesto")}
    assert all(page.status_code == 200 for page in pages.values())
    assert "We say what we do and why." in pages["charter"].get_data(as_text=True) or \
        "Nobody is left alone with a problem." in pages["charter"].get_data(as_text=True)
    assert "A street where every neighbour is heard." in pages["strategy"].get_data(as_text=True)
    assert "decided to look after our street" in pages["manifesto"].get_data(as_text=True)
