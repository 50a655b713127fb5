"""The accelerator's consultation topics: activities and institutional development, and strategy."""

from __future__ import annotations

from hromada.plugin_api import ConsultationTopic
from hromada.plugin_api import lazy_gettext as _l

STAGE_TYPE = "accelerator"

CONSULTATION_TOPICS = (
    ConsultationTopic(
        key="accelerator.institutional_development",
        stage_type=STAGE_TYPE,
        title=_l("The community's activities and institutional development"),
    ),
    ConsultationTopic(
        key="accelerator.strategy",
        stage_type=STAGE_TYPE,
        title=_l("Strategy: values, vision, mission, strategic goals and the operational plan"),
    ),
)
