"""Communities, the tenants of Hromada, and their enrolments in programmes."""
