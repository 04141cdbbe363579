"""Our feature pipeline vs the seed pipeline (librosa.load + melspectrogram + power_to_db + mfcc).

Both run on the same demo files in the same process, after one warm-up pass (steady state),
one clip at a time and on two threads (as the worker analyses comparison groups); then each
runs as a whole new process, first with an empty numba cache (first launch), then with the
cache that run filled (the issue's "3.1 s warm" case).
Usage: python bench/features.py [passes]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as servis_gui.app.main sets it

import numpy as np  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "servis_gui" / "resources" / "demo"
PARAMS = dict(sr=16000, n_fft=2048, hop_length=512, n_mels=128)


def ours(path: Path) -> np.ndarray:
    from servis_gui.core.clip import load_clip
    from servis_gui.core.features import compute_features
    from servis_gui.core.params import FeatureParams

    clip = load_clip(path, sr=PARAMS["sr"])
    return compute_features(clip, FeatureParams(**PARAMS)).mel_db


def seed(path: Path) -> np.ndarray:
    import librosa

    y, sr = librosa.load(path, sr=PARAMS["sr"])
    kw = dict(n_fft=PARAMS["n_fft"], hop_length=PARAMS["hop_length"], n_mels=PARAMS["n_mels"])
    mel_db = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr, **kw), ref=np.max)
    librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20, **kw)
    return mel_db


def clips_per_second(fn, files: list[Path], passes: int, threads: int = 1) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(passes):
            list(pool.map(fn, files))
    return passes * len(files) / (time.perf_counter() - start)


def process_seconds(name: str, cache_dir: str) -> float:
    """Wall time of a new process that imports and runs ``name`` over all demo files once."""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import features as b; "
            f"[b.{name}(p) for p in sorted(b.DEMO.glob('*.flac'))]")
    env = {"NUMBA_CACHE_DIR": cache_dir, "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def main(passes: int = 3) -> None:
    from servis_gui.core.features import set_fft_backend

    set_fft_backend("scipy")  # the app's steady state: its worker switches after the first clip
    files = sorted(DEMO.glob("*.flac"))
    for fn in (ours, seed):  # warm-up: imports, numba compilation, FFT plans
        fn(files[0])
    worst = max(float(np.abs(ours(p) - seed(p)).max()) for p in files)
    ours_rate = clips_per_second(ours, files, passes)
    seed_rate = clips_per_second(seed, files, passes)
    pool_rate = clips_per_second(ours, files, passes, threads=2)
    seed_pool = clips_per_second(seed, files, passes, threads=2)
    print(f"{len(files)} demo clips x {passes} passes, steady state (same process, after warm-up)")
    print(f"  seed (librosa) : {seed_rate:7.1f} clips/s")
    print(f"  SERVIS (numpy) : {ours_rate:7.1f} clips/s   ratio {ours_rate / seed_rate:.2f}x")
    print(f"  2 threads (the worker's comparison groups): SERVIS {pool_rate:.1f} clips/s, "
          f"seed {seed_pool:.1f} clips/s; SERVIS 2 threads / seed 1 thread = {pool_rate / seed_rate:.2f}x")
    print(f"  largest mel dB difference between the two: {worst:.2e} dB")
    cache = tempfile.mkdtemp(prefix="numba-cache-")
    for label in ("empty numba cache (first launch)", "numba cache filled (every later launch)"):
        seed_s, ours_s = process_seconds("seed", cache), process_seconds("ours", cache)
        print(f"whole process, {label}, all {len(files)} clips once:")
        print(f"  seed (librosa) : {seed_s:6.2f} s")
        print(f"  SERVIS (numpy) : {ours_s:6.2f} s   ratio {seed_s / ours_s:.1f}x faster")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
