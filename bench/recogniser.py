"""Leave-one-speaker-out evaluation: our ``recogniser.evaluate`` against scikit-learn's ``cross_val_score``
with ``LeaveOneGroupOut`` on the same data and the same pipeline (median imputer, scaler, balanced
linear classifier), in the same run.

Tables: 1,000 clips x 188 features (10 speakers x 8 emotions; the task's size) and 1,440 clips x 90
features (24 speakers x 8 emotions; the issue's speed target, <= 10 s). Synthetic: Gaussian features, the
first 8 shifted by the emotion, a speaker offset on every feature, 1 % NaN.
Every figure is the median of several repeats after one warm-up call.
Usage: python bench/recogniser.py [repeats]
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as servis_gui.app.main sets it

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import timed  # noqa: E402

EMOTIONS = 8


def synthetic_table(clips: int, features: int, speakers: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    labels = np.array([f"e{i}" for i in range(EMOTIONS)])[np.arange(clips) % EMOTIONS]
    spk = np.arange(clips) * speakers // clips
    x = rng.normal(size=(clips, features)) + rng.normal(scale=0.5, size=(speakers, features))[spk]
    x[:, :EMOTIONS] += 0.8 * (labels[:, None] == np.array([f"e{i}" for i in range(EMOTIONS)]))
    x[rng.random(x.shape) < 0.01] = np.nan
    return x, labels, np.array([f"s{i:02d}" for i in spk])


def baseline(x: np.ndarray, labels: np.ndarray, speakers: np.ndarray, classifier: str) -> float:
    """scikit-learn's own leave-one-group-out: the mean of the per-fold balanced accuracies."""
    from sklearn.impute import SimpleImputer
    from sklearn.model_selection import LeaveOneGroupOut, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from servis_gui.core.recogniser import make_classifier

    pipeline = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), make_classifier(classifier))
    scores = cross_val_score(pipeline, x, labels, groups=speakers, cv=LeaveOneGroupOut(),
                             scoring="balanced_accuracy")
    return float(scores.mean())


def row(x: np.ndarray, labels: np.ndarray, speakers: np.ndarray, classifier: str, repeats: int) -> str:
    """One line of the table: our time and UAR, scikit-learn's time and score."""
    from servis_gui.core.recogniser import evaluate

    ours = timed(lambda: evaluate(x, labels, speakers, classifier), repeats)
    theirs = timed(lambda: baseline(x, labels, speakers, classifier), repeats)
    result = evaluate(x, labels, speakers, classifier)
    ci = f"{result.uar:.3f} [{result.ci[0]:.3f}, {result.ci[1]:.3f}]"
    table = f"{x.shape[0]} x {x.shape[1]}"
    return (f"{table:>16} {classifier:>10} {ours:8.2f} {ci:>22} {theirs:10.2f} "
            f"{baseline(x, labels, speakers, classifier):20.3f}")


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"{'table':>16} {'classifier':>10} {'ours s':>8} {'UAR [95% CI]':>22} {'sklearn s':>10} "
          f"{'mean fold bal. acc.':>20}")
    for clips, features, speakers in ((1000, 188, 10), (1440, 90, 24)):
        x, labels, spk = synthetic_table(clips, features, speakers)
        for classifier in ("logreg", "svm"):
            print(row(x, labels, spk, classifier, repeats))


if __name__ == "__main__":
    main()
