"""The RQ worker `flask worker` runs: no process of it outlives it, and it sweeps the outbox.

RQ forks a work horse for each job and puts it in a process group of its own, so a `kill -9`
of the worker (or of its process group) leaves the horse running as an orphan; RQ's scheduler,
another forked process, did the same. This worker runs no scheduler (the outbox's sweeper,
a thread of the worker, does what it did: it sends failed jobs again when their retry is due),
and its horses ask Linux to kill them when the worker dies. Supervisors should still stop the
whole control group (systemd's `KillMode=control-group`, its default): see README, Deployment.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading

from hromada.extensions import db

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent_pid: int) -> None:
    """Linux: be killed when the process that forked this one dies (it may have died already)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the request: nobody would send the signal
        os._exit(1)


def worker_class(app, *, burst: bool):
    from rq import Worker

    class HromadaWorker(Worker):
        def main_work_horse(self, job, queue):
            die_with_parent(self._parent_pid)
            with app.app_context():
                # The horse is a fork: the parent's pooled connections (its sweeper's) are not its own.
                db.engine.dispose(close=False)
            super().main_work_horse(job, queue)

        def fork_work_horse(self, job, queue):
            self._parent_pid = os.getpid()
            super().fork_work_horse(job, queue)

        if burst:
            def subscribe(self) -> None:
                """A burst worker listens for no remote command.

                RQ's listener thread waits up to 60 seconds for one; a worker that finished while it
                waited could take that long to exit (rq 3.0 with redis-py 8), and so every burst run.
                """

    return HromadaWorker


def start_sweeper(app, interval: float) -> threading.Thread:
    """Sweep the outbox every `interval` seconds in a thread of the worker, which dies with it."""
    jobs = app.extensions["hromada.jobs"]

    def sweep_forever() -> None:
        stop = threading.Event()
        while not stop.wait(interval):
            try:
                with app.app_context():
                    jobs.sweep()
            except Exception:  # the database away: try again at the next interval
                log.exception("The outbox sweep failed.")

    thread = threading.Thread(target=sweep_forever, name="outbox-sweeper", daemon=True)
    thread.start()
    return thread
