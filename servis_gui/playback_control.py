"""Play / pause / resume one buffer at a time and report the playhead on a 30 ms timer."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from servis_gui.audio.playback import AudioUnavailable, Player

PLAYHEAD_MS = 30


class PlaybackControl(QObject):
    """Drives the app's one ``Player`` (owned by the Session) for the panes or a comparison column.

    Signals
    -------
    position_changed(float) : playhead in seconds, every ~30 ms while playing
    stopped() : playback ended or was stopped; hide the playhead
    state_changed(bool) : playing or not
    unavailable(str) : sound cannot be played; the reason for the user
    """

    position_changed = Signal(float)
    stopped = Signal()
    state_changed = Signal(bool)
    unavailable = Signal(str)
    _finished = Signal()

    def __init__(self, player: Player | None = None) -> None:
        super().__init__()
        self.player = player or Player()
        self._samples: np.ndarray | None = None
        self._resume_at: float | None = None
        self._timer = QTimer(self, interval=PLAYHEAD_MS)
        self._timer.timeout.connect(lambda: self.position_changed.emit(self.player.position))
        self._finished.connect(self._on_finished)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def pause(self) -> None:
        """Stop where the listener is; :meth:`toggle` on the same samples resumes there."""
        if self.playing:
            self._resume_at = self.player.position
            self._halt()

    def toggle(self, samples: np.ndarray, sr: int, start: float = 0.0, end: float | None = None) -> None:
        """Pause if playing; else play ``[start, end)``, resuming at the pause point if it lies inside."""
        if self.playing:
            return self.pause()
        resume = self._resume_at if samples is self._samples else None
        if resume is not None and start <= resume < (end if end is not None else len(samples) / sr):
            start = resume
        self.play(samples, sr, start, end)

    def play(self, samples: np.ndarray, sr: int, start: float = 0.0, end: float | None = None) -> None:
        """Play ``samples[start:end]`` (seconds) from the beginning of that range."""
        self._halt()
        self._samples, self._resume_at = samples, None
        try:
            self.player.play(samples, sr, start, end, on_finished=self._finished.emit)
        except AudioUnavailable as exc:
            self.unavailable.emit(str(exc))
            return
        self._timer.start()
        self.state_changed.emit(True)

    def stop(self) -> None:
        """Stop and forget the pause point."""
        self._resume_at = None
        self._halt()
        self.stopped.emit()

    def _halt(self) -> None:
        self.player.stop()
        if self._timer.isActive():
            self._timer.stop()
            self.state_changed.emit(False)

    def _on_finished(self) -> None:
        if self._timer.isActive() and not self.player.playing:
            self.stop()
