"""What sealing and unsealing raise. Each error's `message` is translatable and safe to show."""

from __future__ import annotations

from flask import has_request_context
from flask_babel.speaklater import LazyString

from hromada.i18n import lazy_gettext as _l


class ConfidentialError(Exception):
    """Base class: a sealed value cannot be read or written.

    `message` (a lazy translatable string) says why in the reader's language;
    it never holds the value, a key or anything else confidential.
    """

    default_message = _l("This note cannot be read.")

    def __init__(self, message=None):
        self.message = message if message is not None else self.default_message
        super().__init__()

    def __str__(self) -> str:
        if has_request_context():
            return str(self.message)
        # A job or a command has no reader, hence no language: the English text.
        if isinstance(self.message, LazyString) and self.message._args:
            return self.message._args[0]
        return str(self.message)


class KeyUnavailable(ConfidentialError):
    """The community's data key was destroyed (crypto-erase): nothing of it can be read or sealed."""

    default_message = _l("This note can no longer be read: its community's key was destroyed.")


class WrongMasterKey(ConfidentialError):
    """The community's data key is wrapped by a master key this server was not given."""

    default_message = _l("The master key of this server cannot open this community's key.")


class Tampered(ConfidentialError):
    """The value (or the wrapped key) fails authentication: altered, truncated, or moved
    from another community or another field."""

    default_message = _l("This note was altered and cannot be trusted.")
