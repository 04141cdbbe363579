"""Launch -> window visible, launch -> first clip's panes drawn, and peak memory (VmHWM).

Each run is a fresh process with an EMPTY numba cache, opening a 3.0 s clip. The baseline,
measured in the same run, is a bare PySide6 window (QMainWindow with a label) launched the same way.
Usage: python bench/startup.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_WINDOW = """
import time, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1280, 820); w.show()
app.processEvents()
print(f"servis-timing window_shown 0 {time.time():.3f}", flush=True)
print(f"servis-timing panes_drawn 0 {time.time():.3f}", flush=True)
app.exec()
"""


def _peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def launch(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Start ``cmd``, read its ``servis-timing`` lines, return seconds since launch and peak MiB."""
    t0 = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    marks: dict[str, float] = {}
    try:
        for line in proc.stdout:
            parts = line.split()
            if len(parts) == 4 and parts[0] == "servis-timing":
                marks[parts[1]] = float(parts[3]) - t0
            if "panes_drawn" in marks:
                time.sleep(0.3)  # let the first paint settle before reading memory
                marks["peak_mib"] = _peak_rss_mib(proc.pid)
                break
    finally:
        proc.kill()
        proc.wait()
    return marks


def main(runs: int = 5) -> None:
    env = dict(os.environ)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from clip_switch import three_second_clips
    from offscreen import desktop_platform

    env.setdefault("QT_QPA_PLATFORM", desktop_platform())
    env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="empty-numba-cache-")

    clip = three_second_clips(Path(tempfile.mkdtemp(prefix="servis-bench-")))[0]
    servis = [sys.executable, "-m", "servis_gui", "--timings", clip]
    bare = [sys.executable, "-c", BARE_WINDOW]
    results = {"bare Qt window": [launch(bare, env) for _ in range(runs)],
               "SERVIS": [launch(servis, env) for _ in range(runs)]}
    print(f"platform={env['QT_QPA_PLATFORM']} runs={runs} numba cache: empty ({env['NUMBA_CACHE_DIR']})")
    for name, rows in results.items():
        shown = statistics.median(r["window_shown"] for r in rows)
        drawn = statistics.median(r["panes_drawn"] for r in rows)
        peak = statistics.median(r["peak_mib"] for r in rows)
        all_drawn = ", ".join(f"{r['panes_drawn']:.2f}" for r in rows)
        print(f"{name:15s} window visible {shown:.3f} s   first clip drawn {drawn:.3f} s   "
              f"peak memory {peak:.0f} MiB   (medians; every run drawn at: {all_drawn})")
    base, ours = results["bare Qt window"], results["SERVIS"]
    ratio = statistics.median(r["window_shown"] for r in ours) / statistics.median(r["window_shown"] for r in base)
    print(f"window visible: SERVIS / bare Qt window = {ratio:.2f}x")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
