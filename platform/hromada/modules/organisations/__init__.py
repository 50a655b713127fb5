"""Operator organisations: their staff, invitations and audit log; the platform admin pages."""
