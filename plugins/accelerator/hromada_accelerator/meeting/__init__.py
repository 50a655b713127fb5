"""The coordination meeting the operator funds, and the operational plan it produces (deck 002, stage 2)."""
