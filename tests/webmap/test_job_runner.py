"""The job runner on its own (no Flask): steps as they pass, owners, bounds, failures, expiry."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from webmap.jobs.job import Done, GoTo, Job, JobFailed, Progress
from webmap.jobs.runner import JobRunner, JobsBusy

ALICE, BOB = 1, 2
THERE = GoTo("/there")


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runner(clock: Clock) -> Iterator[JobRunner]:
    jobs = JobRunner(
        workers=1, max_pending=3, max_pending_per_owner=2, keep_s=60, max_kept=4, clock=clock
    )
    yield jobs
    jobs.shutdown()


def wait_for(job: Job, state: str) -> None:
    deadline = time.monotonic() + 10
    while job.snapshot().state != state:
        assert time.monotonic() < deadline, f"{job.snapshot()} never became {state}"
        time.sleep(0.005)


class Gate:
    """Work that reports one step and then waits until the test opens the gate."""

    def __init__(self, outcome: GoTo | Done | Exception = THERE) -> None:
        self.open = threading.Event()
        self.at_step = threading.Event()
        self.outcome = outcome

    def __call__(self, progress: Progress) -> GoTo | Done:
        progress("step one", 1, 3)
        self.at_step.set()
        assert self.open.wait(10)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def test_a_job_goes_from_queued_to_running_with_its_step_to_done(runner: JobRunner) -> None:
    first, second = Gate(), Gate(Done(b"%PDF", "r.pdf", "application/pdf"))
    job = runner.submit(ALICE, "test", first)
    waiting = runner.submit(ALICE, "test", second)
    assert first.at_step.wait(10)
    now = job.snapshot()
    assert (now.state, now.step, now.done, now.total) == ("running", "step one", 1, 3)
    assert waiting.snapshot().state == "queued"  # one worker: the second waits its turn
    first.open.set()
    wait_for(job, "done")
    done = job.snapshot()
    assert done.result == GoTo("/there") and (done.done, done.total) == (3, 3)
    second.open.set()
    wait_for(waiting, "done")
    assert runner.take_file(waiting.id, ALICE) == Done(b"%PDF", "r.pdf", "application/pdf")
    assert runner.take_file(waiting.id, ALICE) is None  # handed over once, then let go


def test_ids_cannot_be_guessed_and_only_the_owner_sees_a_job(runner: JobRunner) -> None:
    gate, later = Gate(Done(b"secret", "d.html", "text/html")), Gate()
    job = runner.submit(ALICE, "test", gate)
    other = runner.submit(ALICE, "test", later)
    assert len(job.id) >= 32 and job.id != other.id
    assert runner.get(job.id, ALICE) is job
    assert runner.get(job.id, BOB) is None
    assert runner.get("not-a-job", ALICE) is None
    gate.open.set()
    wait_for(job, "done")
    assert runner.take_file(job.id, BOB) is None  # not Bob's file, and still Alice's
    assert runner.take_file(job.id, ALICE) is not None
    later.open.set()


def test_a_full_queue_refuses_more_work_at_once(runner: JobRunner) -> None:
    gates = [Gate() for _ in range(3)]
    runner.submit(ALICE, "test", gates[0])
    runner.submit(ALICE, "test", gates[1])
    with pytest.raises(JobsBusy) as mine:  # Alice's share (2) is used up
        runner.submit(ALICE, "test", Gate())
    assert mine.value.mine
    runner.submit(BOB, "test", gates[2])
    with pytest.raises(JobsBusy) as everyone:  # three pending: the queue is full
        runner.submit(3, "test", Gate())
    assert not everyone.value.mine
    for gate in gates:
        gate.open.set()


def test_places_come_free_when_jobs_finish(clock: Clock) -> None:
    jobs = JobRunner(workers=1, max_pending=1, max_pending_per_owner=1, clock=clock)
    gate = Gate()
    job = jobs.submit(ALICE, "test", gate)
    with pytest.raises(JobsBusy):
        jobs.submit(ALICE, "test", Gate())
    gate.open.set()
    wait_for(job, "done")
    quick: Callable[[Progress], GoTo] = lambda progress: GoTo("/again")  # noqa: E731
    again = jobs.submit(ALICE, "test", quick)
    wait_for(again, "done")
    jobs.shutdown()


def test_a_failure_says_its_message_and_a_bug_says_a_general_one(
    runner: JobRunner, caplog: pytest.LogCaptureFixture
) -> None:
    refused = Gate(JobFailed("The PDF printer is busy: try again."))
    bug = Gate(KeyError("Jan Peeters"))
    first = runner.submit(ALICE, "test", refused)
    second = runner.submit(BOB, "test", bug)
    refused.open.set()
    bug.open.set()
    wait_for(first, "failed")
    wait_for(second, "failed")
    assert first.snapshot().message == "The PDF printer is busy: try again."
    assert second.snapshot().message == runner.unexpected
    assert "KeyError" in caplog.text and "Jan Peeters" not in caplog.text  # no data in the log


def test_finished_jobs_expire_and_are_bounded_in_number(runner: JobRunner, clock: Clock) -> None:
    done = []
    for i in range(6):
        job = runner.submit(ALICE if i % 2 else BOB, "test", lambda progress: GoTo("/x"))
        wait_for(job, "done")
        clock.now += 1  # each finishes a second after the one before
        done.append(job)
    kept = [j for j in done if runner.get(j.id, j.owner) is not None]
    assert kept == done[2:]  # four kept at most: the two oldest were dropped
    clock.now += 59
    assert runner.get(done[-1].id, done[-1].owner) is not None
    clock.now += 2  # a minute after it finished
    assert runner.get(done[-1].id, done[-1].owner) is None
