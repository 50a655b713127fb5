"""A community takes its data with it: a coordinator downloads all of it as a ZIP of CSV files (issue 12, section 5)."""
