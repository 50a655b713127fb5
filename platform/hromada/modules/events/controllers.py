"""Pages of networking events: the operator's planning, attendance and KPIs; a community's registrations."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from hromada import authz, tenancy
from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import StaffMembership, StaffRole, User, shown_name
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.events import kpis, services
from hromada.modules.events.forms import EventForm, FollowUpForm
from hromada.modules.events.listing import events_page
from hromada.modules.events.models import EventMode, EventRegistration, FollowUpItem, NetworkingEvent
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.programmes.util import programme_or_404
from hromada.modules.progress.standings.by_name import communities_by_name
from hromada.paging import requested_number

ATTENDANCE_ROLES = {StaffRole.OPERATOR, StaffRole.FACILITATOR}
UPCOMING_ON_INDEX = 3


def stage_label(stage: Stage) -> str:
    if stage.title:
        return stage.title
    stage_type = current_app.extensions["hromada.stage_types"].get(stage.stage_type)
    return str(stage_type.title) if stage_type else stage.stage_type


# --- Loading what the URL names (404 for anything outside it) ------------------


def _event(programme: Programme, event_id: int) -> NetworkingEvent:
    event = db.session.scalar(
        select(NetworkingEvent)
        .options(joinedload(NetworkingEvent.stage))
        .where(NetworkingEvent.id == event_id, NetworkingEvent.programme_id == programme.id)
    )
    if event is None:
        abort(404)
    return event


def _reached_communities(organisation_id: int) -> set[int] | None:
    """Communities whose registrations this staff member sees: None for an operator (every community of the
    organisation: the queries filter by it, not by a list of 20,000 ids), a facilitator's assigned ones."""
    principal = authz.principal()
    if principal.operates(organisation_id):
        return None
    reach = principal.staff_reach()
    return {community for community, roles in reach.items() if roles.get(organisation_id, set()) & ATTENDANCE_ROLES}


def _registrations_reached(organisation_id: int, communities: set[int] | None):
    """The condition on registrations that `_reached_communities` allows."""
    if communities is None:
        return EventRegistration.organisation_id == organisation_id
    return EventRegistration.tenant_id.in_(communities)


def _read_community_names(organisation_id: int, community_ids: set[int], **details) -> dict[int, str]:
    """Names of communities this staff member reaches, read through an audited allowance.

    The audit entry is committed by the view once the page is rendered (committing
    earlier would expire what the page has loaded, and reload it row by row).
    """
    if not community_ids:
        return {}
    tenancy.allow_reading(community_ids)
    record("events.read_communities", organisation_id=organisation_id, communities=sorted(community_ids), **details)
    return dict(db.session.execute(select(Community.id, Community.name).where(Community.id.in_(community_ids))).all())


# --- The organisation's pages ------------------------------------------------------


def organisation_events(organisation_id: int):
    """Each programme of the organisation with its next events."""
    programmes = db.session.scalars(
        select(Programme).where(Programme.organisation_id == organisation_id).order_by(Programme.title)
    ).all()
    upcoming = db.session.scalars(
        select(NetworkingEvent)
        .where(NetworkingEvent.organisation_id == organisation_id, NetworkingEvent.ends_at > now())
        .order_by(NetworkingEvent.starts_at)
    ).all()
    by_programme: dict[int, list[NetworkingEvent]] = {}
    for event in upcoming:
        by_programme.setdefault(event.programme_id, []).append(event)
    return render_template(
        "events/organisation_events.html", organisation_id=organisation_id, programmes=programmes,
        upcoming=by_programme, shown=UPCOMING_ON_INDEX, can_manage=authz.can("events.manage", organisation_id),
    )


EVENTS_PER_PAGE = 25


def programme_events(organisation_id: int, programme_id: int):
    """The programme's events, the latest first, 25 a page, with the registrations this person reaches."""
    programme = programme_or_404(organisation_id, programme_id)
    events = events_page(requested_number(), EVENTS_PER_PAGE, NetworkingEvent.programme_id == programme.id,
                         options=(joinedload(NetworkingEvent.stage),))
    counts = {}
    communities = _reached_communities(organisation_id)
    if events.rows and communities != set():
        counts = {
            event_id: (registered, attended or 0)
            for event_id, registered, attended in db.session.execute(
                select(
                    EventRegistration.event_id,
                    func.count(),
                    func.sum(case((EventRegistration.attended.is_(True), 1), else_=0)),
                )
                .where(EventRegistration.event_id.in_([e.id for e in events.rows]),
                       _registrations_reached(organisation_id, communities))
                .group_by(EventRegistration.event_id)
            )
        }
    return render_template(
        "events/programme_events.html", programme=programme, events=events, counts=counts,
        can_manage=authz.can("events.manage", organisation_id), stage_label=stage_label,
    )


def _stages(programme: Programme) -> list[Stage]:
    return db.session.scalars(select(Stage).where(Stage.programme_id == programme.id).order_by(Stage.position)).all()


def _event_form(programme: Programme, event: NetworkingEvent | None = None) -> EventForm:
    form = EventForm(obj=event) if event else EventForm()
    stages = _stages(programme)
    form.set_stages(stages, stage_label)
    if event is not None and request.method == "GET":
        # The form shows times in the event's own zone, as they were entered.
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(event.timezone)
        form.starts_at.data = as_utc(event.starts_at).astimezone(zone).replace(tzinfo=None)
        form.ends_at.data = as_utc(event.ends_at).astimezone(zone).replace(tzinfo=None)
        form.stage_id.data = str(event.stage_id or "")
        form.mode.data = EventMode(event.mode).value
    return form


def _event_values(form: EventForm) -> dict:
    mode = EventMode(form.mode.data)
    return {
        "title": form.title.data.strip(),
        "description": (form.description.data or "").strip(),
        "stage_id": form.stage(),
        "mode": mode,
        "place": (form.place.data or "").strip(),
        "link": (form.link.data or "").strip() or None,
        "timezone": form.timezone.data,
        "starts_at": form.starts_at_utc(),
        "ends_at": form.ends_at_utc(),
        "capacity": form.capacity.data,
    }


def new_event(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    form = _event_form(programme)
    if request.method == "POST":
        if not form.validate():
            return _render_event_form(programme, form, None), 400
        values = _event_values(form)
        try:
            event = services.new_event(programme=programme, creator_id=current_user.id, **values)
        except IntegrityError:
            # The same form sent twice: the first one created it.
            db.session.rollback()
            existing = db.session.scalar(
                select(NetworkingEvent.id).where(
                    NetworkingEvent.programme_id == programme_id,
                    NetworkingEvent.starts_at == values["starts_at"],
                    NetworkingEvent.title == values["title"],
                )
            )
            if existing is None:
                raise
            flash(_("This event exists already."), "info")
            return redirect(url_for("events.event_detail", organisation_id=organisation_id,
                                    programme_id=programme_id, event_id=existing))
        record("events.created", organisation_id=organisation_id, programme_id=programme_id, event_id=event.id)
        db.session.commit()
        flash(_("The event is planned. Its follow-up checklist is ready below."), "info")
        return redirect(url_for("events.event_detail", organisation_id=organisation_id,
                                programme_id=programme_id, event_id=event.id))
    return _render_event_form(programme, form, None)


def edit_event(organisation_id: int, programme_id: int, event_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    event = _event(programme, event_id)
    form = _event_form(programme, event)
    if request.method == "POST":
        valid = form.validate()
        if valid and form.capacity.data is not None and form.capacity.data < event.registered_count:
            form.capacity.errors.append(
                _l("%(count)s people are registered already: keep at least that many seats.",
                   count=event.registered_count)
            )
            valid = False
        if not valid:
            return _render_event_form(programme, form, event), 400
        for name, value in _event_values(form).items():
            setattr(event, name, value)
        try:
            db.session.flush()
        except IntegrityError:
            # Another event has this title and start, or people registered meanwhile beyond the new seats.
            db.session.rollback()
            event = _event(programme_or_404(organisation_id, programme_id), event_id)
            error = _l("The event could not be changed: another event has this title and start, "
                       "or more people have registered meanwhile. Check and try again.")
            return _render_event_form(programme, form, event, error=error), 409
        record("events.updated", organisation_id=organisation_id, programme_id=programme_id, event_id=event.id)
        db.session.commit()
        flash(_("The event is saved."), "info")
        return redirect(url_for("events.event_detail", organisation_id=organisation_id,
                                programme_id=programme_id, event_id=event.id))
    return _render_event_form(programme, form, event)


def _render_event_form(programme, form, event, error=None):
    return render_template("events/event_form.html", programme=programme, form=form, event=event, error=error)


def _staff_people(organisation_id: int) -> list[tuple[int, str]]:
    """(id, name) of the organisation's staff, by name: plain rows, not User objects (1,910 of them took 45 ms)."""
    rows = db.session.execute(
        select(User.id, User.display_name, User.handle, User.deleted_at)
        .where(User.id.in_(select(StaffMembership.user_id).where(StaffMembership.organisation_id == organisation_id)))
        .order_by(User.display_name, User.handle)
    ).all()
    return [(person_id, shown_name(display_name, handle, deleted_at))
            for person_id, display_name, handle, deleted_at in rows]


def event_detail(organisation_id: int, programme_id: int, event_id: int, *, follow_up_form: FollowUpForm | None = None,
                 failed_item_id: int | None = None, error=None, status: int = 200):
    programme = programme_or_404(organisation_id, programme_id)
    event = _event(programme, event_id)
    communities = _reached_communities(organisation_id)
    registrations = []
    if communities != set():
        registrations = db.session.scalars(
            select(EventRegistration)
            .options(joinedload(EventRegistration.user))
            .where(EventRegistration.event_id == event.id, _registrations_reached(organisation_id, communities))
            .order_by(EventRegistration.id)
        ).all()
    names = _read_community_names(organisation_id, {r.tenant_id for r in registrations}, event_id=event.id)
    groups: dict[int, list[EventRegistration]] = {}
    for registration in registrations:
        groups.setdefault(registration.tenant_id, []).append(registration)
    grouped = sorted(groups.items(), key=lambda item: (names.get(item[0], ""), item[0]))

    can_manage = authz.can("events.manage", organisation_id)
    items, forms = [], {}
    if can_manage:
        items = db.session.scalars(
            select(FollowUpItem).options(joinedload(FollowUpItem.owner))
            .where(FollowUpItem.event_id == event.id).order_by(FollowUpItem.id)
        ).all()
        staff = FollowUpForm.staff_choices(_staff_people(organisation_id)) if items else []
        for item in items:
            if follow_up_form is not None and item.id == failed_item_id:
                forms[item.id] = follow_up_form
                continue
            form = FollowUpForm(formdata=None, prefix=f"item-{item.id}", data={
                "owner_id": str(item.owner_id or ""), "owner_note": item.owner_note, "done": item.done_at is not None,
            })
            form.set_staff(staff)
            forms[item.id] = form
    page = render_template(
        "events/event_detail.html", programme=programme, event=event, grouped=grouped, names=names,
        started=services.has_started(event), can_manage=can_manage, items=items, forms=forms, error=error,
        stage_label=stage_label,
    )
    db.session.commit()  # the audited read
    return page, status


def _ids(field: str) -> list[int] | None:
    try:
        return [int(value) for value in request.form.getlist(field)]
    except ValueError:
        return None


def mark_attendance(organisation_id: int, programme_id: int, event_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    event = _event(programme, event_id)
    attended, absent = _ids("attended"), _ids("absent")
    if attended is None or absent is None:
        return event_detail(organisation_id, programme_id, event_id, status=400,
                            error=_l("The list of people could not be read. Please reload the page and try again."))
    if not attended and not absent:
        return event_detail(organisation_id, programme_id, event_id, status=400,
                            error=_l("Choose at least one person."))
    try:
        marked, unmarked = services.mark_attendance(
            event, attended=attended, absent=absent, communities=_reached_communities(organisation_id),
            marker_id=current_user.id,
        )
    except services.AttendanceNotOpen:
        db.session.rollback()
        return event_detail(organisation_id, programme_id, event_id, status=409,
                            error=_l("Attendance can be marked once the event has started."))
    db.session.commit()
    if marked:
        flash(ngettext("%(num)d person marked as attended.", "%(num)d people marked as attended.", marked), "info")
    if unmarked:
        flash(ngettext("%(num)d person marked as absent.", "%(num)d people marked as absent.", unmarked), "info")
    if not marked and not unmarked:
        flash(_("Nothing changed: attendance was already as you marked it."), "info")
    return redirect(url_for("events.event_detail", organisation_id=organisation_id, programme_id=programme_id,
                            event_id=event_id) + "#attendance")


def update_follow_up(organisation_id: int, programme_id: int, event_id: int, follow_up_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    event = _event(programme, event_id)
    item = db.session.scalar(
        select(FollowUpItem).where(FollowUpItem.id == follow_up_id, FollowUpItem.event_id == event.id)
    )
    if item is None:
        abort(404)
    form = FollowUpForm(prefix=f"item-{item.id}")
    form.set_staff(FollowUpForm.staff_choices(_staff_people(organisation_id)))
    if not form.validate():
        return event_detail(organisation_id, programme_id, event_id, follow_up_form=form, failed_item_id=item.id,
                            status=400, error=_l("The follow-up item was not saved: please correct it below."))
    changed = services.update_follow_up(item, owner_id=form.owner(), owner_note=(form.owner_note.data or "").strip(),
                                        done=form.done.data, by_id=current_user.id)
    if changed:
        record("events.follow_up_updated", organisation_id=organisation_id, event_id=event.id, item=item.kind,
               done=item.done_at is not None)
    db.session.commit()
    flash(_("The follow-up is saved."), "info")
    return redirect(url_for("events.event_detail", organisation_id=organisation_id, programme_id=programme_id,
                            event_id=event_id) + f"#follow-up-{item.id}")


# The events of the participation page, and its communities, a page at a time: a programme of 8,137
# communities and 1,002 events was one table row per community and one bar per event (5.4 s).
KPI_EVENTS_PER_PAGE = 20
KPI_COMMUNITIES_PER_PAGE = 50


def programme_kpis(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    events = events_page(requested_number("events_page"), KPI_EVENTS_PER_PAGE,
                         NetworkingEvent.programme_id == programme.id, NetworkingEvent.starts_at <= now())
    participation = kpis.new_and_returning(programme.id, [event.id for event in events.rows])
    reached = _reached_communities(organisation_id)
    communities = communities_by_name(programme, requested_number(), KPI_COMMUNITIES_PER_PAGE, among=reached)
    shown = {row.tenant_id for row in communities.rows}
    if shown:
        tenancy.allow_reading(shown)  # their memberships, counted
        record("events.read_communities", organisation_id=organisation_id, communities=sorted(shown),
               programme_id=programme.id, page="kpis")
    activity = kpis.community_activity(organisation_id, shown)
    rows = [(row.name, activity[row.tenant_id]) for row in communities.rows]
    page = render_template(
        "events/kpis.html", programme=programme, events=events, participation=participation,
        chart=kpis.participation_chart(events.rows, participation), communities=communities, activity=rows,
        window_days=kpis.ACTIVE_WINDOW.days, query=request.args.to_dict(),
    )
    db.session.commit()  # the audited read
    return page


# --- A community's page ---------------------------------------------------------------


def _enrolled_programmes(community_id: int) -> list[int]:
    return list(db.session.scalars(select(Enrolment.programme_id).where(Enrolment.tenant_id == community_id)))


def _community_event(community_id: int, event_id: int) -> NetworkingEvent:
    event = db.session.scalar(
        select(NetworkingEvent).where(
            NetworkingEvent.id == event_id,
            NetworkingEvent.programme_id.in_(select(Enrolment.programme_id).where(Enrolment.tenant_id == community_id)),
        )
    )
    if event is None:
        abort(404)
    return event


def community_events(community_id: int, *, error=None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    programmes = _enrolled_programmes(community_id)
    upcoming = []
    if programmes:
        upcoming = db.session.scalars(
            select(NetworkingEvent)
            .options(joinedload(NetworkingEvent.programme), joinedload(NetworkingEvent.stage))
            .where(NetworkingEvent.programme_id.in_(programmes), NetworkingEvent.ends_at > now())
            .order_by(NetworkingEvent.starts_at)
        ).all()
    mine = db.session.scalars(
        select(EventRegistration)
        .options(joinedload(EventRegistration.event))
        .join(NetworkingEvent, NetworkingEvent.id == EventRegistration.event_id)
        .where(EventRegistration.tenant_id == community_id, EventRegistration.user_id == current_user.id)
        .order_by(NetworkingEvent.starts_at.desc())
    ).all()
    from_community = {}
    if upcoming:
        from_community = dict(
            db.session.execute(
                select(EventRegistration.event_id, func.count())
                .where(EventRegistration.tenant_id == community_id,
                       EventRegistration.event_id.in_([e.id for e in upcoming]))
                .group_by(EventRegistration.event_id)
            ).all()
        )
    return render_template(
        "events/community_events.html", community=community, upcoming=upcoming,
        registered={r.event_id: r for r in mine}, mine=mine, from_community=from_community,
        started={e.id for e in upcoming if services.has_started(e)}, error=error, stage_label=stage_label,
    ), status


REFUSALS = {
    services.EventFull: _l("There are no seats left at this event."),
    services.RegistrationClosed: _l("The event has started: registration is closed."),
}


def register(community_id: int, event_id: int):
    event = _community_event(community_id, event_id)
    # End the reading transaction: the registration starts a fresh one with the seat's lock.
    db.session.commit()
    try:
        registered = services.register(event, current_user.id)
    except services.RegistrationRefused as refusal:
        db.session.rollback()
        return community_events(community_id, error=REFUSALS[type(refusal)], status=409)
    db.session.commit()
    flash(_("You are registered.") if registered else _("You were registered already."), "info")
    return redirect(url_for("events.community_events", community_id=community_id))


def unregister(community_id: int, event_id: int):
    event = _community_event(community_id, event_id)
    try:
        cancelled = services.unregister(event, current_user.id)
    except services.RegistrationRefused as refusal:
        db.session.rollback()
        return community_events(community_id, error=REFUSALS[type(refusal)], status=409)
    db.session.commit()
    flash(_("Your registration is cancelled.") if cancelled else _("You were not registered."), "info")
    return redirect(url_for("events.community_events", community_id=community_id))
