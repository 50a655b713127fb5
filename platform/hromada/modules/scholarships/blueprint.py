from flask import Blueprint

from hromada.authz import requires
from hromada.modules.scholarships.controllers import applying, calls, reports, reviews

bp = Blueprint("scholarships", __name__, template_folder="templates")

CALLS = "/organisations/<int:organisation_id>/programmes/<int:programme_id>/scholarships"
CALL = CALLS + "/<int:call_id>"
COMMUNITY = "/communities/<int:community_id>/scholarships"
REVIEWS = "/organisations/<int:organisation_id>/reviews"


def operators(view):
    return requires("scholarships.manage", organisation="organisation_id")(view)


def reviewers(view):
    return requires("scholarships.review", organisation="organisation_id")(view)


def coordinators(view):
    return requires("scholarships.apply", community="community_id")(view)


bp.add_url_rule(CALLS, view_func=operators(calls.index))
bp.add_url_rule(CALLS + "/new", view_func=operators(calls.new), methods=["GET", "POST"])
bp.add_url_rule(CALLS + "/budget", endpoint="programme_budget", view_func=operators(calls.programme_budget))
bp.add_url_rule(CALLS + "/budget.csv", endpoint="programme_budget_csv", view_func=operators(calls.programme_budget_csv))
bp.add_url_rule(CALL, view_func=operators(calls.show))
bp.add_url_rule(CALL + "/edit", view_func=operators(calls.edit), methods=["GET", "POST"])
bp.add_url_rule(CALL + "/questions", view_func=operators(calls.add_question), methods=["POST"])
bp.add_url_rule(CALL + "/questions/<int:question_id>", view_func=operators(calls.edit_question),
                methods=["GET", "POST"])
bp.add_url_rule(CALL + "/questions/<int:question_id>/move", view_func=operators(calls.move_question),
                methods=["POST"])
bp.add_url_rule(CALL + "/questions/<int:question_id>/remove", view_func=operators(calls.remove_question),
                methods=["POST"])
bp.add_url_rule(CALL + "/applications", endpoint="applications", view_func=operators(calls.applications))
bp.add_url_rule(CALL + "/applications/<int:scholarship_application_id>", view_func=operators(calls.application))

bp.add_url_rule(CALL + "/applications/<int:scholarship_application_id>/reviewers",
                view_func=operators(calls.assign_reviewer), methods=["POST"])
bp.add_url_rule(CALL + "/applications/<int:scholarship_application_id>/determination",
                view_func=operators(calls.determine), methods=["POST"])
bp.add_url_rule(CALL + "/applications/<int:scholarship_application_id>/tranches/<int:tranche_id>/payment",
                view_func=operators(calls.record_payment), methods=["POST"])
bp.add_url_rule(CALL + "/applications/<int:scholarship_application_id>/tranches/<int:tranche_id>/milestone",
                view_func=operators(calls.choose_milestone), methods=["POST"])
bp.add_url_rule(CALL + "/budget", endpoint="budget", view_func=operators(calls.budget_view))
bp.add_url_rule(CALL + "/budget.csv", endpoint="budget_csv", view_func=operators(calls.budget_csv))
bp.add_url_rule(CALL + "/criteria", view_func=operators(calls.add_criterion), methods=["POST"])
bp.add_url_rule(CALL + "/criteria/<int:criterion_id>/remove", view_func=operators(calls.remove_criterion),
                methods=["POST"])

bp.add_url_rule(REVIEWS, endpoint="reviews", view_func=reviewers(reviews.index))
bp.add_url_rule(REVIEWS + "/<int:review_id>", endpoint="review", view_func=reviewers(reviews.show))
bp.add_url_rule(REVIEWS + "/<int:review_id>/declaration", endpoint="declare", view_func=reviewers(reviews.declare),
                methods=["POST"])
bp.add_url_rule(REVIEWS + "/<int:review_id>/scores", endpoint="score", view_func=reviewers(reviews.score),
                methods=["POST"])

bp.add_url_rule(COMMUNITY, endpoint="community_calls", view_func=coordinators(applying.index))
bp.add_url_rule(COMMUNITY + "/<int:call_id>", view_func=coordinators(applying.apply), methods=["GET", "POST"])
bp.add_url_rule(COMMUNITY + "/<int:call_id>/withdraw", view_func=coordinators(applying.withdraw), methods=["POST"])

# Reports: their own blueprint, so the questions table's endpoints (edit_question...) are the report questions'.
reports_bp = Blueprint("scholarship_reports", __name__, template_folder="templates")
REPORT = CALL + "/applications/<int:scholarship_application_id>/reports/<report_kind>"

reports_bp.add_url_rule(CALL + "/report-questions", endpoint="questions", view_func=operators(reports.questions))
reports_bp.add_url_rule(CALL + "/report-questions/new", endpoint="add_question",
                        view_func=operators(reports.add_question), methods=["POST"])
reports_bp.add_url_rule(CALL + "/report-questions/<int:question_id>", endpoint="edit_question",
                        view_func=operators(reports.edit_question), methods=["GET", "POST"])
reports_bp.add_url_rule(CALL + "/report-questions/<int:question_id>/move", endpoint="move_question",
                        view_func=operators(reports.move_question), methods=["POST"])
reports_bp.add_url_rule(CALL + "/report-questions/<int:question_id>/remove", endpoint="remove_question",
                        view_func=operators(reports.remove_question), methods=["POST"])
reports_bp.add_url_rule(REPORT, endpoint="show", view_func=operators(reports.show))
reports_bp.add_url_rule(REPORT + "/decision", endpoint="decide", view_func=operators(reports.decide),
                        methods=["POST"])
reports_bp.add_url_rule(COMMUNITY + "/<int:call_id>/reports/<report_kind>", endpoint="write",
                        view_func=coordinators(reports.write), methods=["GET", "POST"])
