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

The changes the pages make are in `hromada.modules.courses.operations`; the reads they
share with it and with the module's hooks in `util`; the catalogue of templates in `catalogue`.
"""
