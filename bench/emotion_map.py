"""Emotion map with 10,000 clips (offscreen, 1000x650): how long the map takes, and how smooth it is.

A synthetic corpus of N clips x 188 features (the real column names, 6 emotions, 24 speakers) is shown
by ``EmotionMap``. Figures, all from this run:

- ``compute_map`` (the lane's work: feature set, projection, takes placed), PCA and LDA, median of 3;
- from ``set_result`` to the map drawn and painted once (issue 12: <= 1 s for 1,000 clips);
- a redraw of the dots (``MapPlot.show_clips`` plus one synchronous paint), with brushes from the
  plot's cache, against a baseline of one fresh ``mkBrush`` per point;
- pan/zoom frame time (the view moved, then one synchronous paint), p50 and p95 (target p95 <= 33 ms),
  against a baseline of the same frames over an empty map.

Usage: python bench/emotion_map.py [clips]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

EMOTIONS = ("neutral", "happy", "sad", "angry", "fearful", "disgust")
FRAMES = 60
REPEATS = 3


def synthetic_corpus(n: int, seed: int = 0):
    """``n`` clips x the 188 real feature names, emotions shifting a few columns."""
    from servis_gui.core.corpus_run import CorpusResult
    from servis_gui.core.datasets.records import ClipRecord
    from servis_gui.core.functionals import feature_specs

    names = tuple(spec.name for spec in feature_specs(128))
    rng = np.random.default_rng(seed)
    emotion = rng.integers(0, len(EMOTIONS), n)
    values = rng.normal(size=(n, len(names)))
    values[:, :12] += 2.0 * np.cos(emotion[:, None] + np.arange(12))
    values[rng.random(values.shape) < 0.01] = np.nan
    records = tuple(ClipRecord(Path(f"/bench/{k:05d}.wav"), "Bench", EMOTIONS[e], speaker=f"s{k % 24:02d}",
                               gender="female" if k % 2 else "male") for k, e in enumerate(emotion))
    return CorpusResult(names, records, values, (), 0, n, False)


def ms(seconds: float) -> str:
    return f"{1000 * seconds:7.1f} ms"


def frame_times(view, frames: int = FRAMES) -> np.ndarray:
    """Pan and zoom the map ``frames`` times, each followed by one synchronous paint."""
    box, viewport = view.plot.box, view.plot.viewport()
    times = []
    for k in range(frames):
        start = time.perf_counter()
        if k % 2:
            box.scaleBy((0.97, 0.97) if k % 4 == 1 else (1 / 0.97, 1 / 0.97))
        else:
            (x0, x1), _ = box.viewRange()
            box.translateBy(x=0.01 * (x1 - x0) * (1 if k % 8 < 4 else -1))
        viewport.repaint()
        times.append(time.perf_counter() - start)
    return np.array(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    from offscreen import desktop_platform

    os.environ["QT_QPA_PLATFORM"] = desktop_platform()
    import pyqtgraph as pg
    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    from servis_gui.core.params import FeatureParams
    from servis_gui.core.prosody import DEFAULT_PITCH
    from servis_gui.core.stats import emotion_order
    from servis_gui.settings import Settings
    from servis_gui.core.map_data import compute_map
    from servis_gui.ui.emotion_map import EmotionMap

    app = QApplication.instance() or QApplication([])
    corpus = synthetic_corpus(n)
    print(f"{n} clips x {len(corpus.names)} features, {len(EMOTIONS)} emotions")
    for method in ("pca", "lda"):
        runs = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            compute_map(corpus, None, method, "all", False)
            runs.append(time.perf_counter() - start)
        print(f"compute_map {method} (on the lane):       {ms(float(np.median(runs)))}")

    session = SimpleNamespace(params=FeatureParams(), pitch_params=DEFAULT_PITCH, open_and_play=lambda path: None)
    ini = Path(tempfile.mkdtemp(prefix="servis-bench-map-")) / "servis.ini"
    view = EmotionMap(session, Settings(QSettings(str(ini), QSettings.Format.IniFormat)))
    view.resize(1000, 650)
    view.show()
    app.processEvents()
    loop = QEventLoop()
    view.map_drawn.connect(loop.quit)
    start = time.perf_counter()
    view.set_result(corpus, None)
    loop.exec()  # idle as the app's event loop is: the lane has the interpreter to itself
    view.plot.viewport().repaint()
    print(f"set_result -> drawn and painted:        {ms(time.perf_counter() - start)}")

    plot, coords = view.plot, view.map.projection.coords
    emotions = [r.emotion for r in corpus.records]
    order = emotion_order(emotions)
    cached, fresh = [], []
    for _ in range(REPEATS):
        start = time.perf_counter()
        plot.show_clips(coords, emotions, order)
        plot.viewport().repaint()
        cached.append(time.perf_counter() - start)
        start = time.perf_counter()
        plot.dots.setData(pos=coords, brush=[pg.mkBrush(plot.brush(e).color()) for e in emotions])
        plot.viewport().repaint()
        fresh.append(time.perf_counter() - start)
    print(f"redraw, cached brushes:                 {ms(float(np.median(cached)))}")
    print(f"redraw, baseline (a new brush a point): {ms(float(np.median(fresh)))}")

    plot.show_clips(coords, emotions, order)
    full = frame_times(view)
    plot.dots.setData(pos=np.zeros((0, 2)))
    empty = frame_times(view)
    for label, times in ((f"pan/zoom frame, {n} points:", full), ("pan/zoom frame, baseline (no points):", empty)):
        p50, p95 = np.percentile(times, [50, 95])
        print(f"{label:40s}p50 {ms(p50)}, p95 {ms(p95)}")
    view.shutdown()


if __name__ == "__main__":
    main()
