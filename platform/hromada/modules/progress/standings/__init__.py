"""The cohort's read model: where each enrolment stands, kept on write (`keeping`), read by the cohort overview.

`model` is the table, `sql` the rule that fills it, `keeping` the listeners that keep it
in the writing transaction, `evaluation` what pages evaluate for a row and keep in it.
"""
