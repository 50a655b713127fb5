"""How communities get into a programme: a community applies, or a newcomer signs a new
community up from an open call; operators admit or decline, once.

Plain functions of the objects and the person acting (`actor`), callable without a
request, as in `operations`: each saves its work with its audit entry (commits), or
raises `Unchanged` having saved nothing (`OutOfDate`: the form was sent twice, or the
application was decided meanwhile). A community has one application per programme (a
unique key), and only a submitted application is decided (a conditional update). A
coordinator writes as the community, operators as their organisation.
"""

from __future__ import annotations

from typing import Callable

from flask import url_for
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, User
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.communities.services import create_community_with_coordinator
from hromada.modules.notifications.service import notify
from hromada.modules.programmes.models import Application, ApplicationStatus, Programme, Stage
from hromada.modules.programmes.operations import OutOfDate, Unchanged, added_in_savepoint
from hromada.modules.programmes.util import first_open_stage
from hromada.modules.questionnaires import operations as questionnaires

DECIDED_ALREADY = _l("This application was decided already: nothing was changed.")
NO_OPEN_STAGE = _l("The programme has no open stage to admit a community to.")
STAGE_FULL = _l("The first open stage is full: raise its capacity or close it first.")
APPLIED_ALREADY = _l("Your community has applied to this programme already. Here is its application.")
NOT_PUBLIC = _l("This programme is not public: nobody can apply to it now.")
HANDLE_TAKEN = _l("This handle or e-mail is already in use. Choose another, or sign in first.")
ADMITTED_NOTICE = _l("Your community is admitted to the programme “%(programme)s”.")
DECLINED_NOTICE = _l("Your community's application to the programme “%(programme)s” is declined; "
                     "the decision's message is on the applications page.")


class NotPublic(Unchanged):
    """The programme was returned to draft: nobody may apply to it."""


def _still_published(programme: Programme) -> None:
    """Lock the programme's row for this application and check that it is published (else `Unchanged`).

    An operator returning it to draft locks the row too (`operations.return_to_draft`): whichever comes
    second sees what the first did, so no application reaches a draft.
    """
    published = db.session.scalar(
        select(Programme.id).where(Programme.id == programme.id, Programme.published_at.is_not(None))
        .with_for_update(read=True)
    )
    if published is None:
        db.session.rollback()
        raise NotPublic(NOT_PUBLIC)


def submit_application(community_id: int, programme: Programme, answers: dict, actor: User) -> Application:
    """The community applies to `programme`, once: a second application is refused by the unique key (`OutOfDate`).

    The page checks first that the community neither applied nor takes part already; a programme no longer
    published is refused (`Unchanged`).
    """
    _still_published(programme)
    application = Application(
        tenant_id=community_id, organisation_id=programme.organisation_id, programme_id=programme.id,
        status=ApplicationStatus.SUBMITTED, answers=answers, decision_message="",
        questions_version=questionnaires.answered_version(programme.questionnaire),
    )
    if not added_in_savepoint(application):  # the same form, sent twice at once
        db.session.rollback()
        raise OutOfDate(APPLIED_ALREADY)
    record("application_submitted", actor=actor, organisation_id=programme.organisation_id,
           community_id=community_id, programme_id=programme.id)
    db.session.commit()
    return application


def new_community_with_application(programme: Programme, *, community_name: str, handle: str, password: str,
                                   email: str | None, language: str | None,
                                   answers: dict) -> tuple[Community, User, Application]:
    """A new community with its first coordinator, and its application; not committed (`sign_up_and_apply` is).

    Raises IntegrityError when the handle or e-mail was taken meanwhile, `Unchanged` when the programme is
    no longer published.
    """
    _still_published(programme)
    community, user = create_community_with_coordinator(
        community_name=community_name, handle=handle, password=password, email=email, language=language
    )
    application = Application(
        organisation_id=programme.organisation_id, programme_id=programme.id,
        status=ApplicationStatus.SUBMITTED, answers=answers, decision_message="",
        questions_version=questionnaires.answered_version(programme.questionnaire),
    )
    db.session.add(application)
    db.session.flush()
    record("application_submitted", actor=user, organisation_id=programme.organisation_id,
           community_id=community.id, programme_id=programme.id)
    return community, user, application


def sign_up_and_apply(programme: Programme, *, community_name: str, handle: str, password: str,
                      email: str | None, language: str | None, answers: dict,
                      sign_in: Callable[[User], None]) -> tuple[Community, User, Application]:
    """A newcomer signs a new community up from an open call: the person, the community and its application.

    `sign_in` starts the new coordinator's session (the page's `start_session`), in the
    same transaction, so that the sign-up and its session are kept together or not at all.
    Raises `Unchanged` when the handle or e-mail is in use, even when taken meanwhile.
    """
    taken = db.session.scalar(
        select(func.count(User.id)).where(or_(User.handle == handle, User.email == email if email else False))
    )
    if taken:
        raise Unchanged(HANDLE_TAKEN)
    try:
        community, user, application = new_community_with_application(
            programme, community_name=community_name, handle=handle, password=password, email=email,
            language=language, answers=answers,
        )
        sign_in(user)
        db.session.commit()
    except IntegrityError:
        # Someone took the handle meanwhile: nothing of this sign-up is kept, not even the tenant it entered.
        db.session.rollback()
        tenancy.set_tenant(None)
        raise Unchanged(HANDLE_TAKEN) from None
    return community, user, application


def _decide(application: Application, status: ApplicationStatus, actor: User, message: str) -> None:
    """Only a submitted application is decided: a repeated or stale decision changes nothing (`OutOfDate`)."""
    decided = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.status == ApplicationStatus.SUBMITTED)
        .values(status=status, decided_at=now(), decided_by_id=actor.id, decision_message=message)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(application)
    if decided != 1:
        db.session.rollback()
        raise OutOfDate(DECIDED_ALREADY)


def admit(programme: Programme, application: Application, actor: User, *, message: str = "") -> Stage:
    """Admit a submitted application: the community is enrolled in the first stage that is not closed."""
    stage = first_open_stage(programme.id, lock=True)
    if stage is None:
        db.session.rollback()
        raise Unchanged(NO_OPEN_STAGE)
    if stage.capacity is not None:
        in_stage = db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.current_stage_id == stage.id))
        if in_stage >= stage.capacity:
            db.session.rollback()
            raise Unchanged(STAGE_FULL)
    _decide(application, ApplicationStatus.ADMITTED, actor, message)
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.tenant_id == application.tenant_id, Enrolment.programme_id == programme.id)
    )
    if enrolment is None:  # a community enrolled by other means keeps its place
        db.session.add(Enrolment(tenant_id=application.tenant_id, organisation_id=programme.organisation_id,
                                 programme_id=programme.id, current_stage_id=stage.id))
    record("application_admitted", actor=actor, organisation_id=programme.organisation_id,
           community_id=application.tenant_id, programme_id=programme.id, application_id=application.id,
           stage_id=stage.id)
    _tell_the_coordinators(programme, application, "admitted", ADMITTED_NOTICE)
    db.session.commit()
    return stage


def decline(programme: Programme, application: Application, actor: User, *, message: str) -> None:
    """Decline a submitted application; the community reads `message`."""
    _decide(application, ApplicationStatus.DECLINED, actor, message)
    record("application_declined", actor=actor, organisation_id=programme.organisation_id,
           community_id=application.tenant_id, programme_id=programme.id, application_id=application.id)
    _tell_the_coordinators(programme, application, "declined", DECLINED_NOTICE)
    db.session.commit()


def _tell_the_coordinators(programme: Programme, application: Application, decision: str, message) -> None:
    """The community learns of the decision in the app, not only by opening its applications page."""
    community_id = application.tenant_id
    # Who its coordinators are: read for this notice only, in the decision's audited transaction.
    with tenancy.scope(reader_tenants=frozenset({community_id})):
        coordinator_ids = db.session.scalars(select(CommunityMembership.user_id).where(
            CommunityMembership.tenant_id == community_id, CommunityMembership.role == CommunityRole.COORDINATOR
        )).all()
    notify(coordinator_ids, key=f"programmes.application_{decision}:{application.id}", message=message,
           params={"programme": programme.title},
           link=url_for("programmes.community_applications", community_id=community_id))
