"""Dataset browser speed: indexing 10,000 IEMOCAP files off the GUI thread, and Up/Down in the table.

(a) The synthetic IEMOCAP tree of ``bench_scan.py`` (each file given a tiny real WAV body, so the
    header probing is real) is opened through ``DatasetBrowser.open_dataset`` (ScanWorker, then
    HeaderProber) while a precise 1 ms QTimer on the GUI thread records the largest gap between
    its ticks: the longest time the GUI thread was blocked. Baselines in the same run: a bare
    ``os.walk`` of the tree and ``scan_dataset`` called directly.
(b) 50 Down presses in the 10,000-row table: key press -> ``clip_activated`` emitted (and with the
    table's own repaint). Baseline: a bare QTableView over a QStandardItemModel of the same size.

Usage: python bench/browse.py
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import soundfile as sf
from bench_scan import build_iemocap
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView

from servis_gui.core.datasets import scan_dataset
from servis_gui.ui.browser import DatasetBrowser
from servis_gui.ui.browser_model import Column

INDEX_BUDGET_S = 2.0
BLOCK_BUDGET_MS = 50.0
STEP_BUDGET_MS = 30.0
STEPS = 50
BUSY_STEPS = 10
BUSY_GAP_MS = 600


class GapMeter(QObject):
    """Ticks every millisecond on the GUI thread and keeps the largest gap between two ticks."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self, interval=1, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._last = self.max_gap = 0.0

    def start(self) -> None:
        self._last, self.max_gap = time.perf_counter(), 0.0
        self._timer.start()

    def stop(self) -> float:
        """Stop and return the largest gap in ms."""
        self._tick()
        self._timer.stop()
        return self.max_gap * 1000

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self._last)
        self._last = now


def wait_for(signal, timeout_ms: int = 60000) -> float:
    """Run the event loop until ``signal`` fires; return the time it took in seconds."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    start = time.perf_counter()
    loop.exec()
    signal.disconnect(loop.quit)
    return time.perf_counter() - start


def give_audio_bodies(root: Path) -> int:
    """Write 10 ms of 16 kHz silence into every (empty) WAV of the tree; return the count."""
    buffer = io.BytesIO()
    sf.write(buffer, np.zeros(160, dtype=np.int16), 16000, format="WAV", subtype="PCM_16")
    paths = list(root.rglob("*.wav"))
    for path in paths:
        path.write_bytes(buffer.getvalue())
    return len(paths)


def bench_scan(browser: DatasetBrowser, root: Path) -> bool:
    """(a): open the tree through the browser and print times and the largest GUI-thread block."""
    walk_s = _timed(lambda: sum(len(files) for _, _, files in os.walk(root)))
    direct_s = _timed(lambda: scan_dataset(root))
    meter, results = GapMeter(), []
    browser.scanner.finished.connect(results.append)
    meter.start()
    browser.open_dataset(str(root))
    scan_s = wait_for(browser.dataset_opened)
    QTest.qWait(50)  # the new table's first paint belongs to the scan
    scan_gap = meter.stop()
    meter.start()
    probe_s = wait_for(browser.prober.finished)
    probe_gap = meter.stop()
    apply_ms = _timed(lambda: browser.set_records(results[0], str(root))) * 1000
    wait_for(browser.prober.finished)
    rows = browser.proxy.rowCount()
    print(f"(a) IEMOCAP tree, {rows:,} rows ({browser.model.unreadable_count()} unreadable)")
    print(f"    index via ScanWorker, open -> table filled: {scan_s:6.3f} s   "
          f"{_verdict(scan_s <= INDEX_BUDGET_S)} (budget {INDEX_BUDGET_S:.0f} s)")
    print(f"    largest GUI-thread block while scanning (incl. filling the table): {scan_gap:5.1f} ms   "
          f"{_verdict(scan_gap <= BLOCK_BUDGET_MS)} (budget {BLOCK_BUDGET_MS:.0f} ms)")
    print(f"    of which set_records (10,000 rows into model, filters, counts; repeated): {apply_ms:5.1f} ms")
    print(f"    header probing in the background: {probe_s + 0.05:6.3f} s, largest GUI block {probe_gap:5.1f} ms   "
          f"{_verdict(probe_gap <= BLOCK_BUDGET_MS)}")
    print(f"    baseline bare os.walk {walk_s:6.3f} s; scan_dataset on the calling thread {direct_s:6.3f} s"
          f" (ratio worker/direct {scan_s / direct_s:4.2f}x)")
    return rows == 10_000 and scan_s <= INDEX_BUDGET_S and max(scan_gap, probe_gap) <= BLOCK_BUDGET_MS


def step_times(view: QTableView, signal, steps: int = STEPS, gap_ms: int = 0) -> tuple[list[float], list[float]]:
    """Press Down ``steps`` times, ``gap_ms`` of event loop apart; per press, ms to ``signal``
    and ms to signal + repaint."""
    fired: list[float] = []
    signal.connect(lambda *_: fired.append(time.perf_counter()))
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    to_signal, to_paint = [], []
    for _ in range(steps):
        QTest.qWait(gap_ms)
        start = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_Down)
        view.viewport().repaint()
        to_paint.append((time.perf_counter() - start) * 1000)
        to_signal.append((fired[-1] - start) * 1000)
    assert len(fired) == steps + 1, len(fired)  # + the initial setCurrentIndex
    return to_signal, to_paint


def bare_table(rows: int) -> QTableView:
    """The baseline: a QTableView over a QStandardItemModel of ``rows`` x 9 strings."""
    model = QStandardItemModel(rows, len(Column))
    for row in range(rows):
        for column in range(len(Column)):
            model.setItem(row, column, QStandardItem(f"r{row}c{column}"))
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    return view


def bench_steps(browser: DatasetBrowser) -> bool:
    """(b): Down through 50 rows of the 10,000-row browser, and the baseline."""
    browser.table.sortByColumn(Column.FILE, Qt.SortOrder.AscendingOrder)
    rows = browser.proxy.rowCount()
    signal_ms, paint_ms = step_times(browser.table, browser.clip_activated)
    browser.prober.start(browser.model.paths)  # read every header again, and browse meanwhile
    busy_signal, busy_paint = step_times(browser.table, browser.clip_activated, BUSY_STEPS, BUSY_GAP_MS)
    wait_for(browser.prober.finished)
    baseline = bare_table(rows)
    baseline.resize(browser.table.size())
    baseline.show()
    QTest.qWaitForWindowExposed(baseline)
    base_signal, base_paint = step_times(baseline, baseline.selectionModel().currentRowChanged)
    sort_ms = _timed(lambda: browser.table.sortByColumn(Column.DURATION, Qt.SortOrder.DescendingOrder)) * 1000
    filter_ms = _timed(lambda: browser.filters.emotions.boxes["neutral"].setChecked(False)) * 1000
    p95 = _p95(signal_ms)
    print(f"(b) Up/Down through {STEPS} consecutive rows of a {rows:,}-row table")
    print(f"    key press -> clip_activated     : {_stats(signal_ms)}   {_verdict(p95 <= STEP_BUDGET_MS)}"
          f" (budget {STEP_BUDGET_MS:.0f} ms)")
    print(f"    key press -> signal + table repaint: {_stats(paint_ms)}")
    print(f"    while headers are probed, {BUSY_STEPS} presses {BUSY_GAP_MS} ms apart (probing resumed in between):")
    print(f"      key press -> clip_activated   : {_stats(busy_signal)}")
    print(f"      key press -> signal + repaint : {_stats(busy_paint)}")
    print(f"    baseline bare QTableView (QStandardItemModel) key -> currentRowChanged: {_stats(base_signal)}")
    print(f"    baseline bare QTableView key + repaint: {_stats(base_paint)}")
    print("    key press -> all panes drawn (the main window, 3 s clips): bench/clip_switch.py, Down/Up lines")
    print(f"    one-off: sort 10,000 rows by duration {sort_ms:5.1f} ms; untick one emotion {filter_ms:5.1f} ms")
    return p95 <= STEP_BUDGET_MS


def _timed(task) -> float:
    start = time.perf_counter()
    task()
    return time.perf_counter() - start


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def _stats(values: list[float]) -> str:
    return f"p50 {statistics.median(values):5.2f} ms  p95 {_p95(values):5.2f} ms  max {max(values):5.2f} ms"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def main() -> int:
    """Build the tree, run (a) and (b); return 0 when every budget is met."""
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="servis-browse-") as folder:
        root = build_iemocap(Path(folder) / "IEMOCAP_full_release")
        give_audio_bodies(root)
        browser = DatasetBrowser()
        browser.resize(1000, 800)
        browser.show()
        app.processEvents()
        ok = bench_scan(browser, root) & bench_steps(browser)
        browser.shutdown()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
