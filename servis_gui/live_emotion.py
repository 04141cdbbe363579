"""Live emotion: the corpus's features of the microphone's last 2 s, every 0.5 s, off the GUI thread.

The Record panel hands each block it draws to :meth:`LiveEmotion.push` (its ``samples_pushed``
signal). When :class:`~servis_gui.core.live_features.LiveFeatures` is due, a snapshot of the window
goes to a :class:`~servis_gui.jobs.Lane`; the newest job wins (an older one not yet started is
skipped, and a result older than one already shown is dropped). The answer, a feature dict or None
for silence, is emitted as ``features_ready``: the emotion map's live marker and the recogniser's
bars follow it.
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np
from PySide6.QtCore import QObject, Signal

from servis_gui.core.live_features import LiveFeatures
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams
from servis_gui.jobs import FAILED, RESULT, Lane

LIVE = "live"
"""The lane's channel."""
LATENCIES_KEPT = 50


class LiveEmotion(QObject):
    """Analyses the live stream with the corpus's settings on a background lane.

    Parameters
    ----------
    params : FeatureParams
        STFT, mel and MFCC settings (the corpus's); follow changes with :meth:`set_params`.
    pitch : PitchParams
        Pitch settings (the corpus's).
    parent : QObject, optional

    Attributes
    ----------
    latencies : deque of float
        Seconds from the arrival of the block that completed a window to its ``features_ready``
        (the last :data:`LATENCIES_KEPT`).

    Signals
    -------
    features_ready(object) : ``{name: value}`` of the last 2 s, or None when they are silent
    failed(str) : the window could not be analysed (the plain sentence)
    """

    features_ready = Signal(object)
    failed = Signal(str)

    def __init__(self, params: FeatureParams, pitch: PitchParams, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.params, self.pitch = params, pitch
        self.live: LiveFeatures | None = None
        self.latencies: deque[float] = deque(maxlen=LATENCIES_KEPT)
        self._arrived: dict[int, float] = {}
        self._shown = 0
        self.lane = Lane("LiveEmotion", parent=self)
        self.lane.posted.connect(self._on_posted)

    def set_params(self, params: FeatureParams, pitch: PitchParams) -> None:
        """Analyse with new settings from the next full window on."""
        self.params, self.pitch, self.live = params, pitch, None

    def push(self, samples: np.ndarray, sr: int) -> None:
        """Take the next block of the stream (mono, at ``sr``); a new rate starts a new window."""
        if self.live is None or self.live.input_sr != sr:
            self.live = LiveFeatures(self.params, self.pitch, sr)
        self.live.push(samples)
        if self.live.due():
            live, window = self.live, self.live.snapshot()
            token = self.lane.submit(LIVE, lambda _context: live.features(window))
            self._arrived = {t: a for t, a in self._arrived.items() if t > self._shown}
            self._arrived[token] = time.monotonic()

    def shutdown(self) -> None:
        self.lane.shutdown()

    def _on_posted(self, _channel: str, token: int, kind: str, payload: tuple) -> None:
        if token <= self._shown:
            return  # a newer window is already shown
        self._shown = token
        arrived = self._arrived.pop(token, None)
        if kind == FAILED:
            self.failed.emit(str(payload[0]))
        elif kind == RESULT:
            if arrived is not None:
                self.latencies.append(time.monotonic() - arrived)
            self.features_ready.emit(payload[0])
