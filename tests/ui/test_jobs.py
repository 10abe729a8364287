"""The background job helper: results and errors come back on the GUI thread; cancel works."""
from __future__ import annotations

import threading
import time

import pytest

from pmks_desktop.ui.jobs import Job, JobCancelled


def test_result_arrives_on_gui_thread_with_progress(qtbot):
    seen = []

    def work(progress, cancelled):
        for i in range(3):
            progress(i + 1, 3, f"langkah {i + 1}")
        return threading.current_thread().name

    job = Job(work, "Uji", show_dialog=False)
    job.done.connect(lambda result: seen.append((result, threading.current_thread().name)))
    with qtbot.waitSignal(job.done, timeout=5000):
        job.start()
    worker_thread, receiving_thread = seen[0]
    assert receiving_thread == threading.main_thread().name != worker_thread


def test_error_is_handed_over_not_lost(qtbot):
    job = Job(lambda p, c: 1 / 0, "Uji", show_dialog=False)
    with qtbot.waitSignal(job.error, timeout=5000) as blocker:
        job.start()
    assert isinstance(blocker.args[0], ZeroDivisionError)


def test_cancel_stops_the_work(qtbot):
    started = threading.Event()

    def work(progress, cancelled):
        started.set()
        while not cancelled():
            time.sleep(0.01)
        raise JobCancelled()

    job = Job(work, "Uji", show_dialog=False)
    job.start()
    assert started.wait(5)
    with qtbot.waitSignal(job.error, timeout=5000) as blocker:
        job.cancel()
    assert isinstance(blocker.args[0], JobCancelled) and job.cancelled


@pytest.mark.parametrize("show", [True])
def test_progress_dialog_shows_and_closes(qtbot, show):
    job = Job(lambda p, c: (p(1, 2, "separuh"), time.sleep(0.05), "selesai")[-1], "Uji",
              show_dialog=show)
    with qtbot.waitSignal(job.done, timeout=5000):
        job.start()
    assert job.result == "selesai" and not job.dialog.isVisible()
