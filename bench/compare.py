"""Opening a 6-clip comparison grid of 3 s clips, and the frame time while zooming it (offscreen).

Request -> every pane drawn, with features not cached (computed by the worker) and cached,
after 2.5 s of start-up idle time (the grid builds its first six columns then).
Baseline in the same run: drawing ONE clip in the main panes (request -> drawn), uncached.
Usage: python bench/compare.py [repeats]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clip_switch import _idle, bench_window, switch_ms, wait_for  # noqa: E402  (sets the offscreen screen)


def open_grid_ms(window, paths: list[str]) -> float:
    """Request a comparison group and wait until its grid is shown and painted."""
    elapsed = wait_for(window.session.group_ready, lambda: window.compare_paths(paths), lambda _pairs: True)
    start = time.perf_counter()
    window.compare.grid.canvas.viewport().repaint()
    return elapsed + (time.perf_counter() - start) * 1000


def zoom_frame_ms(grid, steps: int = 40) -> list[float]:
    times = []
    first = grid.plots[0]["mel"].getViewBox()
    for k in range(steps):
        start = time.perf_counter()
        first.scaleBy(x=0.9 if k < steps // 2 else 1 / 0.9)
        grid.canvas.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main(repeats: int = 5) -> None:
    window, clips = bench_window(1800, 1050)
    switch_ms(window, clips[0])
    _idle(2500)  # start-up idle time: the grid prepares its columns
    groups = [clips[6 * r:6 * r + 6] for r in range(repeats)]
    uncached = [open_grid_ms(window, g) for g in groups]
    cached = [open_grid_ms(window, g) for g in groups]
    window.tabs.setCurrentIndex(0)  # the panes must be visible to be drawn
    single = [switch_ms(window, p) for p in clips[6 * repeats:6 * repeats + 1] + clips[1:repeats]]
    window.tabs.setCurrentWidget(window.compare)
    frames = zoom_frame_ms(window.compare.grid)
    print(f"6-clip grid of 3.0 s clips, window 1800x1050, {os.environ['QT_QPA_PLATFORM']}, {repeats} groups")
    print(f"  open grid, features computed : median {statistics.median(uncached):6.1f} ms   "
          f"max {max(uncached):6.1f} ms")
    print(f"  open grid, features cached   : median {statistics.median(cached):6.1f} ms   max {max(cached):6.1f} ms")
    print(f"  baseline: one clip in the panes (request -> drawn): median {statistics.median(single):6.1f} ms")
    print(f"  grid / one clip = {statistics.median(uncached) / statistics.median(single):.1f}x for 6x the clips")
    print(f"  zoom frame time (scale + repaint of 18 plots): median {statistics.median(frames):5.1f} ms   "
          f"p95 {statistics.quantiles(frames, n=20)[18]:5.1f} ms")
    window.close()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
