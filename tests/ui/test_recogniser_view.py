"""The Recogniser tab on a synthetic corpus whose emotions are separable by construction: the numbers
it shows are the core's, a matrix cell lists its clips, models round-trip, the matrix fits the view."""

import dataclasses
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.functionals import feature_specs
from servis_gui.core.model_file import save_model
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams
from servis_gui.core.recogniser import evaluate, train
from servis_gui.recogniser_jobs import COMPARED_SETS, design
from servis_gui.ui.confusion_plot import row_normalised
from servis_gui.ui.recogniser_tables import uar_with_ci
from servis_gui.ui.recogniser_view import RecogniserView

EMOTIONS = ("neutral", "happy", "sad", "angry", "fearful", "surprised")
SPEAKERS = ("spk01", "spk02", "spk03", "spk04", "spk05")
CLIPS_PER_CELL = 6
TIMEOUT_MS = 60000


class FakeSession:
    """What the view asks of the Session: settings for a clip's features, and playing a clip."""

    def __init__(self) -> None:
        self.params, self.pitch_params = FeatureParams(), PitchParams()
        self.played: list[str] = []

    def open_and_play(self, path: str) -> None:
        self.played.append(path)


def synthetic_corpus(n_mels: int = 128, seed: int = 1) -> CorpusResult:
    """Emotions shift every feature by a class mean well beyond the noise; speakers add an offset."""
    rng = np.random.default_rng(seed)
    names = tuple(spec.name for spec in feature_specs(n_mels))
    class_means = rng.normal(0.0, 3.0, (len(EMOTIONS), len(names)))
    speaker_offsets = rng.normal(0.0, 1.0, (len(SPEAKERS), len(names)))
    records, rows = [], []
    for s, speaker in enumerate(SPEAKERS):
        for e, emotion in enumerate(EMOTIONS):
            for k in range(CLIPS_PER_CELL):
                records.append(ClipRecord(Path(f"/corpus/{speaker}_{emotion}_{k}.wav"), "Synthetic", emotion,
                                          speaker=speaker))
                rows.append(class_means[e] + speaker_offsets[s] + rng.normal(0.0, 1.0, len(names)) - 40.0)
    values = np.array(rows)
    values[rng.random(values.shape) < 0.01] = np.nan
    return CorpusResult(names, tuple(records), values, (), 0, len(records), False)


@pytest.fixture
def view(qtbot, settings):
    widget = RecogniserView(FakeSession(), settings)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    qtbot.waitExposed(widget)
    corpus = synthetic_corpus()
    widget.set_result(corpus, None)
    yield widget
    widget.shutdown()


def evaluated(view, qtbot, feature_set="mfcc"):
    view.feature_set.setCurrentIndex(view.feature_set.findData(feature_set))
    with qtbot.waitSignal(view.worker.trained, timeout=TIMEOUT_MS):
        view.evaluate_button.click()
    qtbot.wait(20)
    return view.trained


def test_evaluate_shows_the_cores_uar_ci_recall_and_matrix(view, qtbot):
    trained = evaluated(view, qtbot)
    expected = evaluate(*(lambda d: (d.x, d.labels, d.speakers))(design(view.corpus, "mfcc", "logreg", False)))
    assert expected.uar > 0.9 > 3 * expected.chance
    low, high = expected.ci
    assert view.uar.text() == (f"UAR {expected.uar:.2f} [{low:.2f}, {high:.2f}] · chance {expected.chance:.2f} · "
                               f"leave-one-speaker-out, {len(SPEAKERS)} speakers")
    assert [view.results.recall.item(r, 0).text() for r in range(view.results.recall.rowCount())] == list(EMOTIONS)
    assert [float(view.results.recall.item(r, 2).text()) for r in range(len(EMOTIONS))] == \
        pytest.approx(expected.recall, abs=0.005)
    np.testing.assert_array_equal(view.results.matrix.counts, expected.confusion)
    np.testing.assert_array_equal(trained.evaluation.confusion, expected.confusion)
    assert [int(t.textItem.toPlainText()) for t in view.results.matrix.texts] == list(expected.confusion.ravel())
    np.testing.assert_allclose(view.results.matrix.image.image, row_normalised(expected.confusion))
    assert tuple(view.results.matrix.image.levels) == (0.0, 1.0)


def click_cell(view, qtbot, true: int, predicted: int) -> None:
    matrix = view.results.matrix
    scene = matrix.getPlotItem().getViewBox().mapViewToScene(QPointF(predicted + 0.5, true + 0.5))
    qtbot.mouseClick(matrix.viewport(), Qt.MouseButton.LeftButton, pos=matrix.mapFromScene(scene))
    qtbot.wait(20)


def test_clicking_a_cell_lists_exactly_its_clips_and_they_play_and_compare(view, qtbot):
    trained = evaluated(view, qtbot, "prosody")
    evaluation, paths = trained.evaluation, trained.design.paths
    off_diagonal = zip(*np.nonzero(evaluation.confusion - np.diag(np.diag(evaluation.confusion))))
    for true, predicted in [(1, 1), *off_diagonal][:3]:
        click_cell(view, qtbot, true, predicted)
        hit = (evaluation.labels == EMOTIONS[true]) & (evaluation.predictions == EMOTIONS[predicted])
        expected = sorted(Path(paths[i]).name for i in np.flatnonzero(hit))
        listed = sorted(view.results.clips.item(r, 0).text() for r in range(view.results.clips.rowCount()))
        assert listed == expected and len(listed) == evaluation.confusion[true, predicted]
    click_cell(view, qtbot, 2, 2)
    view.results.clips.cellDoubleClicked.emit(0, 0)
    assert Path(view.session.played[-1]).name == view.results.clips.item(0, 0).text()
    with qtbot.waitSignal(view.compare_requested) as sent:
        view.results.compare_clips.click()
    assert 0 < len(sent.args[0]) <= 12
    assert all(Path(p).name.split("_")[1] == "sad" for p in sent.args[0])


def test_compare_feature_sets_gives_a_row_per_set_with_the_cores_uar(view, qtbot):
    with qtbot.waitSignal(view.worker.comparison_done, timeout=TIMEOUT_MS):
        view.compare_button.click()
    rows = [[view.feature_sets.item(r, c).text() for c in range(3)] for r in range(view.feature_sets.rowCount())]
    assert [r[0] for r in rows] == list(COMPARED_SETS)
    for name, n_features, uar in rows:
        d = design(view.corpus, name, "logreg", False)
        assert int(n_features) == d.x.shape[1]
        assert uar == uar_with_ci(evaluate(d.x, d.labels, d.speakers, "logreg"))
    assert [int(r[1]) for r in rows[:3]] == [128, 40, 16]
    assert view.tabs.currentWidget() is view.feature_sets  # the table asked for is in front
    view.tabs.setCurrentWidget(view.prediction)
    view.compare_button.click()  # cached: filled at once, nothing runs
    assert view.feature_sets.rowCount() == len(COMPARED_SETS) and not view.cancel_button.isEnabled()
    assert view.tabs.currentWidget() is view.feature_sets


def test_save_and_load_round_trip_gives_the_same_probabilities(view, qtbot, tmp_path):
    trained = evaluated(view, qtbot)
    x = trained.design.x[:7]
    before = trained.model.predict_proba(x)
    path = str(tmp_path / "model.json")
    view.save_model_to(path)
    view.model = None
    view.load_model_from(path)
    np.testing.assert_allclose(view.model.predict_proba(x), before, rtol=1e-12)
    clip = dict(zip(view.corpus.names, view.corpus.values[0]))
    view.predict(clip)
    shown = dict(zip(view.prediction.bars.classes, view.prediction.bars.probabilities))
    expected = dict(zip(trained.model.classes, trained.model.predict_proba(trained.design.x[0])))
    assert view.prediction.bars.classes == EMOTIONS  # emotion order, not sklearn's alphabetical one
    assert shown == pytest.approx(expected)
    assert "UAR" in view.prediction.caption.text() and "Synthetic" in view.prediction.caption.text()


def test_loading_a_model_of_other_features_says_so(view, tmp_path):
    names = tuple(spec.name for spec in feature_specs(128) if spec.name.startswith("mfcc"))[:-1]
    rng = np.random.default_rng(0)
    model = train(rng.normal(size=(20, len(names))), ["happy", "sad"] * 10, names, "mfcc")
    path = tmp_path / "other.json"
    save_model(model, path)
    view.load_model_from(str(path))
    assert view.state.text().startswith("This model was trained on other features")
    assert view.model is None


def test_acted_vs_natural_lists_each_take(view, qtbot):
    takes = synthetic_corpus(seed=1)
    keep = [0, 7, 14]
    takes = CorpusResult(takes.names, tuple(takes.records[i] for i in keep), takes.values[keep], (), 0, 3, False)
    view.set_result(view.corpus, takes)
    trained = evaluated(view, qtbot)
    predicted = trained.model.predict(trained.design.x[keep])
    assert [view.agreement.table.item(r, 2).text() for r in range(3)] == list(predicted)
    agree = np.mean(predicted == np.array([takes.records[i].emotion for i in range(3)]))
    note = view.agreement.note.text()
    assert note.startswith(f"Agreement {agree:.2f}") and "rough figure" in note


def test_the_matrix_and_its_labels_are_visible_and_do_not_overlap(view, qtbot):
    evaluated(view, qtbot)
    matrix = view.results.matrix
    shown = matrix.viewport().visibleRegion().boundingRect()
    box = matrix.mapFromScene(matrix.getPlotItem().getViewBox().sceneBoundingRect()).boundingRect()
    assert box.width() > 150 and box.height() > 100
    assert shown.contains(box.adjusted(1, 1, -1, -1))
    assert view.rect().contains(matrix.geometry().translated(matrix.mapTo(view, matrix.rect().topLeft())
                                                              - matrix.pos()))
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    labels = []
    for name in ("left", "bottom"):
        axis = matrix.getAxis(name)
        texts = [(axis.mapRectToScene(QRectF(rect)), t) for rect, _flags, t in axis.generateDrawSpecs(painter)[2]]
        assert len(texts) == len(EMOTIONS)
        labels += texts
    painter.end()
    for rect, label in labels:
        assert shown.contains(matrix.mapFromScene(rect).boundingRect()), label
    for (a, text_a), (b, text_b) in combinations(labels, 2):
        assert not a.adjusted(1, 1, -1, -1).intersects(b), (text_a, text_b)


def test_exports_write_the_matrix_and_the_evaluation(view, qtbot, tmp_path):
    import csv

    trained = evaluated(view, qtbot)
    for suffix in (".png", ".svg"):
        view.export_matrix(str(tmp_path / f"matrix{suffix}"))
        assert (tmp_path / f"matrix{suffix}").stat().st_size > 1000, view.state.text()
    assert "<svg" in (tmp_path / "matrix.svg").read_text()
    view.export_csv(str(tmp_path / "evaluation.csv"))
    with open(tmp_path / "evaluation.csv", newline="") as file:
        rows = list(csv.reader(file))
    evaluation = trained.evaluation
    confusion = [[int(v) for v in r[-len(EMOTIONS):]] for r in rows if r[0] == "confusion"]
    assert confusion == evaluation.confusion.tolist()
    assert [float(r[3]) for r in rows if r[0] == "recall"] == pytest.approx(evaluation.recall, abs=1e-6)
    summary = next(r for r in rows if r[0] == "summary")
    assert float(summary[3]) == pytest.approx(evaluation.uar, abs=1e-6)


def test_the_open_clip_is_predicted_from_its_file(view, qtbot, tone_file):
    evaluated(view, qtbot)
    path = tone_file(seconds=1.0, freq=200.0)
    with qtbot.waitSignal(view.worker.features_ready, timeout=TIMEOUT_MS):
        view.show_prediction_for(path)
    qtbot.wait(20)
    assert view.prediction.bars.classes == EMOTIONS
    assert view.prediction.bars.probabilities.sum() == pytest.approx(1.0)
    assert view.prediction.caption.text().startswith(f"{Path(path).name}: logistic regression trained on Synthetic")


def test_the_microphone_is_predicted_live_and_silence_is_no_guess(view, qtbot):
    trained = evaluated(view, qtbot)
    view.show()
    qtbot.waitExposed(view)
    assert view.tabs.currentWidget() is view.prediction and not view.prediction.visibleRegion().isEmpty()
    clip = dict(zip(view.corpus.names, view.corpus.values[3], strict=True))
    view.predict_live(clip)
    expected = dict(zip(trained.model.classes, trained.model.predict_proba(trained.design.x[3])))
    assert dict(zip(view.prediction.bars.classes, view.prediction.bars.probabilities)) == pytest.approx(expected)
    assert view.prediction.caption.text().startswith("Microphone, last 2 s: logistic regression")
    view.predict_live(None)
    assert view.prediction.bars.bars is None and not view.prediction.bars.probabilities.any()
    assert "silence, no guess" in view.prediction.caption.text()


def with_sessions(corpus: CorpusResult, session_of: dict[str, str]) -> CorpusResult:
    """``corpus`` with each clip's ``session`` (as IEMOCAP's reader gives it) looked up by speaker."""
    records = tuple(dataclasses.replace(r, extra=(("session", session_of[r.speaker]),)) for r in corpus.records)
    return dataclasses.replace(corpus, records=records)


def test_corpus_folds_are_offered_only_when_the_corpus_has_them(view, qtbot):
    corpus_item = view.folds.model().item(view.folds.findData("corpus"))
    assert not corpus_item.isEnabled() and "no folds of its own" in corpus_item.toolTip()
    shared = {"spk01": "1", "spk02": "1", "spk03": "2", "spk04": "2", "spk05": "3"}
    crossing = with_sessions(view.corpus, shared)
    crossing = dataclasses.replace(crossing, records=(dataclasses.replace(
        crossing.records[0], extra=(("session", "2"),)),) + crossing.records[1:])
    view.set_result(crossing)
    assert not corpus_item.isEnabled() and "share speakers" in corpus_item.toolTip()
    view.set_result(with_sessions(synthetic_corpus(), shared))
    assert corpus_item.isEnabled()


def test_evaluation_on_the_corpus_folds_holds_out_each_session(view, qtbot, tmp_path):
    sessions = {"spk01": "1", "spk02": "1", "spk03": "2", "spk04": "2", "spk05": "3"}
    view.set_result(with_sessions(synthetic_corpus(), sessions))
    view.folds.setCurrentIndex(view.folds.findData("corpus"))
    trained = evaluated(view, qtbot)
    d = trained.design
    expected = evaluate(d.x, d.labels, d.speakers, "logreg", [sessions[s] for s in d.speakers])
    assert trained.evaluation.folds == 3 and view.progress.maximum() == 3
    assert trained.evaluation.uar == pytest.approx(expected.uar)
    assert "the corpus's folds (session), 5 speakers" in view.uar.text()
    assert trained.model.evaluated_on == "the corpus's folds (session)"
    assert view.prediction.caption.text().endswith("(the corpus's folds (session))")
    path = str(tmp_path / "model.json")
    view.save_model_to(path)
    view.load_model_from(path)
    assert view.model.evaluated_on == "the corpus's folds (session)"
    view.folds.setCurrentIndex(view.folds.findData("loso"))  # another cache key: evaluated again, on speakers
    assert evaluated(view, qtbot).evaluation.folds == 5


def test_an_unreadable_open_clip_says_why_and_keeps_the_model(view, qtbot, tmp_path):
    trained = evaluated(view, qtbot)
    broken = tmp_path / "broken.wav"
    broken.write_text("not audio, just text named .wav\n")
    with qtbot.waitSignal(view.worker.failed, timeout=TIMEOUT_MS):
        view.show_prediction_for(str(broken))
    caption = view.prediction.caption.text()
    assert "broken.wav" in caption and "Traceback" not in caption
    assert view.prediction.bars.bars is None and view.model is trained.model
    clip = dict(zip(view.corpus.names, view.corpus.values[0], strict=True))
    view.predict(clip)  # the next clip is predicted as before
    assert view.prediction.bars.bars is not None
