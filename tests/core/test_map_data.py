"""The map's numbers without a display: a projection of the corpus, takes placed on it (z-scored on the
takes of their own speaker when asked), and the nearest clips of a point."""

from pathlib import Path

import numpy as np

from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.map_data import TAKES_SPEAKER, compute_map, nearest
from servis_gui.core.projection import project
from servis_gui.core.recogniser import speaker_normalise

NAMES = ("f0_semitone_p50", "intensity_db_mean", "mfcc1_mean", "mfcc2_mean")


def result(emotions, speakers, values) -> CorpusResult:
    records = tuple(ClipRecord(Path(f"/c/{k}.wav"), "Test", e, speaker=s)
                    for k, (e, s) in enumerate(zip(emotions, speakers, strict=True)))
    return CorpusResult(NAMES, records, np.asarray(values, dtype=float), (), 0, len(records), False)


def corpus(seed=0) -> CorpusResult:
    rng = np.random.default_rng(seed)
    emotions = np.repeat(["angry", "sad", "happy"], 12)
    speakers = np.tile(["a", "b", "c", "d"], 9)
    values = rng.normal(size=(36, 4)) + 4.0 * (emotions[:, None] == "angry") - 4.0 * (emotions[:, None] == "sad")
    return result(emotions, speakers, values)


def test_takes_land_where_the_projection_places_them():
    c = corpus()
    takes = result(["angry", "sad"], ["", ""], c.values[[0, 12]])
    data = compute_map(c, takes, "lda", "all", normalise=False)
    np.testing.assert_allclose(data.projection.coords, project(c.values, [r.emotion for r in c.records], "lda").coords)
    np.testing.assert_allclose(data.take_coords, data.projection.coords[[0, 12]], atol=1e-9)


def test_normalised_takes_are_z_scored_on_the_takes_of_their_speaker():
    c = corpus()
    takes = result(["angry", "sad", "happy"], ["", "", "me"], c.values[[0, 12, 24]])
    data = compute_map(c, takes, "pca", "all", normalise=True)
    z = speaker_normalise(takes.values, [TAKES_SPEAKER, TAKES_SPEAKER, "me"])
    np.testing.assert_allclose(data.take_coords, data.projection.place(z))
    assert data.normalise and data.method == "pca"


def test_nearest_returns_the_k_closest_rows_nearest_first():
    coords = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 0.0], [0.0, -2.0], [10.0, 10.0]])
    rows, distances = nearest(coords, np.array([0.0, 0.0]), k=3)
    assert rows.tolist() == [0, 2, 3]
    np.testing.assert_allclose(distances, [0.0, 1.0, 2.0])
