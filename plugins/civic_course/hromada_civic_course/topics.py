"""The civic course's consultation topics: founding and registering an association at home
and abroad, electoral campaigns, and carrying out a change map."""

from __future__ import annotations

from hromada.plugin_api import ConsultationTopic
from hromada.plugin_api import lazy_gettext as _l

STAGE_TYPE = "civic_course"

CONSULTATION_TOPICS = (
    ConsultationTopic(
        key="civic_course.registration_at_home",
        stage_type=STAGE_TYPE,
        title=_l("Founding and legally registering an association in your own country"),
    ),
    ConsultationTopic(
        key="civic_course.registration_abroad",
        stage_type=STAGE_TYPE,
        title=_l("Founding and registering an association abroad"),
    ),
    ConsultationTopic(
        key="civic_course.electoral_campaigns",
        stage_type=STAGE_TYPE,
        title=_l("Taking part in electoral campaigns"),
    ),
    ConsultationTopic(
        key="civic_course.change_map",
        stage_type=STAGE_TYPE,
        title=_l("Carrying out a change map"),
    ),
)
