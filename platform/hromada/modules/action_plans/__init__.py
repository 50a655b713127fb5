"""Action plans: milestones and actions with owners, dates, status, result and evidence, for plugins' objects."""
