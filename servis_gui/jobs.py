"""Background work, one idiom for all of it: long-lived worker *lanes* that run jobs in order.

A :class:`Lane` is one ``QThread`` with a queue. A job is a plain function ``work(context)``
submitted on a *channel* of a lane ("clip", "group", "scan", ...). Submitting on a channel
supersedes every older job of that channel: a superseded job that has not started is skipped,
and one that is running sees ``context.cancelled()`` turn True. What a job posts or returns
reaches the GUI thread through the lane's queued ``posted`` signal, tagged with the channel and
token, so the receiver can tell current output from stale (:meth:`Lane.is_current`).

Heavy inputs and outputs are frozen (core dataclasses, numpy arrays nobody writes): nothing
shared is mutated across threads. Lanes still running when Python exits are stopped then.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from servis_gui.core.errors import ServisError

log = logging.getLogger(__name__)

PAUSE_STEP_S = 0.01
RESULT, FAILED = "result", "failed"
"""The kinds of what a job's end posts: its return value, or a :class:`ServisError`."""


@dataclass(frozen=True)
class Job:
    """One unit of background work: ``work(context)`` on ``channel``, ordered by ``token``."""

    channel: str
    token: int
    work: Callable[[JobContext], object]


class JobContext:
    """What a running job may ask of its lane: whether to stop, to post output, to idle."""

    def __init__(self, lane: Lane, job: Job) -> None:
        self._lane, self._job = lane, job

    def cancelled(self) -> bool:
        """True once a newer job was submitted on this channel, or :meth:`Lane.cancel` was called."""
        return not self._lane.is_current(self._job.channel, self._job.token) or \
            self._lane.was_cancelled(self._job.channel, self._job.token)

    def post(self, kind: str, *payload: object) -> None:
        """Send ``payload`` to the GUI thread as ``posted(channel, token, kind, payload)``."""
        self._lane.posted.emit(self._job.channel, self._job.token, kind, payload)

    def idle(self) -> bool:
        """Sleep while the lane is paused (:meth:`Lane.pause`); return :meth:`cancelled`."""
        while not self.cancelled() and time.monotonic() < self._lane.resume_at:
            time.sleep(PAUSE_STEP_S)
        return self.cancelled()


class _Runner(QObject):
    """Lives on the lane's thread and runs each job it is sent."""

    def __init__(self, lane: Lane) -> None:
        super().__init__()
        self._lane = lane

    @Slot(object)
    def run(self, job: Job) -> None:
        lane = self._lane
        if not lane.is_current(job.channel, job.token):
            return  # superseded before it started
        context = JobContext(lane, job)
        lane.busy.set()
        try:
            context.post(RESULT, job.work(context))
        except ServisError as error:
            context.post(FAILED, error)
        except Exception as error:  # a bug must reach the user, not kill the thread
            log.exception("background job on %s failed", job.channel)
            context.post(FAILED, ServisError(
                "SERVIS met an internal error in the background; the rest keeps working. "
                "The details are in the log.", repr(error)))
        finally:
            lane.busy.clear()


class Lane(QObject):
    """One worker thread running jobs in submission order.

    Parameters
    ----------
    name : str
        The thread's name (shown by debuggers and in logs).
    priority : QThread.Priority
        The thread's priority (header probing runs low).

    Signals
    -------
    posted(str, int, str, tuple)
        ``(channel, token, kind, payload)`` from a job: what it posted, then ``("result", (value,))``
        or ``("failed", (ServisError,))`` when it ends. Queued to the thread the lane lives in.
    """

    posted = Signal(str, int, str, object)
    _submit = Signal(object)

    def __init__(self, name: str, priority: QThread.Priority = QThread.Priority.InheritPriority,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest: dict[str, int] = {}  # written by the GUI thread, read by the worker: int stores are atomic
        self._cancelled: dict[str, int] = {}
        self.resume_at = 0.0
        self.busy = threading.Event()
        self.thread = QThread()
        self.thread.setObjectName(name)
        self._runner = _Runner(self)
        self._runner.moveToThread(self.thread)
        self._submit.connect(self._runner.run)
        self.thread.start(priority)
        _LANES.add(self)

    def submit(self, channel: str, work: Callable[[JobContext], object], token: int | None = None) -> int:
        """Queue ``work`` on ``channel``; older jobs of the channel are superseded. Returns its token.

        Jobs given the same explicit ``token`` (a comparison group's clips) do not supersede each other.
        """
        token = self._latest.get(channel, 0) + 1 if token is None else token
        self.supersede(channel, token)
        self._submit.emit(Job(channel, token, work))
        return token

    def supersede(self, channel: str, token: int) -> None:
        """Make ``token`` the newest of ``channel`` without a job (work sent to another lane)."""
        self._latest[channel] = max(token, self._latest.get(channel, 0))

    def is_current(self, channel: str, token: int) -> bool:
        """Is ``token`` the newest job submitted on ``channel``?"""
        return token >= self._latest.get(channel, 0)

    def was_cancelled(self, channel: str, token: int) -> bool:
        """Was the job ``token`` of ``channel`` asked to stop with :meth:`cancel`?"""
        return token <= self._cancelled.get(channel, 0)

    def cancel(self, channel: str) -> None:
        """Ask the jobs of ``channel`` submitted so far to stop; what they still post is delivered."""
        self._cancelled[channel] = self._latest.get(channel, 0)

    def pause(self, seconds: float) -> None:
        """Make :meth:`JobContext.idle` wait ``seconds`` from now (a later call moves the end)."""
        self.resume_at = time.monotonic() + seconds

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Block until no job runs (a job queued behind is not waited for); False on timeout."""
        deadline = time.monotonic() + msecs / 1000
        while self.busy.is_set():
            if time.monotonic() > deadline:
                return False
            time.sleep(PAUSE_STEP_S)
        return True

    def shutdown(self) -> None:
        """Supersede every job, let the running one stop, and end the thread."""
        for channel in list(self._latest):
            self._latest[channel] += 1
        self.thread.quit()
        self.thread.wait(5000)
        _LANES.discard(self)


_LANES: set[Lane] = set()
"""Lanes not shut down yet: kept referenced (a running QThread must not be deleted)."""


@atexit.register
def _stop_all() -> None:
    """End every lane still running when Python exits (Qt aborts on a running QThread otherwise)."""
    for lane in list(_LANES):
        lane.shutdown()
