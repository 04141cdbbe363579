"""``servis --self-test``: open the first demo clip offscreen, check the panes and its pitch (Praat,
through parselmouth), print one line."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QTimer

TIMEOUT_MS = 120_000


class SelfTest:
    """Waits for the first clip to be drawn, inspects the rendering and quits the app."""

    def __init__(self, window, app, start: float) -> None:
        self.window, self.app, self.start = window, app, start
        window.clip_drawn.connect(self._on_drawn)
        QTimer.singleShot(TIMEOUT_MS, lambda: self._finish(False, "timed out waiting for the panes"))

    def _on_drawn(self, _path: str) -> None:
        session = self.window.session
        if session.prosody is not None:
            # Not from inside the paint that announced the clip: grabbing there repaints recursively.
            QTimer.singleShot(0, lambda: self._finish(*self._inspect()))
        else:
            session.prosody_ready.connect(lambda _p: QTimer.singleShot(0, lambda: self._finish(*self._inspect())))
            session.prosody_failed.connect(lambda reason: self._finish(False, f"no pitch: {reason}"))

    def _inspect(self) -> tuple[bool, str]:
        analysis = self.window.session.analysis
        image = self.window.panes.grab().toImage()
        pixels = np.array([image.pixelColor(x, y).value()
                           for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)])
        feats = analysis.features
        detail = (f"clip {analysis.clip.name} ({analysis.clip.duration:.2f} s, {analysis.clip.sr} Hz), "
                  f"mel {feats.mel_db.shape[0]}x{feats.mel_db.shape[1]}, mfcc {feats.mfcc.shape[0]}x"
                  f"{feats.mfcc.shape[1]}, panes {image.width()}x{image.height()} px, "
                  f"pixel std {pixels.std():.1f}, {self._pitch()}")
        voiced = self.window.session.prosody is not None and self.window.session.prosody.voiced.any()
        return pixels.std() > 5.0 and np.isfinite(feats.mel_db).all() and voiced, detail

    def _pitch(self) -> str:
        prosody = self.window.session.prosody
        if prosody is None or not prosody.voiced.any():
            return "no voiced frame"
        return f"f0 median {np.nanmedian(prosody.f0_hz):.0f} Hz over {int(prosody.voiced.sum())} voiced frames"

    def _finish(self, ok: bool, detail: str) -> None:
        elapsed = time.perf_counter() - self.start
        print(f"SERVIS self-test {'OK' if ok else 'FAILED'}: {detail}, {elapsed:.2f} s", flush=True)
        self.window.close()
        self.app.exit(0 if ok else 1)
