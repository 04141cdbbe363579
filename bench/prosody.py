"""Pitch + intensity of a 3 s clip: our compute_prosody vs bare parselmouth (the baseline) vs librosa.pyin.

The clip is the demo corpus' files joined until 3 s (16 kHz). All three run in this process, after
one warm-up call each; the figure is the median of several repeats. Same settings for ours and the
baseline: Praat "To Pitch (ac)" 60-600 Hz and "To Intensity" (minimum pitch 60 Hz), 10 ms frames;
pyin gets 60-600 Hz with a 10 ms hop (pyin has no intensity: the time is its pitch alone).
Usage: python bench/prosody.py [repeats]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as servis_gui.app.main sets it

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import timed  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "servis_gui" / "resources" / "demo"
SR = 16000
HOP = 160
SECONDS = 3.0


def three_seconds():
    from servis_gui.core.clip import Clip, FileIdentity, load_clip

    parts, total = [], 0
    for path in sorted(DEMO.glob("*.flac")):
        samples = load_clip(path, SR).samples
        parts.append(samples)
        total += len(samples)
        if total >= SECONDS * SR:
            break
    y = np.ascontiguousarray(np.concatenate(parts)[: int(SECONDS * SR)], dtype=np.float32)
    return Clip(y, SR, FileIdentity("bench-3s", 0, 0), SR, 1)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    import parselmouth

    from servis_gui.core.prosody import PitchParams, compute_prosody

    clip = three_seconds()
    params = PitchParams().aligned_to(HOP, SR)

    def ours() -> None:
        compute_prosody(clip, params)

    def bare() -> None:
        sound = parselmouth.Sound(clip.samples.astype(np.float64), sampling_frequency=SR)
        sound.to_pitch_ac(time_step=params.time_step, pitch_floor=params.floor_hz, pitch_ceiling=params.ceiling_hz)
        sound.to_intensity(minimum_pitch=params.floor_hz, time_step=params.time_step)

    def pyin() -> None:
        import librosa

        librosa.pyin(clip.samples, fmin=params.floor_hz, fmax=params.ceiling_hz, sr=SR, hop_length=HOP)

    results = {
        "ours: compute_prosody": timed(ours, repeats),
        "baseline: bare parselmouth": timed(bare, repeats),
        "librosa.pyin (pitch only)": timed(pyin, max(3, repeats // 5)),
    }
    print(f"clip: {clip.duration:.2f} s at {SR} Hz, Praat ac 60-600 Hz, {params.time_step * 1000:g} ms frames; "
          f"median of {repeats} runs")
    for name, seconds in results.items():
        print(f"  {name:30s} {seconds * 1000:8.1f} ms  {clip.duration / seconds:7.0f}x real time")
    ours_s, bare_s = results["ours: compute_prosody"], results["baseline: bare parselmouth"]
    print(f"our overhead over bare Praat: {100 * (ours_s - bare_s) / bare_s:+.1f} %")


if __name__ == "__main__":
    main()
