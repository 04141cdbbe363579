"""Cost of the per-clip feature vector (servis_gui.core.functionals) on a 3 s clip at 16 kHz, by group.

The clip is bench/prosody.py's: the demo corpus' files joined until 3 s. Each stage runs in this
process after a warm-up, on the objects the stage before made (as ``clip_functionals`` chains them);
the figure is the median of several repeats (the minimum too: other work on the machine inflates
the median). Loading is not counted. scipy's FFT is used, as the app's workers do after start-up.
Usage: python bench/functionals.py [repeats]
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as servis_gui.app.main sets it

import numpy as np  # noqa: E402
from prosody import SECONDS, three_seconds  # noqa: E402  (bench/prosody.py)


def timings(fn, repeats: int) -> tuple[float, float]:
    """Median and minimum wall time (s) of ``fn()`` after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), float(np.min(times))


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    from servis_gui.core import functionals as fn
    from servis_gui.core.features import set_fft_backend
    from servis_gui.core.params import FeatureParams
    from servis_gui.core.prosody import DEFAULT_PITCH, praat_pitch, praat_sound

    set_fft_backend("scipy")
    clip = three_seconds()
    params = FeatureParams()
    pitch = DEFAULT_PITCH.with_changes(time_step=fn.FRAME_STEP)
    sound = praat_sound(clip, pitch)
    track = praat_pitch(sound, pitch)
    times, f0_hz, intensity_db = fn._contours(sound, track, pitch)
    voiced = np.isfinite(f0_hz)

    def prosody() -> None:
        s = praat_sound(clip, pitch)
        t = praat_pitch(s, pitch)
        _, f0, intensity = fn._contours(s, t, pitch)
        fn._prosody(f0, intensity, np.isfinite(f0), SECONDS)

    stages = [
        ("prosody (Praat pitch + intensity, statistics)", prosody),
        ("voice quality (PointProcess, jitter, shimmer; HNR from the pitch)",
         lambda: fn._voice_quality(sound, track, True)),
        ("spectral + cepstral + mel bands (one STFT)", lambda: fn._stft_functionals(clip, params, times, voiced)),
        ("level", lambda: fn._level(clip)),
        ("clip_functionals, all", lambda: fn.clip_functionals(clip, params, DEFAULT_PITCH)),
    ]
    print(f"3 s clip at 16 kHz, {len(fn.feature_specs(params.n_mels))} features, median (min) of {repeats}")
    for name, stage in stages:
        median, best = timings(stage, repeats)
        print(f"{name:55s} {1e3 * median:6.1f} ms ({1e3 * best:5.1f})")
    print(f"x real time, one process: {SECONDS / median:.0f} (best {SECONDS / best:.0f})")


if __name__ == "__main__":
    main()
