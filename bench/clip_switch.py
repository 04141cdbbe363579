"""Clip switch: request -> all three panes redrawn, for 3 s clips after warm-up (offscreen).

Measures 50 switches with features cached (browsing back and forth), 50 with new parameters
(computed by the worker) back to back, and 50 computed at key-repeat pace (33 ms of idle event
loop before each, as when holding Down); for those, also how long after the panes the f0 and
intensity (Praat, computed after the spectral features) are drawn. Then the way people skim a
corpus: the clips opened as a dataset, 50 Down/Up presses in its table, key press -> all panes
drawn (new parameters, then cached). Baseline in the same run: a plain repaint of the panes with
nothing changed, and the seed pipeline (librosa) computing one clip.
Usage: python bench/clip_switch.py [switches]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from offscreen import desktop_platform  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", desktop_platform())
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as servis_gui.app.main sets it

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

KEY_REPEAT_MS = 33
DEMO = Path(__file__).resolve().parent.parent / "servis_gui" / "resources" / "demo"


def three_second_clips(folder: Path) -> list[str]:
    """The demo clips padded or cut to exactly 3.0 s, as WAV files in ``folder``."""
    paths = []
    for src in sorted(DEMO.glob("*.flac")):
        y, sr = sf.read(src, dtype="float32")
        y = np.resize(np.pad(y, (0, max(0, 3 * sr - len(y)))), 3 * sr)
        paths.append(str(folder / f"{src.stem}.wav"))
        sf.write(paths[-1], y, sr)
    return paths


def wait_for(signal, trigger, done) -> float:
    """Call ``trigger()``, run the event loop until ``done(*args)`` is true for an emission of
    ``signal`` (or 30 s pass), and return the milliseconds it took."""
    loop = QEventLoop()
    hits: list[bool] = []

    def check(*args) -> None:
        if done(*args):
            hits.append(True)
            loop.quit()

    signal.connect(check)
    timeout = QTimer(singleShot=True, interval=30000)
    timeout.timeout.connect(loop.quit)
    timeout.start()
    start = time.perf_counter()
    trigger()
    while not hits and timeout.isActive():
        loop.exec()
    elapsed = (time.perf_counter() - start) * 1000
    signal.disconnect(check)
    return elapsed


def switch_ms(window, path: str) -> float:
    """Request ``path`` and wait until the panes have painted it (``clip_drawn``)."""
    return wait_for(window.clip_drawn, lambda: window.open_path(path), lambda drawn: drawn == path)


def switch_and_prosody_ms(window, path: str) -> tuple[float, float]:
    """Request ``path``; milliseconds until the panes, and until its prosody, are painted."""
    marks: dict[str, float] = {}
    start = time.perf_counter()
    on_panes = lambda drawn: marks.setdefault("panes", time.perf_counter()) if drawn == path else None  # noqa: E731
    window.clip_drawn.connect(on_panes)
    try:
        wait_for(window.panes.prosody_drawn, lambda: window.open_path(path), lambda: "panes" in marks)
    finally:
        window.clip_drawn.disconnect(on_panes)
    end = time.perf_counter()
    return (marks.get("panes", end) - start) * 1000, (end - start) * 1000


def _idle(ms: int) -> None:
    """Let the event loop run for ``ms`` (what happens between two key repeats)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def percentiles(values: list[float]) -> str:
    q = statistics.quantiles(values, n=20)
    return f"p50 {statistics.median(values):6.1f} ms   p95 {q[18]:6.1f} ms   max {max(values):6.1f} ms"


def bench_window(width: int, height: int):
    """A shown main window with throw-away settings, and the 3 s clips (first one opened)."""
    from servis_gui.app import _configure_pyqtgraph
    from servis_gui.settings import Settings
    from servis_gui.ui.main_window import MainWindow

    bench_window.app = QApplication.instance() or QApplication([])
    _configure_pyqtgraph()
    folder = Path(tempfile.mkdtemp(prefix="servis-bench-"))
    clips = three_second_clips(folder)
    window = MainWindow(Settings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)), [clips[0]])
    window.resize(width, height)
    window.show()
    window.finish_setup()
    return window, clips


def main(switches: int = 50) -> None:
    window, clips = bench_window(1600, 1000)
    for path in clips:  # warm-up: every clip analysed once and cached
        switch_ms(window, path)
    _idle(2500)  # start-up idle work (the comparison grid prepares its columns) is over
    order = [clips[i % len(clips)] for i in range(1, switches + 1)]
    cached = [switch_ms(window, p) for p in order]
    window.session.set_params(window.session.params.with_changes(n_mels=64))
    computed = [switch_ms(window, p) for p in order]
    window.session.set_params(window.session.params.with_changes(n_mels=96))
    window.session.set_pitch_params(window.session.pitch_params.with_changes(floor_hz=65.0))
    paced, prosody_after = [], []
    for path in order:
        _idle(KEY_REPEAT_MS)
        panes_ms, prosody_ms = switch_and_prosody_ms(window, path)
        paced.append(panes_ms)
        prosody_after.append(prosody_ms - panes_ms)
    open_as_dataset(window, clips)
    window.session.set_params(window.session.params.with_changes(n_mels=80))
    arrows = {label: arrow_keys_ms(window, switches) for label in ("computed", "cached")}
    repaint = []
    for _ in range(switches):
        start = time.perf_counter()
        window.panes.viewport().repaint()
        repaint.append((time.perf_counter() - start) * 1000)
    seed = seed_ms(clips[0])
    print(f"{switches} switches between 3.0 s clips, window 1600x1000, {os.environ['QT_QPA_PLATFORM']}")
    print(f"  cached features     : {percentiles(cached)}")
    print(f"  computed by worker  : {percentiles(computed)}   (back to back)")
    print(f"  computed, key-repeat pace ({KEY_REPEAT_MS} ms apart): {percentiles(paced)}")
    print(f"  prosody drawn after the panes (computed, Praat ac): {percentiles(prosody_after)}")
    for label, times in arrows.items():
        print(f"  Down/Up in the dataset table, key -> panes drawn, {label:8s}: {percentiles(times)}")
    print(f"  baseline repaint only: {percentiles(repaint)}")
    print(f"  baseline seed pipeline compute (librosa, warm): {seed:.1f} ms per clip")
    print(f"  p95 computed switch / seed compute = {statistics.quantiles(computed, n=20)[18] / seed:.2f}x")
    window.close()


def arrow_keys_ms(window, presses: int) -> list[float]:
    """Press Down (Up at the last row) in the dataset table ``presses`` times; each press ->
    ``clip_drawn``. Call first right after a parameter change (computed), again for cached."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    table = window.library.browser.table
    table.setFocus()
    key, times = Qt.Key.Key_Down, []
    for _ in range(presses):
        row = table.currentIndex().row()
        if row in (0, table.model().rowCount() - 1):
            key = Qt.Key.Key_Down if row == 0 else Qt.Key.Key_Up
        times.append(wait_for(window.clip_drawn, lambda k=key: QTest.keyClick(table, k), lambda _p: True))
    return times


def open_as_dataset(window, clips: list[str]) -> None:
    """Show the clips' folder in the dataset browser, first row current."""
    browser = window.library.browser
    wait_for(browser.dataset_opened, lambda: browser.open_dataset(str(Path(clips[0]).parent)),
             lambda *_: True)
    browser.table.setCurrentIndex(browser.table.model().index(0, 0))
    _idle(300)


def seed_ms(path: str) -> float:
    import librosa

    def run() -> None:
        y, sr = librosa.load(path, sr=16000)
        librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr), ref=np.max)
        librosa.feature.mfcc(y=y, sr=sr)

    run()
    start = time.perf_counter()
    for _ in range(10):
        run()
    return (time.perf_counter() - start) * 100


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
