"""Long lists a page at a time: which page was asked for, how many pages there are, and the links between them
(the template `pagination.html` shows them). A page past the last reads as the last."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import request


@dataclass(frozen=True)
class Page:
    rows: list
    number: int  # this page's number, from 1
    pages: int
    matching: int  # rows on every page together

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def bounds(number: int, matching: int, size: int) -> tuple[int, int]:
    """(the page number within the pages there are, how many pages): past the last page reads as the last."""
    pages = max(1, math.ceil(matching / size))
    return min(max(number, 1), pages), pages


def requested_number(argument: str = "page") -> int:
    """The page asked for (?page=N, or another `argument` where a page has two lists); anything else reads as
    the first."""
    value = request.args.get(argument, "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1
