"""Per-emotion statistics on 10,000 clips x 8 emotions: our compare_emotions and check_observations
against scipy's own mannwhitneyu loop over the same pairs (the baseline), in the same run.

The corpus is synthetic: 1,250 clips per canonical emotion, values rounded to 0.1 (ties, as
features in dB have), angry and fearful shifted up; 20 speakers. Cliff's delta of one pair of
5,000 x 5,000 values is also timed against the all-pairs definition it must equal.
Every figure is the median of several repeats after one warm-up call.
Usage: python bench/stats.py [repeats]
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as servis_gui.app.main sets it

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import timed  # noqa: E402

N_CLIPS = 10_000


def synthetic_corpus() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from servis_gui.core.emotions import CANONICAL

    rng = np.random.default_rng(0)
    emotions = np.repeat(CANONICAL, N_CLIPS // len(CANONICAL))
    speakers = rng.permutation(np.repeat([f"s{i:02d}" for i in range(20)], emotions.size // 20))
    loud = np.isin(emotions, ["angry", "fearful"])
    values = np.round(-20.0 + 2.0 * loud + rng.normal(0.0, 3.0, emotions.size), 1)
    return values, emotions, speakers


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    from itertools import combinations

    from scipy import stats as sps

    from servis_gui.core.observations import check_observations
    from servis_gui.core.stats import cliffs_delta, compare_emotions, speaker_normalised

    values, emotions, speakers = synthetic_corpus()
    groups = [values[emotions == e] for e in dict.fromkeys(emotions)]
    columns = {"peak_dbfs": values, "f0_semitone_p50": values + 50.0, "intensity_db_mean": values + 80.0}
    a, b = values[:5000], values[5000:]

    def scipy_loop() -> None:
        for x, y in combinations(groups, 2):
            sps.mannwhitneyu(x, y, alternative="two-sided")

    results = {
        "baseline: scipy mannwhitneyu x 28 pairs": timed(scipy_loop, repeats),
        "ours: compare_emotions (KW + 28 pairs)": timed(lambda: compare_emotions(values, emotions), repeats),
        "ours: speaker_normalised": timed(lambda: speaker_normalised(values, speakers), repeats),
        "ours: check_observations (3 claims)": timed(lambda: check_observations(columns, emotions), repeats),
        "ours: check_observations, normalised": timed(
            lambda: check_observations(columns, emotions, speakers, normalise=True), repeats),
        "ours: cliffs_delta, 5,000 x 5,000": timed(lambda: cliffs_delta(a, b), repeats),
        "all-pairs delta, 5,000 x 5,000": timed(lambda: np.sign(np.subtract.outer(a, b)).mean(), max(1, repeats // 3)),
    }
    print(f"{N_CLIPS} clips x 8 emotions, 20 speakers; median of {repeats} runs")
    for name, seconds in results.items():
        print(f"  {name:42s} {seconds * 1000:8.2f} ms")
    base, ours = results["baseline: scipy mannwhitneyu x 28 pairs"], results["ours: compare_emotions (KW + 28 pairs)"]
    print(f"compare_emotions over the bare scipy loop: {ours / base:.2f}x its time "
          f"({(ours - base) * 1000 / 28:+.2f} ms per pair for Cliff's delta, Holm, Kruskal-Wallis, medians)")


if __name__ == "__main__":
    main()
