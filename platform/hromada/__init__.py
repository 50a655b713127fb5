"""Hromada: a platform on which an operator runs staged support programmes for communities.

`flask --app hromada ...` finds `create_app` here.
"""

from hromada.app import create_app

__all__ = ["create_app"]
