"""Vision, mission and strategic goals: drafted by the community with its facilitator, adopted by decision."""
