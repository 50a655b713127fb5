"""Pages of the charter: the draft its members write together, and the versions they adopt.

Members see and change the draft and propose it for adoption; staff who reach the
community read only what it adopted (an audited read, as every staff read of a
community), never the draft.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from hromada.plugin_api import (
    Community,
    current_principal,
    db,
    latest_proposals_about,
    requires,
)
from hromada_accelerator import versions
from hromada_accelerator.charter import draft as charter
from hromada_accelerator.charter.forms import DecidingForm, PrincipleForm, RuleForm, ValueForm
from hromada_accelerator.visibility import accelerator_programme, staff_programmes
from hromada_accelerator.charter.models import (
    CharterPrinciple,
    CharterRule,
    CharterRuleValue,
    CharterValue,
    CharterVersion,
    DecidingRule,
)

bp = Blueprint("accelerator_charter", __name__, template_folder="templates")
CHARTER = "/communities/<int:community_id>/charter"


def _read(view):
    return requires("accelerator.charter_read", community="community_id")(view)


def _write(view):
    return requires("accelerator.charter_write", community="community_id")(view)


def _back(community_id: int):
    return redirect(url_for("accelerator_charter.charter", community_id=community_id))


def _value_choices(draft) -> list[SelectChoice]:
    return [SelectChoice(value.id, value.name) for value in draft.values]


# --- Reading -----------------------------------------------------------------------------------


@_read
def charter_page(community_id: int, forms: dict | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    is_member = community_id in current_principal().memberships
    adopted = charter.adopted_version(community_id, staff_programmes(community_id))
    context = {"community": community, "adopted": adopted, "is_member": is_member}
    if is_member:
        draft = charter.load_draft(community_id)
        versions = db.session.scalars(
            select(CharterVersion).where(CharterVersion.tenant_id == community_id)
            .order_by(CharterVersion.number.desc())
        ).all()
        forms = forms or {}
        value_choices = _value_choices(draft)
        principle_form = forms.get("principle") or PrincipleForm(prefix="principle")
        principle_form.value_id.choices = value_choices
        rule_form = forms.get("rule") or RuleForm(prefix="rule")
        rule_form.protects.choices = value_choices
        context.update(
            draft=draft, versions=versions, describe=charter.describe, unprotected=charter.UNPROTECTED,
            decisions=latest_proposals_about(charter.SUBJECT, [version.id for version in versions]),
            value_form=forms.get("value") or ValueForm(prefix="value"), principle_form=principle_form,
            rule_form=rule_form, deciding_form=forms.get("deciding") or DecidingForm(prefix="deciding",
                                                                                     data=draft.deciding),
        )
    return render_template("accelerator_charter/charter.html", **context), status


bp.add_url_rule(CHARTER, "charter", charter_page)


@bp.route(CHARTER + "/versions/<int:version_id>")
@_read
def version(community_id: int, version_id: int):
    """One frozen version: what the members decided (or are deciding) on. Staff: adopted ones only."""
    community = db.get_or_404(Community, community_id)
    item = versions.readable_or_404(CharterVersion, charter.SUBJECT, community_id, version_id, drafts_for_staff=False)
    return render_template("accelerator_charter/version.html", community=community, version=item,
                           describe=charter.describe)


# --- Writing the draft ------------------------------------------------------------------------


def _refused(community_id: int, key: str, form):
    db.session.rollback()
    return charter_page(community_id=community_id, forms={key: form}, status=422)


@bp.route(CHARTER + "/values", methods=["POST"])
@_write
def add_value(community_id: int):
    form = ValueForm(prefix="value")
    if not form.validate_on_submit():
        return _refused(community_id, "value", form)
    db.session.add(CharterValue(tenant_id=community_id, name=form.name.data.strip(),
                                meaning=(form.meaning.data or "").strip(), proposed_by_id=current_user.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # first: the message's language is read from the session's user
        form.name.errors = [_("The community already has this value.")]
        return _refused(community_id, "value", form)
    return _back(community_id)


@bp.route(CHARTER + "/values/<int:value_id>/delete", methods=["POST"])
@_write
def delete_value(community_id: int, value_id: int):
    value = db.session.scalars(select(CharterValue).where(CharterValue.id == value_id)).one_or_none()
    if value is None:
        abort(404)
    draft = charter.load_draft(community_id)
    orphaned = [rule.text for rule in draft.rules if draft.protects.get(rule.id) == [value_id]]
    if orphaned:
        flash(_("“%(value)s” is the only value the rule “%(rule)s” protects. Change or remove the rule first.",
                value=value.name, rule=orphaned[0][:80]))
        return _back(community_id)
    db.session.delete(value)
    db.session.commit()
    return _back(community_id)


@bp.route(CHARTER + "/principles", methods=["POST"])
@_write
def add_principle(community_id: int):
    form = PrincipleForm(prefix="principle")
    form.value_id.choices = _value_choices(charter.load_draft(community_id))
    if not form.validate_on_submit():
        return _refused(community_id, "principle", form)
    db.session.add(CharterPrinciple(tenant_id=community_id, value_id=form.value_id.data,
                                    statement=form.statement.data.strip()))
    db.session.commit()
    return _back(community_id)


@bp.route(CHARTER + "/principles/<int:principle_id>/delete", methods=["POST"])
@_write
def delete_principle(community_id: int, principle_id: int):
    if not db.session.execute(delete(CharterPrinciple).where(CharterPrinciple.id == principle_id)).rowcount:
        abort(404)
    db.session.commit()
    return _back(community_id)


@bp.route(CHARTER + "/rules", methods=["POST"])
@_write
def add_rule(community_id: int):
    form = RuleForm(prefix="rule")
    form.protects.choices = _value_choices(charter.load_draft(community_id))
    if not form.validate_on_submit():
        return _refused(community_id, "rule", form)
    rule = CharterRule(tenant_id=community_id, text=form.text.data.strip())
    db.session.add(rule)
    db.session.flush()
    for value_id in sorted(set(form.protects.data)):
        db.session.add(CharterRuleValue(tenant_id=community_id, rule_id=rule.id, value_id=value_id))
    db.session.commit()
    return _back(community_id)


@bp.route(CHARTER + "/rules/<int:rule_id>/delete", methods=["POST"])
@_write
def delete_rule(community_id: int, rule_id: int):
    if not db.session.execute(delete(CharterRule).where(CharterRule.id == rule_id)).rowcount:
        abort(404)
    db.session.execute(delete(CharterRuleValue).where(CharterRuleValue.rule_id == rule_id))
    db.session.commit()
    return _back(community_id)


@bp.route(CHARTER + "/how-we-decide", methods=["POST"])
@_write
def set_deciding(community_id: int):
    form = DecidingForm(prefix="deciding")
    if not form.validate_on_submit():
        return _refused(community_id, "deciding", form)
    rule = db.session.scalars(select(DecidingRule).where(DecidingRule.tenant_id == community_id)).one_or_none()
    if rule is None:
        rule = DecidingRule(tenant_id=community_id)
        db.session.add(rule)
    rule.method, rule.days = form.method.data, form.days.data
    rule.quorum_percent, rule.threshold_percent = form.quorum_percent.data, form.threshold_percent.data
    try:
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once: the first one stands
        db.session.rollback()
    return _back(community_id)


@bp.route(CHARTER + "/propose", methods=["POST"])
@_write
def propose(community_id: int):
    """Freeze the draft into a version and open the proposal to adopt it (CSRFProtect checked the token)."""
    draft = charter.load_draft(community_id)
    if not draft.values or not draft.rules:
        flash(_("A charter to adopt needs at least one value and one rule."))
        return _back(community_id)
    frozen = charter.freeze_draft(community_id, current_user.id)
    return redirect(url_for("decisions.new", community_id=community_id, subject=charter.SUBJECT,
                            subject_id=frozen.id, programme=accelerator_programme(community_id)))

