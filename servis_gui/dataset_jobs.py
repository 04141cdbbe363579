"""The dataset browser's background jobs (QtCore only).

- Background jobs: :class:`ScanWorker` indexes a corpus, :class:`HeaderProber` reads the audio
  headers. Each job runs once on its own ``QThread``; a runner has at most one current job:
  starting another cancels it, and whatever the old job still sends, even if already queued,
  is dropped. Results reach the GUI thread through queued signals.
Filtering lives in :mod:`servis_gui.core.datasets.filtering` (no Qt).
"""

from __future__ import annotations

import atexit
import logging
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QThread, Signal, Slot

from servis_gui.core.datasets import scan_dataset
from servis_gui.core.datasets.probe import probe

log = logging.getLogger(__name__)

PROBE_CHUNK = 1000
"""Most headers sent to the GUI thread in one ``probed`` batch."""
PROBE_INTERVAL_S = 0.1
"""A batch is sent once it is this old: the table fills in steadily, a few repaints a second."""
PROBE_YIELD_S = 0.02
"""Pause after each batch: the GUI thread applies it and repaints without competing for the GIL."""
PAUSE_STEP_S = 0.01

_LIVE: set[QThread] = set()
"""Started jobs, kept referenced until they have finished (a running QThread must not be deleted)."""


class _Job(QThread):
    """Runs ``work(job)`` once on a new thread.

    ``work`` polls :meth:`cancelled` and hands its output to :meth:`post`, which queues it to the
    runner as ``(serial, signal name, signal arguments)``.
    """

    posted = Signal(int, str, object)

    def __init__(self, serial: int, work: Callable[[_Job], None]) -> None:
        super().__init__()
        self.serial = serial
        self._work = work
        self._stop = False  # set by the GUI thread; a bool store is atomic
        self.resume_at = 0.0  # time.monotonic() before which the work should idle

    def cancel(self) -> None:
        """Ask the work to stop at its next poll."""
        self._stop = True

    def cancelled(self) -> bool:
        """Return True once :meth:`cancel` was called."""
        return self._stop

    def idle(self) -> bool:
        """Sleep while the job is paused; return True once cancelled."""
        while not self._stop and time.monotonic() < self.resume_at:
            time.sleep(PAUSE_STEP_S)
        return self._stop

    def post(self, name: str, *args: object) -> None:
        """Send ``args`` to the runner's signal ``name`` (queued to the GUI thread)."""
        self.posted.emit(self.serial, name, args)

    def run(self) -> None:
        """Run the work; a bug becomes a ``failed`` message instead of killing the thread."""
        try:
            self._work(self)
        except Exception as error:  # must reach the user, not the console only
            log.exception("dataset job failed")
            self.post("failed", f"Internal error while reading the dataset: {error!r}")


class _Runner(QObject):
    """Starts jobs one at a time and forwards the current job's output to its own signals.

    Signals
    -------
    failed(str)
        An unexpected error in the job, as a message for the user.
    """

    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._serial = 0
        self._job: _Job | None = None

    def _launch(self, work: Callable[[_Job], None], priority: QThread.Priority) -> None:
        """Cancel the current job and start ``work`` as the new one."""
        self.cancel()
        _LIVE.difference_update([job for job in _LIVE if job.isFinished()])
        self._serial += 1
        self._job = _Job(self._serial, work)
        self._job.posted.connect(self._on_job_posted)
        _LIVE.add(self._job)
        self._job.start(priority)

    def cancel(self) -> None:
        """Ask the current job to stop; it returns within one file."""
        if self._job is not None:
            self._job.cancel()

    def is_running(self) -> bool:
        """Return True while the current job's thread runs."""
        return self._job is not None and self._job.isRunning()

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the current job's thread ends; return False on timeout."""
        return self._job is None or self._job.wait(msecs)

    def shutdown(self) -> None:
        """Cancel the current job and wait for its thread (call before the app quits)."""
        self.cancel()
        self.wait()

    @Slot(int, str, object)
    def _on_job_posted(self, serial: int, name: str, args: tuple) -> None:
        if serial == self._serial:
            getattr(self, name).emit(*args)


class ScanWorker(_Runner):
    """Indexes a dataset folder with :func:`scan_dataset` on a background thread.

    Signals
    -------
    progress(done, total)
        Files handled so far; ``total`` is 0 while the folders are being listed. At most one
        every 50 ms (the core scan throttles its callback), and ``(total, total)`` at the end.
    finished(ScanResult)
        The scan ended; ``result.cancelled`` is True (and no records) after :meth:`cancel`.
    failed(str)
        An unexpected error, as a message for the user.
    """

    progress = Signal(int, int)
    finished = Signal(object)

    def start(self, root: str) -> None:
        """Scan ``root``, cancelling any scan in progress (whose output is then dropped).

        Parameters
        ----------
        root : str
            The dataset folder. Nothing in it is written or moved.
        """

        def work(job: _Job) -> None:
            def progress(done: int, total: int) -> None:
                job.post("progress", done, total)

            result = scan_dataset(root, progress, job.cancelled)
            for record in result.records:  # pathlib caches str(path): pay for it here, off the GUI
                str(record.path)
            job.post("finished", result)

        self._launch(work, QThread.Priority.InheritPriority)


class HeaderProber(_Runner):
    """Reads audio headers (duration, sample rate) of many files on a low-priority thread.

    Signals
    -------
    probed(list)
        A batch of ``(path, AudioInfo | str)`` pairs, the str being why the file is unreadable;
        at most :data:`PROBE_CHUNK` pairs, sent at least every :data:`PROBE_INTERVAL_S`.
    finished()
        Every file was probed (not emitted after :meth:`cancel`).
    failed(str)
        An unexpected error, as a message for the user.
    """

    probed = Signal(object)
    finished = Signal()

    def start(self, paths: Sequence[str]) -> None:
        """Probe ``paths`` in order, cancelling any probing in progress.

        Parameters
        ----------
        paths : sequence of str
            Audio files; they are only opened for reading.
        """
        paths = tuple(paths)
        self._launch(lambda job: _probe_all(job, paths), QThread.Priority.LowPriority)

    def pause(self, seconds: float) -> None:
        """Leave the CPU (and the GIL) to the GUI thread for ``seconds``, e.g. while the user browses.

        Parameters
        ----------
        seconds : float
            How long from now; a later call extends or shortens the pause.
        """
        if self._job is not None:
            self._job.resume_at = time.monotonic() + seconds


def _probe_all(job: _Job, paths: tuple[str, ...]) -> None:
    """Probe every path, posting ``probed`` batches, then ``finished``; idle while paused,
    stop when cancelled."""
    batch: list[tuple[str, object]] = []
    sent = time.monotonic()
    for path in paths:
        if job.idle():
            return
        batch.append((path, probe(path)))
        if len(batch) >= PROBE_CHUNK or time.monotonic() - sent >= PROBE_INTERVAL_S:
            job.post("probed", batch)
            time.sleep(PROBE_YIELD_S)
            batch, sent = [], time.monotonic()
    if batch:
        job.post("probed", batch)
    job.post("finished")


@atexit.register
def _stop_all() -> None:
    """Cancel and join every job still running when Python exits (Qt aborts otherwise)."""
    for job in list(_LIVE):
        job.cancel()
        job.wait()
