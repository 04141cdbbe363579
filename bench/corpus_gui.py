"""Corpus tab: is the GUI thread ever blocked for more than 50 ms while a corpus is analysed (offscreen)?

The real main window (``clip_switch.bench_window``) analyses generated clips (``corpus.make_corpus``:
2-4 s of demo speech each, 200 by default) from its Corpus tab, ``CorpusView.analyse``, into a
fresh cache in a temporary folder. A 5 ms timer on the GUI thread stamps every tick; a gap between
two ticks is time the GUI thread could not serve its event loop. Figures, all from this run:

- the analysis (``analyse()`` -> ``worker.finished``): max gap, p99 gap, gaps > 50 ms, clips/s;
- the result being shown (``finished`` -> 1 s later: the 200 dots, the tables, the paint);
- baseline: the same timer over the idle window for as long as the analysis took;
- a second analysis (every clip from the cache): its time and its gaps.

To say where a stall comes from, the Corpus tab's GUI-thread calls (progress, the result's
redraw and its parts) are timed in place (``Timings``), and while the timer runs a watchdog thread
samples the GUI thread's Python stack whenever a tick is more than ``SAMPLE_AFTER_MS`` late.
Usage: python bench/corpus_gui.py [clips]
"""

from __future__ import annotations

import collections
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# clip_switch (the window, QtWidgets, the offscreen platform) and corpus are imported in the functions
# that use them: the analysis's worker processes import this script as their __main__, and need neither.

TICK_MS = 5
BLOCKED_MS = 50.0
SAMPLE_AFTER_MS = 30.0
SHOWN_MS = 1000
"""How long after ``finished`` the showing of the result (redraw, tables, paint) is watched."""


class GapRecorder:
    """A ``TICK_MS`` timer on the GUI thread that stamps its ticks, and a watchdog that samples the
    GUI thread's stack while a tick is overdue.

    Attributes
    ----------
    ticks : list of float
        ``time.perf_counter()`` of every tick, in seconds.
    stalls : collections.Counter
        ``(innermost SERVIS frame, innermost frame)`` -> watchdog samples taken there while the
        GUI thread was late.
    """

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.stalls: collections.Counter = collections.Counter()
        self._timer = QTimer(interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._gui = threading.get_ident()
        self._stop = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> GapRecorder:
        self.ticks.append(time.perf_counter())
        self._timer.start()
        self._watchdog.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.stop()
        self._stop.set()
        self._watchdog.join()

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def _watch(self) -> None:
        while not self._stop.wait(0.005):
            if (time.perf_counter() - self.ticks[-1]) * 1000 > SAMPLE_AFTER_MS:
                frame = sys._current_frames().get(self._gui)
                if frame is not None:
                    self.stalls[_where(traceback.extract_stack(frame))] += 1

    def gaps_ms(self, start: float = -np.inf, end: float = np.inf) -> np.ndarray:
        """The gaps between ticks (ms) of the ticks that ended in ``[start, end]`` (perf_counter s)."""
        ticks = np.array(self.ticks)
        gaps = np.diff(ticks) * 1000
        return gaps[(ticks[1:] >= start) & (ticks[1:] <= end)]


class Timings:
    """Wall time of GUI-thread calls, by name: wraps an attribute of an object or module in place.

    Attributes
    ----------
    calls : dict of str to list of (float, float)
        Name -> ``(perf_counter at the start, milliseconds)`` of every call since :meth:`clear`.
    """

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[float, float]]] = collections.defaultdict(list)

    def wrap(self, owner: object, name: str, label: str = "") -> None:
        """Replace ``owner.name`` with a timed call of it, recorded under ``label`` (``name`` by default)."""
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.calls[label or name].append((start, (time.perf_counter() - start) * 1000))

        setattr(owner, name, timed)

    def clear(self) -> None:
        self.calls.clear()

    def line(self, name: str) -> str:
        """``name``'s calls: how many, the longest and the total, in ms."""
        ms = [t for _, t in self.calls.get(name, [])]
        return f"{name} x{len(ms)}: max {max(ms, default=0):.1f} ms, total {sum(ms):.1f} ms"


def time_the_corpus_view(view) -> Timings:
    """Time what the Corpus tab does on the GUI thread during and after an analysis."""
    from servis_gui.ui import corpus_view

    timings = Timings()
    for signal, slot in ((view.worker.progress, "_on_progress"), (view.worker.finished, "_on_finished")):
        signal.disconnect(getattr(view, slot))  # reconnected timed, in the same place of the order
        timings.wrap(view, slot)
        signal.connect(getattr(view, slot))
    for owner, names in ((view, ("_fill_choices", "_redraw")), (view.plot, ("show_groups",)),
                         (view.statistics, ("show_comparison",)), (view.observations, ("show_verdicts",)),
                         (corpus_view, ("feature_view",))):
        for name in names:
            timings.wrap(owner, name)
    return timings


def _where(stack: traceback.StackSummary) -> tuple[str, str]:
    """The innermost frame of SERVIS's own code, and the innermost frame, as ``file:line function``."""
    def name(frame: traceback.FrameSummary) -> str:
        return f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"

    ours = [f for f in stack if "servis_gui" in f.filename]
    return (name(ours[-1]) if ours else "-"), name(stack[-1])


def gap_line(label: str, gaps: np.ndarray) -> str:
    """One line of figures for the gaps of one phase."""
    if not gaps.size:
        return f"  {label}: no ticks"
    over = int(np.count_nonzero(gaps > BLOCKED_MS))
    return (f"  {label}: max gap {gaps.max():6.1f} ms   p99 {np.percentile(gaps, 99):5.1f} ms   "
            f"gaps > {BLOCKED_MS:.0f} ms: {over:3d}   ({gaps.size} ticks)")


def analyse_and_watch(view, records: list, timings: Timings) -> dict:
    """Run ``view.analyse(records)`` under a :class:`GapRecorder` (``timings`` cleared first).

    Returns
    -------
    dict
        ``seconds``: ``analyse()`` to the result reaching the GUI thread (``_on_finished`` called);
        ``during``, ``shown``: the gaps (ms) before that, and from then until ``SHOWN_MS`` after it;
        ``recorder``: the :class:`GapRecorder`.
    """
    from clip_switch import _idle, wait_for

    timings.clear()
    with GapRecorder() as recorder:
        _idle(200)
        start = time.perf_counter()
        wait_for(view.worker.finished, lambda: view.analyse(records, "bench"), lambda _result: True)
        _idle(SHOWN_MS)
    arrived = timings.calls["_on_finished"][-1][0]
    return {"seconds": arrived - start, "during": recorder.gaps_ms(start, arrived),
            "shown": recorder.gaps_ms(arrived), "recorder": recorder}


def report_stalls(recorder: GapRecorder) -> None:
    """Where the watchdog found the GUI thread while it was late (most samples first)."""
    if not recorder.stalls:
        print("    no watchdog sample: the GUI thread was never more than "
              f"{SAMPLE_AFTER_MS:.0f} ms late in Python code")
        return
    for (ours, inner), count in recorder.stalls.most_common(8):
        print(f"    {count * 5:5d} ms late in {ours}  (innermost: {inner})")


def main(count: int = 200) -> None:
    from clip_switch import _idle, bench_window  # sets the offscreen platform before the QApplication
    from corpus import make_corpus

    from servis_gui.core import corpus_cache
    from servis_gui.core.datasets.detect import scan_dataset

    window, _clips = bench_window(1600, 1000)
    _idle(2500)  # start-up idle work is over
    scratch = Path(tempfile.mkdtemp(prefix="servis-bench-corpus-gui-"))
    corpus_cache.default_cache_folder = lambda: scratch / "cache"  # never the user's cache
    durations = make_corpus(scratch / "corpus", count)
    records = list(scan_dataset(scratch / "corpus").records)
    view = window.corpus_view()  # built now: its imports (scipy.stats) are not the analysis
    window.tabs.setCurrentWidget(view)
    timings = time_the_corpus_view(view)
    _idle(500)

    first = analyse_and_watch(view, records, timings)
    assert view.result is not None and len(view.result.records) == count and view.result.cached == 0
    first_calls = dict(timings.calls)
    with GapRecorder() as idle:
        _idle(round(first["seconds"] * 1000))
    again = analyse_and_watch(view, records, timings)
    assert view.result.cached == count

    seconds = first["seconds"]
    print(f"Corpus tab, {count} clips of 2-4 s ({sum(durations):.0f} s of speech), window 1600x1000, "
          f"{os.environ['QT_QPA_PLATFORM'].split(':')[0]}, {TICK_MS} ms timer on the GUI thread")
    print(f"first analysis (fresh cache, 2 workers): {seconds:.2f} s to the result = {count / seconds:.1f} clips/s, "
          f"{sum(durations) / seconds:.0f}x real time")
    print(gap_line("during the analysis       ", first["during"]))
    print(gap_line(f"result shown (+{SHOWN_MS} ms)    ", first["shown"]))
    print(gap_line(f"baseline idle ({seconds:.1f} s)     ", idle.gaps_ms()))
    print(f"second analysis (all {count} from the cache): {again['seconds'] * 1000:.0f} ms to the result")
    print(gap_line("during the cached analysis", again["during"]))
    print(gap_line(f"result shown (+{SHOWN_MS} ms)    ", again["shown"]))
    worst = max(max(run["during"].max(), run["shown"].max()) for run in (first, again))
    print(f"GUI thread never blocked > {BLOCKED_MS:.0f} ms: {'meets' if worst <= BLOCKED_MS else 'MISSES'} "
          f"the target (worst gap {worst:.0f} ms)")
    for label, calls in (("first analysis", first_calls), ("cached analysis", timings.calls)):
        print(f"  GUI-thread calls of the Corpus tab, {label}:")
        timings.calls = calls
        for name in ("_on_progress", "_on_finished", "_fill_choices", "_redraw", "feature_view",
                     "show_groups", "show_comparison", "show_verdicts"):
            print(f"    {timings.line(name)}")
    for label, run in (("first analysis", first), ("cached analysis", again), ("idle", {"recorder": idle})):
        print(f"  where the GUI thread was while late, {label}:")
        report_stalls(run["recorder"])
    view.shutdown()
    window.close()
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
