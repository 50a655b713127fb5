"""Consultation topics: the plugins' (per stage type) and the operators' (per programme).

A consultation stores its topic as the plugin topic's key or as a programme
topic's id; `TopicChoice.value` encodes the enrolment and the topic in one form
value, so that a community in two programmes picks both at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from hromada.contributions import ConsultationTopic
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.communities.models import Enrolment
from hromada.modules.consultations.models import Consultation, ProgrammeTopic
from hromada.plugins import PluginLoadError, collect

EXTENSION = "hromada.consultation_topics"
UNKNOWN_TOPIC = _l("A topic that is no longer offered")


def register_topics(app: Flask) -> None:
    """Collect the plugins' topics once, when the app is built; a key offered twice stops the app."""
    topics: dict[str, ConsultationTopic] = {}
    for topic in collect(app.extensions["hromada.plugins"], "hromada_consultation_topics"):
        if topic.key in topics:
            raise PluginLoadError(f"Two plugins define the consultation topic {topic.key!r}.")
        topics[topic.key] = topic
    app.extensions[EXTENSION] = topics


def plugin_topics() -> dict[str, ConsultationTopic]:
    return current_app.extensions.get(EXTENSION, {})


def topic_title(consultation: Consultation) -> Any:
    if consultation.programme_topic is not None:
        return consultation.programme_topic.title
    topic = plugin_topics().get(consultation.topic_key or "")
    return topic.title if topic else UNKNOWN_TOPIC


def topic_group_key(topic_key: str | None, programme_topic_id: int | None) -> str:
    return f"p{programme_topic_id}" if programme_topic_id else (topic_key or "")


@dataclass(frozen=True)
class TopicChoice:
    """A topic a community may ask for now, in one of its enrolments."""

    enrolment: Enrolment
    title: Any
    topic_key: str | None = None
    programme_topic_id: int | None = None
    notes_author_only: bool = False

    @property
    def value(self) -> str:
        return f"{self.enrolment.id}:{topic_group_key(self.topic_key, self.programme_topic_id)}"


def choices_for(enrolments: list[Enrolment], *, stage_types: set[str] | None = None) -> list[TopicChoice]:
    """The topics of each enrolment's current stage type and of its programme (not retired).

    `stage_types` narrows the plugin topics further (a mentor's direct log uses every enrolment).
    """
    programme_ids = {enrolment.programme_id for enrolment in enrolments}
    own = {}
    if programme_ids:
        for topic in db.session.scalars(
            select(ProgrammeTopic)
            .where(ProgrammeTopic.programme_id.in_(programme_ids), ProgrammeTopic.retired_at.is_(None))
            .order_by(ProgrammeTopic.title)
        ):
            own.setdefault(topic.programme_id, []).append(topic)
    choices: list[TopicChoice] = []
    for enrolment in enrolments:
        stage = enrolment.current_stage
        if stage is not None and (stage_types is None or stage.stage_type in stage_types):
            for topic in plugin_topics().values():
                if topic.stage_type == stage.stage_type:
                    choices.append(TopicChoice(enrolment, topic.title, topic_key=topic.key,
                                               notes_author_only=topic.notes_author_only))
        for topic in own.get(enrolment.programme_id, []):
            choices.append(TopicChoice(enrolment, topic.title, programme_topic_id=topic.id))
    return choices
