"""Connects the Player to the Session: Space plays/pauses, the playhead follows the sound."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from servis_gui.audio.playback import AudioUnavailable, Player
from servis_gui.session import Session

PLAYHEAD_MS = 30


class PlaybackControl(QObject):
    """Plays the session's clip (or its selection) and moves the session's playhead.

    Signals
    -------
    unavailable(str) : sound cannot be played; the reason for the user
    state_changed(bool) : playing or not
    """

    unavailable = Signal(str)
    state_changed = Signal(bool)
    _finished = Signal()

    def __init__(self, session: Session, player: Player | None = None) -> None:
        super().__init__()
        self.session = session
        self.player = player or Player()
        self._resume_at: float | None = None
        self._timer = QTimer(self, interval=PLAYHEAD_MS)
        self._timer.timeout.connect(self._on_tick)
        self._finished.connect(self._on_finished)
        session.analysis_ready.connect(self._on_new_analysis)
        session.selection_changed.connect(lambda _sel: self._forget_resume())

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def toggle(self) -> None:
        """Pause if playing, else play from the pause point, the selection or the start."""
        if self.playing:
            self._resume_at = self.player.position
            self.stop()
        else:
            self.play()

    def play(self) -> None:
        analysis = self.session.analysis
        if analysis is None:
            return
        start, end = self.session.selection or (0.0, None)
        if self._resume_at is not None and start <= self._resume_at < (end or analysis.clip.duration):
            start = self._resume_at
        try:
            self.player.play(analysis.clip.samples, analysis.clip.sr, start, end,
                             on_finished=self._finished.emit)
        except AudioUnavailable as exc:
            self.unavailable.emit(str(exc))
            return
        self._timer.start()
        self.state_changed.emit(True)

    def stop(self) -> None:
        self.player.stop()
        if self._timer.isActive():
            self._timer.stop()
            self.state_changed.emit(False)

    def _on_tick(self) -> None:
        self.session.set_playhead(self.player.position)

    def _on_finished(self) -> None:
        if self._timer.isActive() and not self.player.playing:
            self._forget_resume()
            self.stop()
            self.session.set_playhead(None)

    def _on_new_analysis(self, _analysis) -> None:
        if self.session.playhead is None:
            self.stop()
            self._forget_resume()

    def _forget_resume(self) -> None:
        self._resume_at = None
