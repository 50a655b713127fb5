"""Keeping rendered pages for as long as the data they show is unchanged.

`versions`: every committed write moves a version forward, in the same
transaction as the write: the community's (on its enrolments, and with it its
cohorts' rows) when only one community's rows changed, the platform's (one row)
for anything else. A page's key holds the versions it depends on, so a write
makes the next request render afresh on every web process.

`pages`: whole rendered pages, layout included, kept per process under such keys
and what the layout shows.

`fragments`: pieces of public pages keyed by every column they show, which
therefore need no version at all.
"""
