"""A small in-process job runner: work that takes seconds runs beside the request that asked.

Why in-process: the app is one process served by waitress threads, and the work (a hotspot run,
a PDF, a dossier) needs that process's store and caches. A request that waited for it would keep
the person staring at a page that says nothing; a job answers at once and reports its steps,
which the page polls (:mod:`webmap.jobs.routes`).

Why bounded everywhere: a job holds a thread or waits for one, and a finished one holds its
result (a file's bytes) until it is fetched. So there are few workers (:data:`WORKERS`), a few
jobs may wait (:data:`MAX_PENDING`, :data:`MAX_PENDING_PER_OWNER`) and any further one is
refused at once with :class:`JobsBusy`; a finished job is kept :data:`KEEP_S` seconds and at
most :data:`MAX_KEPT` of them, the oldest dropped first.

Nothing here knows Flask, nor logs who asked: a job knows its owner by user id only, to answer
its status to that user and nobody else.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from webmap.jobs.job import Done, Job, JobFailed, Outcome, Progress

#: Threads that run jobs: two, so that a hotspot run does not wait for a PDF (the machine's
#: cores are shared with the requests waitress serves).
WORKERS = 2
#: Jobs queued or running at once, all users together; one more is refused.
MAX_PENDING = 8
#: Jobs one user may have queued or running (one person cannot fill the queue).
MAX_PENDING_PER_OWNER = 3
#: Seconds a finished job (and its result) is kept for its owner to fetch.
KEEP_S = 600.0
#: Finished jobs kept at most; the oldest is dropped first.
MAX_KEPT = 64

Work = Callable[[Progress], Outcome]

log = logging.getLogger(__name__)


class JobsBusy(Exception):
    """The queue is full (for everyone, or for this person): try again in a moment.

    ``mine`` says which: the person's own jobs fill their share, or everyone's fill the queue.
    """

    def __init__(self, *, mine: bool) -> None:
        super().__init__("your jobs fill your share of the queue" if mine else "the queue is full")
        self.mine = mine


class JobRunner:
    """Runs :data:`Work` on a bounded pool and keeps each job's status for its owner.

    Parameters
    ----------
    workers, max_pending, max_pending_per_owner, keep_s, max_kept
        The bounds (see the module's constants).
    clock
        Seconds, monotonic (a test passes its own to see jobs expire).
    unexpected
        The message of a job that failed on an error nobody foresaw (a bug): the reason goes
        to the server's log, the person reads this.
    """

    def __init__(
        self,
        *,
        workers: int = WORKERS,
        max_pending: int = MAX_PENDING,
        max_pending_per_owner: int = MAX_PENDING_PER_OWNER,
        keep_s: float = KEEP_S,
        max_kept: int = MAX_KEPT,
        clock: Callable[[], float] = time.monotonic,
        unexpected: Any = "The work stopped on an unexpected error.",
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mmm-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self.max_pending = max_pending
        self.max_pending_per_owner = max_pending_per_owner
        self.keep_s = keep_s
        self.max_kept = max_kept
        self.clock = clock
        self.unexpected = unexpected

    def submit(self, owner: int, kind: str, work: Work) -> Job:
        """Queue ``work`` for ``owner``; it runs on the next free worker.

        ``kind`` names the work in the server's log (``hotspots``, ``pdf``, ``dossier``).

        Raises
        ------
        JobsBusy
            When :attr:`max_pending` jobs (or :attr:`max_pending_per_owner` of ``owner``'s)
            are queued or running.
        """
        with self._lock:
            self._forget_expired()
            pending = [j for j in self._jobs.values() if not j.finished]
            if sum(j.owner == owner for j in pending) >= self.max_pending_per_owner:
                raise JobsBusy(mine=True)
            if len(pending) >= self.max_pending:
                raise JobsBusy(mine=False)
            job = Job(id=secrets.token_urlsafe(24), owner=owner, kind=kind, made=self.clock())
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str, owner: int) -> Job | None:
        """The job ``job_id`` if ``owner`` started it and it is still kept; else ``None``.

        Someone else's job and an unknown one look the same: ``None``.
        """
        with self._lock:
            self._forget_expired()
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def take_file(self, job_id: str, owner: int) -> Done | None:
        """The file a finished job made, handed over once (then the job forgets it)."""
        job = self.get(job_id, owner)
        if job is None:
            return None
        return job.take_file()

    def shutdown(self) -> None:
        """Stop taking work and wait for the running jobs (tests; the process's end)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, job: Job, work: Work) -> None:
        job.start()
        try:
            outcome = work(job.report)
        except JobFailed as failure:
            job.fail(failure.message, self.clock())
        except Exception as exc:  # a bug: its reason goes to the log, not to the person
            where = "".join(traceback.format_tb(exc.__traceback__))
            # where it failed, not the error's text: that may quote the data (a name, an address)
            log.error("job %s… (%s) failed on %s at\n%s", job.id[:6], job.kind, _name(exc), where)
            job.fail(self.unexpected, self.clock())
        else:
            job.finish(outcome, self.clock())

    def _forget_expired(self) -> None:
        """Drop finished jobs older than :attr:`keep_s`, and the oldest beyond :attr:`max_kept`."""
        now = self.clock()
        finished = sorted(
            (j for j in self._jobs.values() if j.finished), key=lambda j: j.ended or 0.0
        )
        for job in finished:
            if now - (job.ended or now) > self.keep_s:
                del self._jobs[job.id]
        finished = [j for j in finished if j.id in self._jobs]
        for job in finished[: max(0, len(finished) - self.max_kept)]:
            del self._jobs[job.id]


def _name(exc: BaseException) -> str:
    kind = type(exc)
    return f"{kind.__module__}.{kind.__qualname__}"
