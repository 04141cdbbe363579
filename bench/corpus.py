"""Corpus extraction: analyse_clips with 2 workers vs openSMILE eGeMAPSv02 in one process, on the same clips.

The corpus is generated from the demo clips (servis_gui/resources/demo) in a temporary folder: each clip
is demo speech joined end to end from a varying start, cut to 2-4 s, with its own gain and noise, as
16 kHz WAV in one folder per emotion. Figures, all from this run:
- throughput of ``analyse_clips(jobs=2)`` (pool start-up included, no cache) on the first 200 clips,
  in clips/s and x real time, against openSMILE's eGeMAPSv02 functionals on the same 200 clips;
- the analysis of all clips (1,000 by default) into a fresh cache, with the peak memory of this
  process and its worker processes (summed RSS and PSS, sampled from /proc every 50 ms);
- re-reading all clips from that cache.

openSMILE is installed into this venv with pip when missing: it is a benchmark baseline only, never a
dependency (its research licence forbids shipping it).
Usage: python bench/corpus.py [clips]
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as servis_gui.app.main sets it

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "servis_gui" / "resources" / "demo"
SR = 16000
SAME_CLIPS = 200
TARGET_RATIO = 1.5


def make_corpus(root: Path, count: int) -> list[float]:
    """Write ``count`` clips of 2-4 s under ``root/<emotion>/``; return their durations."""
    from servis_gui.core.clip import load_clip

    demo = sorted(DEMO.glob("*.flac"))
    speech = [load_clip(path, SR).samples for path in demo]
    emotions = [path.stem.rsplit("_", 1)[1] for path in demo]
    joined = np.concatenate(speech)
    starts = np.cumsum([0] + [len(s) for s in speech[:-1]])
    rng = np.random.default_rng(11)
    durations = []
    for i in range(count):
        k = i % len(demo)
        n = int(rng.uniform(2.0, 4.0) * SR)
        start = starts[k] + int(rng.integers(0, SR // 4))
        y = np.resize(joined[start:], n) if start + n > len(joined) else joined[start : start + n]
        y = y * 10 ** (rng.uniform(-12.0, 0.0) / 20) + rng.normal(0.0, 10 ** (-65 / 20), n)
        folder = root / emotions[k]
        folder.mkdir(parents=True, exist_ok=True)
        sf.write(folder / f"clip_{i:04d}.wav", np.clip(y, -1, 1), SR, subtype="PCM_16")
        durations.append(n / SR)
    return durations


class MemoryPeak:
    """Samples the summed RSS and PSS of this process and all its descendants from /proc."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.rss = self.pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemoryPeak:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            pids = _tree(os.getpid())
            self.rss = max(self.rss, sum(_kib(pid, "status", "VmRSS:") for pid in pids))
            self.pss = max(self.pss, sum(_kib(pid, "smaps_rollup", "Pss:") for pid in pids))


def _tree(root: int) -> list[int]:
    """``root`` and its descendants."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def _kib(pid: int, file: str, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def opensmile_module():
    """The ``opensmile`` package, installed into this venv first if missing (None if that fails)."""
    if importlib.util.find_spec("opensmile") is None:
        print("openSMILE is the baseline of this bench and is not installed: installing it into this venv "
              "with pip (bench only: its licence forbids shipping it, it is not a SERVIS dependency)...")
        done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "opensmile"])
        if done.returncode != 0:
            print("could not install opensmile: the baseline is skipped")
            return None
    import opensmile

    return opensmile


def time_opensmile(paths: list[Path]) -> float | None:
    """Seconds for eGeMAPSv02 functionals of ``paths``, one process (after one warm-up clip)."""
    opensmile = opensmile_module()
    if opensmile is None:
        return None
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.Functionals)
    smile.process_file(str(paths[0]))
    start = time.perf_counter()
    for path in paths:
        smile.process_file(str(path))
    return time.perf_counter() - start


def main() -> None:
    count = max(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, SAME_CLIPS)
    from servis_gui.core.corpus_cache import CorpusCache
    from servis_gui.core.corpus_run import analyse_clips
    from servis_gui.core.datasets.detect import scan_dataset
    from servis_gui.core.features import set_fft_backend
    from servis_gui.core.params import FeatureParams
    from servis_gui.core.prosody import DEFAULT_PITCH

    set_fft_backend("scipy")  # as the CLI and the app's worker do
    params = FeatureParams()
    with tempfile.TemporaryDirectory(prefix="servis-bench-corpus-") as scratch:
        root = Path(scratch) / "corpus"
        durations = make_corpus(root, count)
        records = scan_dataset(root).records
        by_name = dict(zip((f"clip_{i:04d}.wav" for i in range(count)), durations))
        first = sorted(records, key=lambda r: r.path.name)[:SAME_CLIPS]
        first_audio = sum(by_name[r.path.name] for r in first)
        print(f"corpus: {count} clips, {sum(durations):.0f} s of 16 kHz speech (2-4 s each); "
              f"first {SAME_CLIPS} clips: {first_audio:.0f} s")

        start = time.perf_counter()
        ours = analyse_clips(first, params, DEFAULT_PITCH, jobs=2)
        ours_s = time.perf_counter() - start
        assert not ours.failures and len(ours.records) == SAME_CLIPS, ours.failures[:3]
        print(f"SERVIS analyse_clips, 2 workers, {len(ours.names)} features: {ours_s:.2f} s = "
              f"{SAME_CLIPS / ours_s:.1f} clips/s, {first_audio / ours_s:.0f}x real time (pool start-up included)")

        with CorpusCache(Path(scratch) / "cache") as cache:
            with MemoryPeak() as peak:
                start = time.perf_counter()
                full = analyse_clips(records, params, DEFAULT_PITCH, jobs=2, cache=cache)
                full_s = time.perf_counter() - start
            print(f"all {count} clips into a fresh cache: {full_s:.1f} s = {count / full_s:.1f} clips/s; peak memory "
                  f"of this process and its workers: RSS summed {peak.rss / 1024:.0f} MiB, PSS {peak.pss / 1024:.0f} "
                  f"MiB (target <= 400 MB)")
            start = time.perf_counter()
            again = analyse_clips(records, params, DEFAULT_PITCH, jobs=2, cache=cache)
            again_s = time.perf_counter() - start
            assert again.cached == count and again.computed == 0
            assert again.values.tobytes() == full.values.tobytes()
            print(f"re-analysis of {count} clips from the cache: {again_s:.3f} s (target <= 1 s)")

        smile_s = time_opensmile([r.path for r in first])  # last: its imports (pandas...) would count as ours
        if smile_s is not None:
            print(f"baseline openSMILE eGeMAPSv02 functionals, 1 process: {smile_s:.2f} s = "
                  f"{SAME_CLIPS / smile_s:.1f} clips/s, {first_audio / smile_s:.0f}x real time")
            ratio = smile_s / ours_s
            verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
            print(f"throughput ratio SERVIS / openSMILE: {ratio:.2f}x ({verdict} the {TARGET_RATIO}x target)")


if __name__ == "__main__":
    main()
