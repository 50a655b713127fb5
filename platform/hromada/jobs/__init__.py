"""Background jobs: RQ on Redis when `REDIS_URL` is set, inline otherwise.

Callers see one interface, `JobQueue.enqueue(name, **kwargs)`, whichever runs
the job. Job functions receive plain values (ids, not objects, and never
confidential text: arguments are stored in Redis) and do not commit: the runner
commits the job's work together with its run record, so a job marked `once`
applies its effects exactly once however often it is delivered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from hromada.jobs.queue import JobHandle, JobQueue

__all__ = ["JobDefinition", "JobHandle", "JobQueue", "job"]


@dataclass(frozen=True)
class JobDefinition:
    """A registered job: its name, function and delivery rules."""

    name: str
    function: Callable[..., Any]
    retries: int = 3
    once: bool = False
    timeout: int = 600
    retry_intervals: tuple[int, ...] = field(default=(10, 60, 300))

    def __call__(self, **kwargs: Any) -> Any:
        return self.function(**kwargs)


def job(name: str, *, retries: int = 3, once: bool = False, timeout: int = 600):
    """Declare a function as a background job named `name`.

    `once=True` records each run under a key made of the job's name and its
    arguments, so a second delivery of the same job does nothing.
    """

    def decorate(function: Callable[..., Any]) -> JobDefinition:
        return JobDefinition(name=name, function=function, retries=retries, once=once, timeout=timeout)

    return decorate
