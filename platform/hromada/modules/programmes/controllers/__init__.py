"""Programme pages, by whom they are for.

`programme`: operators build a programme and its stages; `call_settings`: they set up its
call and the questions of its application form; `review`: they read the applications and
admit or decline them; `calls`: anyone reads the open calls, and a newcomer signs a new
community up from one; `community`: a community's coordinator sees its applications and
applies.

Operators' URLs start with /organisations/<organisation_id>/: `@requires` checks the
organisation and sets its context, and every object below it is looked up within that
organisation, so an id of another organisation's object is a 404.

The changes the pages make are in `hromada.modules.programmes.operations` (the programme,
its stages, call and questions) and `admission` (applications and the decisions on them);
the reads they share in `util`.
"""
