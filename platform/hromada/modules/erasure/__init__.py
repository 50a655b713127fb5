"""A community can be erased: asked, confirmed by a second person, seven days of grace, then a job (issue 12, section 6)."""
