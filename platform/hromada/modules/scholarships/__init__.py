"""Scholarships: an operator's call for a stage of a programme, who may apply (the stage plugins say),
communities' applications, and (later slices) review, determination, tranches and reports."""
