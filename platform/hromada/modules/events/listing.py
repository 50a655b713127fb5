"""Lists of a programme's events a page at a time: a programme can hold thousands of events (1,002 in the
first programme of the scale data at 20,000 communities), and a page that listed every one took 145 ms."""

from __future__ import annotations

from sqlalchemy import func, select

from hromada.extensions import db
from hromada.modules.events.models import NetworkingEvent
from hromada.paging import Page, bounds


def events_page(number: int, size: int, *where, options=()) -> Page:
    """The events that match `where`, the latest first, `size` a page (two queries); `options`: loader options."""
    matching = db.session.scalar(select(func.count()).select_from(NetworkingEvent).where(*where)) or 0
    number, pages = bounds(number, matching, size)
    events = db.session.scalars(select(NetworkingEvent).options(*options).where(*where)
                                .order_by(NetworkingEvent.starts_at.desc(), NetworkingEvent.id.desc())
                                .limit(size).offset((number - 1) * size)).all()
    return Page(rows=list(events), number=number, pages=pages, matching=matching)
