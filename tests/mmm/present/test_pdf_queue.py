"""The print queue: one print at a time, ``waiting`` more wait their turn, any further one is
refused at once with PrinterBusy."""

from __future__ import annotations

import threading
import time

import pytest

from mmm.present.pdf import PdfError, PrinterBusy, PrintQueue


def test_one_prints_the_waiting_follow_and_the_rest_are_refused_at_once() -> None:
    queue = PrintQueue(waiting=2)
    running, most, done, refused = [0], [0], [], []
    lock = threading.Lock()
    release = threading.Event()

    def request(n: int) -> None:
        try:
            with queue.turn():
                with lock:
                    running[0] += 1
                    most[0] = max(most[0], running[0])
                release.wait(5)
                time.sleep(0.01)
                with lock:
                    running[0] -= 1
                done.append(n)
        except PrinterBusy:
            refused.append(n)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 5
    while len(refused) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(refused) == 2  # refused while the first three were still in hand
    release.set()
    for t in threads:
        t.join(5)
    assert sorted(done + refused) == list(range(5)) and len(done) == 3 and most[0] == 1
    with queue.turn():  # the places are free again
        pass


def test_busy_is_not_a_pdf_error_and_a_queue_needs_a_size() -> None:
    assert not issubclass(PrinterBusy, PdfError)
    with pytest.raises(ValueError):
        PrintQueue(waiting=-1)
