"""The recogniser and the emotion map on a generated RAVDESS tree whose emotions differ in f0 and
loudness by construction (``test_corpus_claims.write_ravdess``: real WAV files, the real reader, the
real analysis): speaker-independent UAR far above chance, and an LDA map on which the emotions
form separate clusters, as they were built to.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import silhouette_score

from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.projection import project
from servis_gui.core.recogniser import evaluate, select, speaker_normalise
from tests.core.test_corpus_claims import AS_CLAIMED, analyse, write_ravdess


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> CorpusResult:
    root = tmp_path_factory.mktemp("ravdess_recognise")
    return analyse(root, write_ravdess(root, AS_CLAIMED, seed=3))


def labels_and_speakers(result: CorpusResult) -> tuple[np.ndarray, np.ndarray]:
    return (np.array([r.emotion for r in result.records]), np.array([r.speaker for r in result.records]))


@pytest.mark.parametrize("feature_set", ["prosody", "all"])
def test_leave_one_speaker_out_scores_far_above_chance(corpus, feature_set):
    """Pooled over men and women an octave apart, and angry/fearful built close: far from perfect,
    but its confidence interval lies above twice the chance level."""
    labels, speakers = labels_and_speakers(corpus)
    _, x = select(corpus.names, corpus.values, feature_set)
    evaluation = evaluate(x, labels, speakers)
    assert evaluation.chance == pytest.approx(1 / len(AS_CLAIMED))
    assert evaluation.uar > 2.5 * evaluation.chance and evaluation.ci[0] > 2 * evaluation.chance, \
        (evaluation.uar, evaluation.ci)


def test_speaker_normalised_prosody_recognises_nearly_every_clip(corpus):
    """z-scored per speaker, the octave between the voices is gone and f0/loudness decide."""
    labels, speakers = labels_and_speakers(corpus)
    _, x = select(corpus.names, corpus.values, "prosody")
    pooled, normalised = evaluate(x, labels, speakers), evaluate(speaker_normalise(x, speakers), labels, speakers)
    assert normalised.uar >= 0.8 and normalised.uar > pooled.uar + 0.2, (normalised.uar, pooled.uar)
    assert min(normalised.recall) > 0.5, dict(zip(normalised.classes, normalised.recall, strict=True))


def test_the_lda_map_separates_the_constructed_emotions(corpus):
    labels, _ = labels_and_speakers(corpus)
    _, x = select(corpus.names, corpus.values, "all")
    coords = project(x, labels, "lda").coords
    separated = silhouette_score(coords, labels)
    shuffled = silhouette_score(coords, np.random.default_rng(0).permutation(labels))
    assert separated > 0.3 and shuffled < 0.05, (separated, shuffled)
    emotions = sorted(AS_CLAIMED)
    centroids = np.array([coords[labels == e].mean(axis=0) for e in emotions])
    spread = np.mean([coords[labels == e].std(axis=0).mean() for e in emotions])
    gaps = np.linalg.norm(centroids[:, None] - centroids[None], axis=-1)[np.triu_indices(len(emotions), 1)]
    assert gaps.min() > 2 * spread, (gaps.min(), spread)


def test_the_lda_map_separates_better_than_pca(corpus):
    labels, _ = labels_and_speakers(corpus)
    _, x = select(corpus.names, corpus.values, "all")
    lda, pca = (silhouette_score(project(x, labels, method).coords, labels) for method in ("lda", "pca"))
    assert lda > pca, (lda, pca)
