"""What the consultations module contributes to Hromada (hook implementations)."""

from hromada.hookspecs import hookimpl  # noqa: F401
