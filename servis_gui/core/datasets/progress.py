"""Progress reporting and cancellation for long scans, without any Qt."""

from __future__ import annotations

import time
from collections.abc import Callable

ProgressCallback = Callable[[int, int], None]
CancelCallback = Callable[[], bool]


class ScanCancelled(Exception):
    """Raised inside a scan when the caller's ``cancelled()`` returned True."""


class Monitor:
    """Forward throttled progress to a callback and poll a cancel flag.

    Parameters
    ----------
    progress : callable(done, total) or None
        Receives the number of items handled; ``total`` is 0 while it is not yet known
        (during the directory walk).
    cancelled : callable() -> bool or None
        Polled on every :meth:`tick`; when it returns True the scan raises :class:`ScanCancelled`.
    interval : float
        Minimum seconds between two progress calls (0 reports every tick).
    """

    def __init__(
        self,
        progress: ProgressCallback | None = None,
        cancelled: CancelCallback | None = None,
        interval: float = 0.05,
    ) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self._interval = interval
        self._last = float("-inf")

    def tick(self, done: int, total: int = 0) -> None:
        """Raise :class:`ScanCancelled` if cancelled, else report progress if it is time to."""
        if self._cancelled is not None and self._cancelled():
            raise ScanCancelled
        if self._progress is None:
            return
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._progress(done, total)

    def finish(self, total: int) -> None:
        """Report ``(total, total)`` unconditionally."""
        if self._progress is not None:
            self._progress(total, total)


SILENT = Monitor()
