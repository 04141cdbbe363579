"""The Emotion map on a synthetic corpus: one dot per clip in its emotion's colour, LDA that separates
the emotions, PCA axes that say their variance, takes placed where ``Projection.place`` puts them with
their five nearest clips, hover, click, Shift+drag selection, remembered options, and a plot that is
visible at 1000x650."""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication

from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.emotions import emotion_color
from servis_gui.core.functionals import feature_specs
from servis_gui.core.params import FeatureParams
from servis_gui.core.projection import project
from servis_gui.core.prosody import DEFAULT_PITCH
from servis_gui.core.recogniser import select
from servis_gui.core.stats import emotion_order
from servis_gui.core.map_data import file_features
from servis_gui.ui.emotion_map import EmotionMap
from servis_gui.ui.emotion_map_plot import DOT_ALPHA

NAMES = tuple(spec.name for spec in feature_specs(128))
EMOTIONS = ("angry", "happy", "sad")
SPEAKERS = ("s1", "s2", "s3", "s4")
PER_EMOTION = 40
SEPARATING = ("mfcc1_mean", "mfcc2_mean", "f0_semitone_p50")
"""Columns whose means differ by emotion; every other column is noise."""
WAIT_MS = 20000


class FakeSession:
    """What the map asks of the Session: analysis settings, and open-and-play (recorded)."""

    def __init__(self):
        self.params, self.pitch_params = FeatureParams(), DEFAULT_PITCH
        self.played: list[str] = []

    def open_and_play(self, path):
        self.played.append(path)


def make_result(records, values):
    return CorpusResult(NAMES, tuple(records), values, (), 0, len(records), False)


def synthetic_corpus(seed=0, per_emotion=PER_EMOTION):
    rng = np.random.default_rng(seed)
    records, rows = [], []
    for e, emotion in enumerate(EMOTIONS):
        for k in range(per_emotion):
            speaker = SPEAKERS[k % len(SPEAKERS)]
            records.append(ClipRecord(Path(f"/corpus/{speaker}_{emotion}_{k:03d}.wav"), "Synthetic", emotion,
                                      speaker=speaker, gender="female" if speaker in ("s1", "s2") else "male"))
            row = rng.normal(size=len(NAMES))
            for column in SEPARATING:
                row[NAMES.index(column)] += 6.0 * np.cos(2 * np.pi * e / 3 + NAMES.index(column))
            rows.append(row)
    values = np.array(rows)
    values[rng.random(values.shape) < 0.02] = np.nan  # as real features: some undefined
    return make_result(records, values)


def synthetic_takes(corpus):
    """Two takes: one near the angry clips' mean, one near the sad clips' mean."""
    emotions = np.array([r.emotion for r in corpus.records])
    means = [np.nanmean(corpus.values[emotions == e], axis=0) for e in ("angry", "sad")]
    records = [ClipRecord(Path(f"/takes/take_{e}.wav"), "Takes", e, speaker="") for e in ("angry", "sad")]
    return make_result(records, np.array(means))


@pytest.fixture
def session():
    return FakeSession()


@pytest.fixture
def emotion_map(qtbot, session, settings):
    view = EmotionMap(session, settings)
    qtbot.addWidget(view)
    view.resize(1000, 650)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.shutdown()


def show(qtbot, view, corpus, takes=None):
    with qtbot.waitSignal(view.map_drawn, timeout=WAIT_MS):
        view.set_result(corpus, takes)


def choose(qtbot, view, box, data):
    with qtbot.waitSignal(view.map_drawn, timeout=WAIT_MS):
        box.setCurrentIndex(box.findData(data))


def pixel_of(view, xy):
    """The map widget's pixel (in ``view.plot``'s viewport) where data point ``xy`` is drawn."""
    scene = view.plot.box.mapViewToScene(QPointF(*map(float, xy)))
    return view.plot.mapFromScene(scene)


def send(widget, kind, pos, buttons=Qt.MouseButton.NoButton, shift=True):
    """A mouse event as a real mouse sends it (``QTest.mouseMove`` carries no buttons or modifiers)."""
    modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), Qt.MouseButton.LeftButton, buttons,
                        modifiers)
    QApplication.sendEvent(widget, event)


def centroid_ratio(coords, labels):
    """Smallest distance between emotion centroids over the largest within-emotion RMS spread."""
    labels = np.asarray(labels)
    centres = {e: coords[labels == e].mean(axis=0) for e in EMOTIONS}
    spread = max(np.sqrt(((coords[labels == e] - centres[e]) ** 2).sum(axis=1).mean()) for e in EMOTIONS)
    gaps = [np.hypot(*(centres[a] - centres[b])) for i, a in enumerate(EMOTIONS) for b in EMOTIONS[i + 1:]]
    return min(gaps) / spread


def test_one_dot_per_clip_in_its_emotions_colour_with_a_legend(qtbot, emotion_map):
    corpus = synthetic_corpus()
    show(qtbot, emotion_map, corpus)
    points = emotion_map.plot.dots.points()
    assert len(points) == len(corpus.records)
    for point, record in zip(points, corpus.records, strict=True):
        expected = QColor(emotion_color(record.emotion))
        expected.setAlpha(DOT_ALPHA)
        assert point.brush().color() == expected
    assert len({point.brush().color().name() for point in points}) == len(EMOTIONS)
    legend = [label.text for _sample, label in emotion_map.plot.legend.items]
    assert legend == list(emotion_order(EMOTIONS))  # the canonical order, as the Corpus tab's


def test_lda_separates_the_emotions_and_shuffled_labels_do_not(qtbot, emotion_map):
    corpus = synthetic_corpus()
    show(qtbot, emotion_map, corpus)
    choose(qtbot, emotion_map, emotion_map.feature, "mfcc")  # 26 columns for 120 clips: LDA cannot overfit
    assert emotion_map.method.currentData() == "lda"
    coords = np.column_stack(emotion_map.plot.dots.getData())
    labels = [r.emotion for r in corpus.records]
    assert centroid_ratio(coords, labels) > 2.0
    shuffled = [r.__class__(r.path, r.corpus, e, speaker=r.speaker) for r, e in
                zip(corpus.records, np.random.default_rng(1).permutation(labels), strict=True)]
    show(qtbot, emotion_map, make_result(shuffled, corpus.values))
    assert centroid_ratio(np.column_stack(emotion_map.plot.dots.getData()), labels) < 1.0
    assert emotion_map.plot.getAxis("bottom").labelText.startswith("LD1 (")


def test_the_pca_axes_say_the_share_of_variance(qtbot, emotion_map):
    corpus = synthetic_corpus()
    show(qtbot, emotion_map, corpus)
    choose(qtbot, emotion_map, emotion_map.method, "pca")
    from sklearn.decomposition import PCA

    _, x = select(corpus.names, corpus.values, "all")
    filled = np.where(np.isfinite(x), x, np.nanmedian(x, axis=0))
    share = PCA(n_components=2).fit((filled - filled.mean(0)) / filled.std(0)).explained_variance_ratio_
    assert emotion_map.plot.getAxis("bottom").labelText == f"PC1 ({100 * share[0]:.0f} % of variance)"
    assert emotion_map.plot.getAxis("left").labelText == f"PC2 ({100 * share[1]:.0f} % of variance)"


def test_takes_are_placed_where_the_projection_places_them_with_their_five_nearest_clips(qtbot, emotion_map):
    corpus = synthetic_corpus()
    takes = synthetic_takes(corpus)
    show(qtbot, emotion_map, corpus, takes)
    _, x = select(corpus.names, corpus.values, "all")
    projection = project(x, [r.emotion for r in corpus.records], "lda")
    expected = projection.place(select(takes.names, takes.values, "all")[1])
    np.testing.assert_allclose(np.column_stack(emotion_map.plot.stars.getData()), expected, atol=1e-9)
    stars = emotion_map.plot.stars.points()
    assert len(stars) == 2 and all(p.symbol() == "star" for p in stars)
    assert stars[0].pen().color().name() == "#ffffff"
    # the last take (sad) by default: its five nearest clips by brute force, nearest first
    distances = [np.hypot(*(c - expected[1])) for c in projection.coords]
    brute = sorted(range(len(distances)), key=distances.__getitem__)[:5]
    listed = emotion_map.neighbours
    shown = [listed.item(k).data(Qt.ItemDataRole.UserRole) for k in range(listed.count())]
    assert shown == [str(corpus.records[r].path) for r in brute]
    assert all(corpus.records[r].emotion == "sad" for r in brute)
    assert f"{distances[brute[0]]:.2f}" in emotion_map.neighbours.item(0).text()
    with qtbot.waitSignal(emotion_map.compare_requested) as asked:
        emotion_map.neighbours.itemClicked.emit(emotion_map.neighbours.item(2))
    assert asked.args[0] == ["/takes/take_sad.wav", str(corpus.records[brute[2]].path)]


def test_hover_names_the_clip_and_a_click_plays_it(qtbot, emotion_map, session):
    corpus = synthetic_corpus()
    show(qtbot, emotion_map, corpus)
    coords = emotion_map.map.projection.coords
    k = int(np.argmax(coords[:, 0]))  # the rightmost dot: no other dot under it
    pixel = pixel_of(emotion_map, coords[k])
    viewport = emotion_map.plot.viewport()
    send(viewport, QEvent.Type.MouseMove, pixel, shift=False)
    record = corpus.records[k]
    qtbot.waitUntil(lambda: record.path.name in emotion_map.hover.text(), timeout=3000)
    assert f"{record.emotion} · speaker {record.speaker}" in emotion_map.hover.text()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pixel)
    assert session.played == [str(record.path)]




def test_shift_drag_selects_the_clips_inside_the_rectangle(qtbot, emotion_map):
    corpus = synthetic_corpus(per_emotion=4)  # 12 clips: the rectangle sends all it holds
    show(qtbot, emotion_map, corpus)
    coords = emotion_map.map.projection.coords
    angry = np.array([r.emotion == "angry" for r in corpus.records])
    low, high = coords[angry].min(axis=0), coords[angry].max(axis=0)
    pad = 0.02 * (high - low)
    corner_a, corner_b = pixel_of(emotion_map, low - pad), pixel_of(emotion_map, high + pad)
    inside = ((coords >= low - pad) & (coords <= high + pad)).all(axis=1)
    assert 4 <= inside.sum() < len(coords)  # the angry cluster, not everything
    viewport = emotion_map.plot.viewport()
    held = Qt.MouseButton.LeftButton
    with qtbot.waitSignal(emotion_map.compare_requested) as asked:
        send(viewport, QEvent.Type.MouseButtonPress, corner_a, held)
        for step in np.linspace(0, 1, 6)[1:]:
            send(viewport, QEvent.Type.MouseMove, corner_a + (corner_b - corner_a) * step, held)
        send(viewport, QEvent.Type.MouseButtonRelease, corner_b, Qt.MouseButton.NoButton)
    assert set(asked.args[0]) == {str(r.path) for r, k in zip(corpus.records, inside, strict=True) if k}
    assert not emotion_map.plot.box.band.isVisible()


def test_a_large_rectangle_sends_the_twelve_clips_nearest_its_centre(qtbot, emotion_map):
    corpus = synthetic_corpus()
    show(qtbot, emotion_map, corpus)
    coords = emotion_map.map.projection.coords
    with qtbot.waitSignal(emotion_map.compare_requested) as asked:
        emotion_map.plot.rectangle_selected.emit(np.arange(len(coords)))
    centre = (coords.min(axis=0) + coords.max(axis=0)) / 2
    brute = sorted(range(len(coords)), key=lambda r: np.hypot(*(coords[r] - centre)))[:12]
    assert asked.args[0] == [str(corpus.records[r].path) for r in brute]


def test_options_are_remembered_and_the_newest_request_wins(qtbot, emotion_map, session, settings):
    corpus = synthetic_corpus()
    show(qtbot, emotion_map, corpus)
    emotion_map.method.setCurrentIndex(emotion_map.method.findData("pca"))
    emotion_map.feature.setCurrentIndex(emotion_map.feature.findData("mfcc"))
    emotion_map.shape.setCurrentIndex(emotion_map.shape.findData("gender"))
    with qtbot.waitSignal(emotion_map.map_drawn, timeout=WAIT_MS):
        emotion_map.normalise.setChecked(True)
    qtbot.wait(200)  # any older request still on its way would be dropped, not drawn
    data = emotion_map.map
    assert (data.method, data.feature_set, data.normalise) == ("pca", "mfcc", True)
    assert {p.symbol() for p in emotion_map.plot.dots.points()} == {"o", "s"}  # female, male
    again = EmotionMap(session, settings)
    qtbot.addWidget(again)
    assert again.method.currentData() == "pca" and again.feature.currentData() == "mfcc"
    assert again.normalise.isChecked() and again.shape.currentData() == "gender"
    again.shutdown()


def test_the_plot_is_visible_inside_the_widget_at_1000x650(qtbot, emotion_map):
    show(qtbot, emotion_map, synthetic_corpus(), None)
    qtbot.wait(50)
    box = emotion_map.plot.box
    top_left = emotion_map.plot.mapTo(emotion_map, emotion_map.plot.mapFromScene(box.sceneBoundingRect().topLeft()))
    bottom_right = emotion_map.plot.mapTo(emotion_map,
                                          emotion_map.plot.mapFromScene(box.sceneBoundingRect().bottomRight()))
    assert emotion_map.rect().contains(top_left) and emotion_map.rect().contains(bottom_right)
    assert bottom_right.x() - top_left.x() > 500 and bottom_right.y() - top_left.y() > 350
    coords = emotion_map.map.projection.coords
    for xy in (coords.min(axis=0), coords.max(axis=0)):  # every dot lies within the data rectangle
        assert box.sceneBoundingRect().contains(box.mapViewToScene(QPointF(*xy)))
    assert isinstance(top_left, QPoint)


def test_an_opened_file_is_placed_with_the_corpus_settings(qtbot, emotion_map, session, tone_file):
    corpus = synthetic_corpus()
    show(qtbot, emotion_map, corpus)
    choose(qtbot, emotion_map, emotion_map.feature, "mfcc")
    path = tone_file("placed.wav", seconds=1.0, freq=220.0)
    emotion_map.place_file(path)
    qtbot.waitUntil(lambda: len(emotion_map.plot.stars.points()) == 1, timeout=WAIT_MS)
    vector = file_features(path, NAMES, session.params, session.pitch_params)
    expected = emotion_map.map.projection.place(select(NAMES, vector, "mfcc")[1])
    np.testing.assert_allclose(np.column_stack(emotion_map.plot.stars.getData())[0], expected, atol=1e-9)
    assert emotion_map.neighbours.count() == 5 and "placed.wav" in emotion_map.neighbours_title.text()


def test_the_map_exports_as_png_and_svg(qtbot, emotion_map, tmp_path, monkeypatch):
    from servis_gui.ui import corpus_export

    show(qtbot, emotion_map, synthetic_corpus())
    answers = [str(tmp_path / "map.png"), str(tmp_path / "map.svg")]
    monkeypatch.setattr(corpus_export.QFileDialog, "getSaveFileName", lambda *args: (answers.pop(0), ""))
    for action in emotion_map.export.menu().actions():
        action.trigger()
    assert (tmp_path / "map.png").read_bytes()[:4] == b"\x89PNG"
    text = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert "<svg" in text and "<title>SERVIS emotion map: LDA of all</title>" in text
    assert emotion_map.state.text() == f"Saved {tmp_path / 'map.svg'}"


def test_an_opened_file_is_not_placed_on_a_speaker_normalised_map(qtbot, emotion_map, tone_file):
    show(qtbot, emotion_map, synthetic_corpus())
    with qtbot.waitSignal(emotion_map.map_drawn, timeout=WAIT_MS):
        emotion_map.normalise.setChecked(True)
    path = tone_file("placed.wav")
    emotion_map.place_file(path)
    qtbot.waitUntil(lambda: path in emotion_map._placed, timeout=WAIT_MS)
    assert len(emotion_map.plot.stars.points()) == 0 and "untick" in emotion_map.state.text()
    with qtbot.waitSignal(emotion_map.map_drawn, timeout=WAIT_MS):
        emotion_map.normalise.setChecked(False)
    assert len(emotion_map.plot.stars.points()) == 1


def test_a_live_marker_outside_the_view_widens_it_until_silence_and_one_inside_leaves_it_still(qtbot, emotion_map):
    corpus = synthetic_corpus()
    show(qtbot, emotion_map, corpus)
    box = emotion_map.plot.box
    before = np.array(box.viewRange())
    inside = dict(zip(NAMES, corpus.values[0], strict=True))
    emotion_map.place_live(inside)
    assert np.allclose(box.viewRange(), before)  # the map stays still under a marker it shows
    mean = np.nanmean(corpus.values, axis=0)
    far = dict(zip(NAMES, mean + 40 * (np.nan_to_num(corpus.values[0], nan=0.0) - mean), strict=True))
    emotion_map.place_live(far)
    marker = emotion_map.plot.live_coords[-1]
    (x0, x1), (y0, y1) = after = np.array(box.viewRange())
    assert not (before[0, 0] <= marker[0] <= before[0, 1] and before[1, 0] <= marker[1] <= before[1, 1])
    assert x0 < marker[0] < x1 and y0 < marker[1] < y1
    assert (after[:, 0] <= before[:, 0]).all() and (after[:, 1] >= before[:, 1]).all()  # widened, never narrowed
    qtbot.wait(50)
    seen = emotion_map.plot.viewport().visibleRegion()
    assert seen.contains(pixel_of(emotion_map, marker))
    emotion_map.place_live(None)  # silence: the marker goes, the map's own view comes back
    assert np.allclose(box.viewRange(), before)
    emotion_map.place_live(far)
    box.translateBy(x=1.0)  # the user pans while it is widened: silence then leaves the view as it is
    moved = np.array(box.viewRange())
    emotion_map.place_live(None)
    assert np.allclose(box.viewRange(), moved)


def test_the_legend_moves_off_the_live_marker_and_stays_where_the_user_drags_it(qtbot, emotion_map):
    show(qtbot, emotion_map, synthetic_corpus())
    plot = emotion_map.plot
    legend = plot.legend
    start = legend.sceneBoundingRect()
    under = plot.box.mapSceneToView(start.center())
    plot.show_live(np.array([[under.x(), under.y()]]))
    marker = plot.box.mapViewToScene(QPointF(under.x(), under.y()))
    assert not legend.sceneBoundingRect().contains(marker) and legend.sceneBoundingRect() != start
    assert plot.legend_cover(plot._legend_corner) < 1e6  # where it went, it hides no marker
    legend.moved_by_user = True  # as a drag sets it: from then on it stays where it was put
    kept = legend.sceneBoundingRect()
    plot.show_live(np.array([[plot.box.mapSceneToView(kept.center()).x(), plot.box.mapSceneToView(kept.center()).y()]]))
    assert legend.sceneBoundingRect() == kept


def test_a_map_full_to_every_corner_is_widened_so_the_legend_hides_no_clip(qtbot):
    from servis_gui.ui.emotion_map_plot import CORNERS, MapPlot

    plot = MapPlot()
    qtbot.addWidget(plot)
    plot.resize(700, 420)
    plot.show()
    qtbot.waitExposed(plot)
    grid = np.array([(x, y) for x in np.linspace(0, 1, 30) for y in np.linspace(0, 1, 20)])
    plot.show_clips(grid, ["angry", "sad", "happy"] * 200, ["angry", "sad", "happy"])
    qtbot.wait(20)
    costs = {corner: plot.legend_cover(corner) for corner in CORNERS}
    assert costs[plot._legend_corner] == 0, costs
    (x0, x1), (y0, y1) = plot.box.viewRange()
    assert x0 <= 0 <= 1 <= x1 and y0 <= 0 <= 1 <= y1  # every clip still in view
    seen = plot.mapFromScene(plot.legend.sceneBoundingRect()).boundingRect()
    hidden = [p for p in grid if seen.contains(plot.mapFromScene(plot.box.mapViewToScene(QPointF(*p))))]
    assert not hidden
