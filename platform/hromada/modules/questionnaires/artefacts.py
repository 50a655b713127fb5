"""The kinds of a community's artefacts questions may link to, as the plugins offer them."""

from __future__ import annotations

from flask import current_app

from hromada.contributions import ArtefactKind


def collect(app) -> dict[str, ArtefactKind]:
    kinds: dict[str, ArtefactKind] = {}
    for contributed in app.extensions["hromada.plugins"].hook.hromada_artefact_kinds():
        for kind in contributed:
            if kind.key in kinds:
                raise RuntimeError(f"Two plugins register the artefact kind {kind.key!r}.")
            kinds[kind.key] = kind
    return kinds


def artefact_kinds() -> dict[str, ArtefactKind]:
    return current_app.extensions.get("hromada.artefact_kinds", {})


def options(kind_key: str | None, community_id: int | None) -> list[tuple[int, str]]:
    """The community's artefacts of the kind, as `(id, title)`; none for a new community or a kind gone."""
    kind = artefact_kinds().get(kind_key or "")
    if kind is None or community_id is None:
        return []
    return list(kind.options(community_id))
