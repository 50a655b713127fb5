"""The incubator's consultation topics: psychological support and security.

Psychological support goes through partners and its private notes stay with their
author, whoever asks (`notes_author_only`).
"""

from __future__ import annotations

from hromada.plugin_api import ConsultationTopic
from hromada.plugin_api import lazy_gettext as _l

STAGE_TYPE = "incubator"

CONSULTATION_TOPICS = (
    ConsultationTopic(
        key="incubator.psychological_support",
        stage_type=STAGE_TYPE,
        title=_l("Psychological support: stabilising the community, a culture of communication and reflection"),
        notes_author_only=True,
    ),
    ConsultationTopic(
        key="incubator.security",
        stage_type=STAGE_TYPE,
        title=_l("Security: safe communication inside the community and with partners"),
    ),
)
