"""The civic course's tables in a community's export: meetings, problems, maps, sessions, internships.

A member sees the problems' totals and only their own dots (`meetings.ranking`): the
export holds the coordinator's own dots, never another member's.
"""

from hromada.plugin_api import ExportTable
from hromada_civic_course.internships.models import InternshipApplication, LogbookEntry
from hromada_civic_course.maps.models import ChangeMap, ChangeMapVersion, MapComment, MapShare, Stakeholder
from hromada_civic_course.meetings.models import Problem, ProblemDots, ProblemMeeting
from hromada_civic_course.sessions.models import SessionOutcome, StrategicSession

EXPORT_TABLES = [
    ExportTable(ProblemMeeting), ExportTable(Problem),
    ExportTable(ProblemDots, readable=lambda scope: ProblemDots.user_id == scope.reader_id),
    ExportTable(ChangeMap), ExportTable(Stakeholder), ExportTable(ChangeMapVersion), ExportTable(MapComment), ExportTable(MapShare),
    ExportTable(StrategicSession), ExportTable(SessionOutcome),
    ExportTable(InternshipApplication), ExportTable(LogbookEntry),
]
