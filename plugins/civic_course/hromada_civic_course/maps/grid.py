"""The stakeholders' influence x interest grid, laid out for an inline SVG (attributes only: the CSP forbids styles)."""

from __future__ import annotations

CELL, MARGIN = 56, 40
SIZE = MARGIN + 5 * CELL + 8
COLOURS = {"decision_maker": "#7b3294", "ally": "#1b7837", "opponent": "#b2182b", "affected": "#2166ac"}


def layout(stakeholders) -> dict:
    """Points numbered as in the table below the chart; several in one cell are set side by side."""
    seen: dict[tuple[int, int], int] = {}
    points = []
    for number, stakeholder in enumerate(stakeholders, start=1):
        cell = (stakeholder.interest, stakeholder.influence)
        index = seen.get(cell, 0)
        seen[cell] = index + 1
        x = MARGIN + (stakeholder.interest - 1) * CELL + 14 + (index % 3) * 14
        y = MARGIN - 32 + (5 - stakeholder.influence) * CELL + 46 - (index // 3) * 14
        points.append({"number": number, "x": x, "y": y, "fill": COLOURS.get(stakeholder.kind, "#444"),
                       "stakeholder": stakeholder})
    ticks = [{"value": value, "x": MARGIN + (value - 1) * CELL + CELL // 2,
              "y": (5 - value) * CELL + CELL // 2 + 8} for value in range(1, 6)]
    return {"size": SIZE, "cell": CELL, "margin": MARGIN, "points": points, "ticks": ticks,
            "cells": [(MARGIN + column * CELL, row * CELL + 8) for row in range(5) for column in range(5)]}
