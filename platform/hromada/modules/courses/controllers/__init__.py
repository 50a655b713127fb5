"""Course pages, by whom they are for.

`building`: operators build a programme's courses (from the catalogue or by hand, with
their modules, lessons and sessions); `programme`: operators and facilitators read the
courses of their organisation and programme, and how far each community is; `attendance`:
they mark who attended a session; `community`: a community's people take the courses
(staff who support the community read them).

Operator pages live under `/organisations/<organisation_id>/programmes/<programme_id>/`:
`@requires(..., organisation=...)` checks the person and sets the organisation's context,
and every object is loaded with its organisation and programme in the query, so an id of
another organisation's object is a 404. Community pages live under
`/communities/<community_id>/courses`: `@requires` enters the community's tenant (members)
or lets staff read it (audited), and a course is found only through the community's own
enrolment.

Where the rest of the module's work is (there is no `services` module any more):
`operations`: every change operators make to courses (courses, modules, lessons, sessions);
`participation`: what communities do in a course (join, lessons done) and the attendance
staff mark, the community's own rows; `catalogue`: the templates plugins offer, and copying
one into a stage; `util`: the reads the pages, the operations and the hooks share;
`completion`: who completed what.
"""
