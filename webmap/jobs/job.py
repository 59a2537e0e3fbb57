"""One job: who started it, where it is (queued, running step i of n, done, failed), its result.

Why a lock per job: the worker thread writes the status while a request thread reads it for
the page that polls; :meth:`Job.snapshot` reads it whole, never half a step.

What a job ends with (:data:`Outcome`): an address to go to (:class:`GoTo`: the page that shows
what was computed) or a file (:class:`Done`: bytes, a file name, a media type), handed over once.
A job that cannot finish raises :class:`JobFailed` with a message a person can act on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

State = Literal["queued", "running", "done", "failed"]
#: ``progress(step, done, total)``: the step's words (a translated text), steps done of total.
Progress = Callable[[Any, int, int], None]


def no_progress(step: Any, done: int, total: int) -> None:
    """The default progress callback: nobody is listening."""


class JobFailed(Exception):
    """The work cannot finish, for a reason the person who asked can act on (``message``)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class GoTo:
    """A job's result is a page: the address to go to."""

    url: str


@dataclass(frozen=True)
class Done:
    """A job's result is a file to download."""

    data: bytes
    filename: str
    mimetype: str


Outcome = GoTo | Done


@dataclass(frozen=True)
class Snapshot:
    """A job's status at one moment (what ``GET /jobs/<id>`` answers)."""

    state: State
    step: Any
    done: int
    total: int
    result: Outcome | None
    taken: bool
    message: Any


@dataclass
class Job:
    """A job as the runner keeps it (see :class:`webmap.jobs.runner.JobRunner`)."""

    id: str
    owner: int
    kind: str
    made: float
    state: State = "queued"
    step: Any = ""
    done: int = 0
    total: int = 0
    result: Outcome | None = None
    taken: bool = False
    message: Any = ""
    ended: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def start(self) -> None:
        with self._lock:
            self.state = "running"

    def report(self, step: Any, done: int, total: int) -> None:
        """The :data:`Progress` callback the work is given: step ``done`` of ``total``."""
        with self._lock:
            self.step, self.done, self.total = step, max(0, done), max(0, total)

    def finish(self, outcome: Outcome, now: float) -> None:
        with self._lock:
            self.state, self.result, self.ended = "done", outcome, now
            self.done = self.total

    def fail(self, message: Any, now: float) -> None:
        with self._lock:
            self.state, self.message, self.ended = "failed", message, now

    def snapshot(self) -> Snapshot:
        with self._lock:
            return Snapshot(
                self.state, self.step, self.done, self.total, self.result, self.taken, self.message
            )

    def take_file(self) -> Done | None:
        """The file, once: a second call (or a job that made no file) gets ``None``."""
        with self._lock:
            if self.taken or not isinstance(self.result, Done):
                return None
            done, self.taken = self.result, True
            self.result = Done(b"", done.filename, done.mimetype)  # the bytes are let go
            return done
