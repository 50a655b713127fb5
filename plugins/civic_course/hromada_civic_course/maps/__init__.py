"""Change maps: from one problem to the change a community wants, through stakeholders, tools and an action plan."""
