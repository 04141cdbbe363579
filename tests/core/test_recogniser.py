"""The recogniser's core: feature sets, projection, speaker-independent evaluation, the model file."""

import json

import numpy as np
import pytest

from servis_gui.core.errors import ServisError
from servis_gui.core.functionals import feature_specs
from servis_gui.core.model_file import ModelFileError, load_model, save_model
from servis_gui.core.projection import project
from servis_gui.core.recogniser import evaluate, pool_mel, select, speaker_normalise, train

EMOTIONS = ("neutral", "happy", "sad", "angry")
NAMES = tuple(spec.name for spec in feature_specs(128))


def _corpus(separation: float, speakers: int = 8, per_cell: int = 6, features: int = 12, seed: int = 0):
    """Clips of every emotion by every speaker; the first features shift with the emotion by ``separation``."""
    rng = np.random.default_rng(seed)
    labels = np.tile(np.repeat(EMOTIONS, per_cell), speakers)
    spk = np.repeat([f"s{i}" for i in range(speakers)], per_cell * len(EMOTIONS))
    x = rng.normal(size=(labels.size, features))
    for k, emotion in enumerate(EMOTIONS):
        x[labels == emotion, k] += separation
    return x, labels, spk


def _speaker_is_the_label(seed: int = 0):
    """Each speaker speaks one emotion only; features carry a speaker-specific offset and nothing of the emotion."""
    rng = np.random.default_rng(seed)
    speakers = 16
    per_speaker = 20
    emotion_of = np.array(EMOTIONS)[np.arange(speakers) % len(EMOTIONS)]
    offsets = rng.normal(scale=3.0, size=(speakers, 10))
    spk = np.repeat(np.arange(speakers), per_speaker)
    x = offsets[spk] + rng.normal(scale=0.3, size=(spk.size, 10))
    return x, emotion_of[spk], np.array([f"s{i}" for i in spk])


def test_separable_classes_are_recognised():
    x, y, spk = _corpus(separation=6.0)
    for classifier in ("logreg", "svm"):
        result = evaluate(x, y, spk, classifier)
        assert result.uar > 0.97, classifier
        assert result.chance == 0.25
        assert result.classes == EMOTIONS
        assert result.confusion.sum() == y.size and result.folds == 8


def test_shuffled_labels_score_chance():
    x, y, spk = _corpus(separation=6.0)
    shuffled = np.random.default_rng(3).permutation(y)
    result = evaluate(x, shuffled, spk)
    assert abs(result.uar - 0.25) < 0.1
    assert result.ci[0] <= 0.25 <= result.ci[1]
    assert result.ci_unit == "speakers"


def test_speaker_identity_is_not_rewarded():
    from sklearn.model_selection import StratifiedKFold

    x, y, spk = _speaker_is_the_label()
    assert evaluate(x, y, spk).uar < 0.5
    random_folds = np.empty(y.size, dtype=int)
    for fold, (_, test) in enumerate(StratifiedKFold(5, shuffle=True, random_state=0).split(x, y)):
        random_folds[test] = fold
    assert evaluate(x, y, spk, folds=random_folds).uar > 0.95


def test_folds_match_scikit_learns_leave_one_group_out():
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import LeaveOneGroupOut, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x, y, spk = _corpus(separation=1.0)
    x[::7, 2] = np.nan
    pipeline = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                             LogisticRegression(class_weight="balanced", max_iter=2000))
    expected = cross_val_predict(pipeline, x, y, groups=spk, cv=LeaveOneGroupOut())
    assert (evaluate(x, y, spk).predictions == expected).mean() > 0.99


def test_per_class_recall_and_confusion_by_hand():
    from servis_gui.core.recogniser import score

    labels = np.array(["sad", "sad", "neutral", "neutral", "neutral", "angry"])
    predictions = np.array(["sad", "neutral", "neutral", "neutral", "angry", "angry"])
    result = score(labels, predictions, np.array(list("abcdef")))
    assert result.classes == ("neutral", "sad", "angry")
    np.testing.assert_allclose(result.recall, [2 / 3, 1 / 2, 1])
    assert result.uar == pytest.approx((2 / 3 + 1 / 2 + 1) / 3)
    np.testing.assert_array_equal(result.confusion, [[2, 0, 1], [1, 1, 0], [0, 0, 1]])


def test_cancel_and_progress():
    x, y, spk = _corpus(separation=1.0)
    seen = []
    assert evaluate(x, y, spk, progress=lambda done, total: seen.append((done, total)),
                    cancelled=lambda: len(seen) >= 2) is None
    assert seen == [(1, 8), (2, 8)]


def test_lda_separates_the_emotions_and_places_training_points_on_themselves():
    x, y, spk = _corpus(separation=2.0, features=30)
    for method in ("pca", "lda"):
        mapped = project(x, y, method)
        np.testing.assert_allclose(mapped.place(x), mapped.coords, atol=1e-9)
        np.testing.assert_allclose(mapped.place(x[5]), mapped.coords[5], atol=1e-9)
    three = y != "angry"  # 3 emotions: all their between-class differences fit in 2 axes
    lda = project(x[three], y[three], "lda")
    centroids = np.array([lda.coords[y[three] == e].mean(axis=0) for e in EMOTIONS[:3]])
    spread = np.mean([lda.coords[y[three] == e].std(axis=0).mean() for e in EMOTIONS[:3]])
    gaps = np.linalg.norm(centroids[:, None] - centroids[None], axis=-1)[np.triu_indices(3, 1)]
    assert gaps.min() > 2 * spread


def test_lda_separates_better_than_pca():
    from sklearn.metrics import silhouette_score

    x, y, _ = _corpus(separation=2.0, features=30)
    lda, pca = (silhouette_score(project(x, y, method).coords, y) for method in ("lda", "pca"))
    assert lda > 0.15 and lda > pca + 0.1


def test_lda_coordinates_equal_scikit_learns_transform():
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.preprocessing import StandardScaler

    x, y, _ = _corpus(separation=2.0)
    z = StandardScaler().fit_transform(x)
    np.testing.assert_allclose(project(x, y, "lda").coords,
                               LinearDiscriminantAnalysis(n_components=2).fit(z, y).transform(z), atol=1e-8)


def test_model_round_trip_gives_identical_probabilities(tmp_path):
    x, y, _ = _corpus(separation=1.0)
    x[3, 4] = np.nan
    names = [f"f{i}" for i in range(x.shape[1])]
    for classifier in ("logreg", "svm"):
        model = train(x, y, names, "all", classifier, description="demo corpus", uar=0.5)
        save_model(model, tmp_path / "m.json")
        loaded = load_model(tmp_path / "m.json")
        np.testing.assert_array_equal(loaded.predict_proba(x), model.predict_proba(x))
        assert loaded.description == "demo corpus" and loaded.uar == 0.5
        np.testing.assert_allclose(model.predict_proba(x).sum(axis=1), 1.0)


def test_logreg_model_probabilities_are_scikit_learns():
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x, y, _ = _corpus(separation=1.0)
    model = train(x, y, [f"f{i}" for i in range(x.shape[1])], "all")
    z = StandardScaler().fit_transform(x)
    reference = LogisticRegression(class_weight="balanced", max_iter=2000).fit(z, y)
    np.testing.assert_allclose(model.predict_proba(x), reference.predict_proba(z), atol=1e-6)


def test_two_class_model_probabilities_are_scikit_learns():
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x, y, _ = _corpus(separation=1.0)
    two = np.isin(y, ["sad", "angry"])
    model = train(x[two], y[two], [f"f{i}" for i in range(x.shape[1])], "all")
    z = StandardScaler().fit_transform(x[two])
    reference = LogisticRegression(class_weight="balanced", max_iter=2000).fit(z, y[two])
    np.testing.assert_allclose(model.predict_proba(x[two]), reference.predict_proba(z), atol=1e-6)


@pytest.mark.parametrize("tamper", [
    lambda d: d.update(version=2),
    lambda d: d.update(format="something else"),
    lambda d: d.update(coef=d["coef"][:-1]),
    lambda d: d.update(scale=["a"] * len(d["scale"])),
    lambda d: d.pop("classes"),
])
def test_tampered_model_file_gives_a_plain_error(tmp_path, tamper):
    x, y, _ = _corpus(separation=1.0)
    path = tmp_path / "m.json"
    save_model(train(x, y, [f"f{i}" for i in range(x.shape[1])], "all"), path)
    document = json.loads(path.read_text())
    tamper(document)
    path.write_text(json.dumps(document))
    with pytest.raises(ModelFileError):
        load_model(path)


def test_unreadable_model_file_gives_a_plain_error(tmp_path):
    path = tmp_path / "m.json"
    path.write_bytes(b"\x80\x00not json")
    with pytest.raises(ServisError, match="cannot be read"):
        load_model(path)


def test_model_of_other_features_says_so():
    x, y, _ = _corpus(separation=1.0)
    names = tuple(f"f{i}" for i in range(x.shape[1]))
    model = train(x, y, names, "prosody")
    model.check_features(names)
    with pytest.raises(ModelFileError, match="trained on other features"):
        model.check_features(names[:-1] + ("other",))


@pytest.mark.parametrize("set_name, expected", [
    ("prosody", 22), ("voice quality", 3), ("spectral", 6), ("mfcc", 26), ("mel", 128), ("mel 40", 40),
    ("mel 16", 16), ("all", 188),
])
def test_feature_sets_take_exactly_their_columns(set_name, expected):
    values = np.arange(2 * len(NAMES), dtype=float).reshape(2, -1)
    names, x = select(NAMES, values, set_name)
    assert len(names) == x.shape[1] == expected
    groups = {spec.name: spec.group for spec in feature_specs(128)}
    wanted = {"prosody": "prosody", "voice quality": "voice quality", "spectral": "spectral", "mfcc": "cepstral",
              "mel": "mel bands"}
    if set_name in wanted:
        assert names == tuple(n for n in NAMES if groups[n] == wanted[set_name])
        np.testing.assert_array_equal(x, values[:, [NAMES.index(n) for n in names]])
    if set_name == "all":
        np.testing.assert_array_equal(x, values)


def test_mel_pooling_known_answer():
    names = [f"mel{k:03d}_mean" for k in range(1, 129)]
    db = np.zeros(128)
    db[:8] = [0, 0, 0, 0, 0, 0, 0, 10 * np.log10(9)]  # power 1 x 7 and 9: mean power 2
    names16, pooled16 = pool_mel(names, db, 16)
    assert names16[0] == "mel01of16_mean" and len(names16) == 16
    np.testing.assert_allclose(pooled16, [10 * np.log10(2)] + [0.0] * 15, atol=1e-12)
    # 128 into 40: floor(j * 128 / 40) gives groups of 3 or 4; the first band is 1-3, the second 4-6
    db = np.full(128, -300.0)  # 1e-30 in power: nothing next to 1
    db[0], db[3] = 0.0, 0.0
    db[-1] = 10 * np.log10(4)
    names40, pooled40 = select(names, db[None], "mel 40")
    edges = (np.arange(41) * 128) // 40
    assert (np.diff(edges) >= 3).all() and (np.diff(edges) <= 4).all() and edges[1] == 3
    np.testing.assert_allclose(pooled40[0, :2], 10 * np.log10([1 / 3, 1 / 3]))
    np.testing.assert_allclose(pooled40[0, -1], 10 * np.log10(4 / (128 - edges[-2])))


def test_mel_pooling_follows_band_numbers_not_column_order():
    names = [f"mel{k:03d}_mean" for k in range(16, 0, -1)]
    _, pooled = pool_mel(names, np.arange(16.0)[::-1], 4)
    np.testing.assert_allclose(pooled, [10 * np.log10(np.mean(10 ** (np.arange(a, a + 4) / 10))) for a in
                                        (0, 4, 8, 12)])


def test_too_few_mel_bands_to_pool_is_a_plain_error():
    with pytest.raises(ServisError, match="cannot be pooled"):
        select([f"mel{k:03d}_mean" for k in range(1, 33)], np.zeros(32), "mel 40")


def test_speaker_normalise_removes_speaker_offsets():
    x, y, spk = _speaker_is_the_label()
    z = speaker_normalise(x, spk)
    for s in np.unique(spk):
        np.testing.assert_allclose(z[spk == s].mean(axis=0), 0.0, atol=1e-9)


def test_corpus_folds_need_every_clip_in_one_and_no_speaker_in_two():
    from pathlib import Path

    from servis_gui.core.datasets.records import ClipRecord
    from servis_gui.core.recogniser import corpus_folds

    def records(pairs, key="session"):
        return [ClipRecord(Path(f"/c/{i}.wav"), "T", "sad", speaker=s, extra=((key, f),) if f else ())
                for i, (s, f) in enumerate(pairs)]

    assert corpus_folds(records([("a", "1"), ("b", "1"), ("c", "2")])) == (("1", "1", "2"),
                                                                           "the corpus's folds (session)")
    assert corpus_folds(records([("a", "1"), ("b", "2")], key="split"))[1] == "the corpus's folds (split)"
    assert corpus_folds(records([("a", "1"), ("a", "2"), ("b", "2")])) == (
        None, "this corpus's folds (session) share speakers")
    assert corpus_folds(records([("a", "1"), ("b", "")]))[0] is None  # a clip in no fold
    assert corpus_folds(records([("a", "1"), ("b", "1")])) == (None, "this corpus has no folds of its own")


def test_a_model_says_which_folds_its_uar_is_from_and_older_files_mean_loso(tmp_path):
    x, y, _ = _corpus(separation=1.0)
    names = [f"f{i}" for i in range(x.shape[1])]
    model = train(x, y, names, "all", uar=0.7, evaluated_on="the corpus's folds (session)")
    save_model(model, tmp_path / "m.json")
    assert load_model(tmp_path / "m.json").evaluated_on == "the corpus's folds (session)"
    document = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    del document["evaluated_on"]
    (tmp_path / "old.json").write_text(json.dumps(document), encoding="utf-8")
    assert load_model(tmp_path / "old.json").evaluated_on == "leave-one-speaker-out"
