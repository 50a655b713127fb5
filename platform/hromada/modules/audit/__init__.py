"""The append-only audit log: sign-ins, invitations, role changes and staff reads of communities."""
