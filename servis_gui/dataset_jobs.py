"""The dataset browser's background jobs, on :mod:`servis_gui.jobs` lanes (QtCore only).

:class:`ScanWorker` indexes a corpus, :class:`HeaderProber` reads the audio headers. Each has
its own lane; starting a job supersedes the one before, and whatever the old job still sends,
even if already queued, is dropped. Results reach the GUI thread through queued signals.
Filtering lives in :mod:`servis_gui.core.datasets.filtering` (no Qt).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, QThread, Signal

from servis_gui.core.datasets import scan_dataset
from servis_gui.core.datasets.probe import probe
from servis_gui.jobs import FAILED, RESULT, JobContext, Lane

PROBE_CHUNK = 1000
"""Most headers sent to the GUI thread in one ``probed`` batch."""
PROBE_INTERVAL_S = 0.1
"""A batch is sent once it is this old: the table fills in steadily, a few repaints a second."""
PROBE_YIELD_S = 0.02
"""Pause after each batch: the GUI thread applies it and repaints without competing for the GIL."""


class _Runner(QObject):
    """One lane and one channel: starts jobs one at a time and forwards the current job's output
    to its own signals (``post("progress", ...)`` emits ``self.progress``; a job's return value is
    emitted by the subclass' ``_on_result``).

    Signals
    -------
    failed(str)
        An unexpected error in the job, as a message for the user.
    """

    failed = Signal(str)
    CHANNEL = "job"

    def __init__(self, parent: QObject | None = None,
                 priority: QThread.Priority = QThread.Priority.InheritPriority) -> None:
        super().__init__(parent)
        self._lane = Lane(type(self).__name__, priority, parent=self)
        self._lane.posted.connect(self._on_posted)
        self._token = 0

    def _launch(self, work) -> None:
        """Supersede the current job and start ``work(context)`` as the new one."""
        self._token = self._lane.submit(self.CHANNEL, work)

    def cancel(self) -> None:
        """Ask the current job to stop; it returns within one file."""
        self._lane.cancel(self.CHANNEL)

    def is_running(self) -> bool:
        """Return True while a job runs on the lane."""
        return self._lane.busy.is_set()

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the running job ends; return False on timeout."""
        return self._lane.wait_idle(msecs)

    def shutdown(self) -> None:
        """Stop the current job and end the lane's thread (call before the app quits)."""
        self.cancel()
        self._lane.shutdown()

    def _on_posted(self, _channel: str, token: int, kind: str, payload: tuple) -> None:
        if token != self._token:
            return  # a superseded job's output
        if kind == RESULT:
            self._on_result(*payload)
        elif kind == FAILED:
            self.failed.emit(str(payload[0]))
        else:
            getattr(self, kind).emit(*payload)

    def _on_result(self, value: object) -> None:
        raise NotImplementedError


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

        def work(context: JobContext) -> object:
            def progress(done: int, total: int) -> None:
                context.post("progress", done, total)

            result = scan_dataset(root, progress, context.cancelled)
            for record in result.records:  # pathlib caches str(path): pay for it here, off the GUI
                str(record.path)
            return result

        self._launch(work)

    def _on_result(self, value: object) -> None:
        self.finished.emit(value)


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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent, QThread.Priority.LowPriority)

    def start(self, paths: Sequence[str]) -> None:
        """Probe ``paths`` in order, cancelling any probing in progress.

        Parameters
        ----------
        paths : sequence of str
            Audio files; they are only opened for reading.
        """
        paths = tuple(paths)
        self._launch(lambda context: _probe_all(context, paths))

    def pause(self, seconds: float) -> None:
        """Leave the CPU (and the GIL) to the GUI thread for ``seconds``, e.g. while the user browses.

        Parameters
        ----------
        seconds : float
            How long from now; a later call extends or shortens the pause.
        """
        self._lane.pause(seconds)

    def _on_result(self, complete: object) -> None:
        if complete:
            self.finished.emit()


def _probe_all(context: JobContext, paths: tuple[str, ...]) -> bool:
    """Probe every path, posting ``probed`` batches; idle while paused. Returns whether every
    path was probed (False when cancelled)."""
    batch: list[tuple[str, object]] = []
    sent = time.monotonic()
    for path in paths:
        if context.idle():
            return False
        batch.append((path, probe(path)))
        if len(batch) >= PROBE_CHUNK or time.monotonic() - sent >= PROBE_INTERVAL_S:
            context.post("probed", batch)
            time.sleep(PROBE_YIELD_S)
            batch, sent = [], time.monotonic()
    if batch:
        context.post("probed", batch)
    return True
