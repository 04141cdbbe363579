"""The Corpus tab on the demo corpus: analysed in the background, one violin per emotion, dots that
open their clip, statistics and verdicts beside the plot, and the cache on the second run."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from servis_gui.core import corpus_cache
from servis_gui.core.corpus_groups import feature_view
from servis_gui.core.stats import compare_emotions

WAIT_MS = 120_000


@pytest.fixture
def corpus(window, qtbot, tmp_path, monkeypatch):
    """The window's Corpus tab after Corpus → Analyse dataset on the demo corpus (a fresh cache)."""
    monkeypatch.setattr(corpus_cache, "default_cache_folder", lambda: tmp_path / "cache")
    action = next(a for a in window.actions() if a.text() == "&Analyse dataset")
    assert action.shortcut().toString() == "Ctrl+Shift+A"
    with qtbot.waitSignal(window.corpus_view().worker.finished, timeout=WAIT_MS) as done:
        action.trigger()
    qtbot.waitUntil(lambda: window.corpus.statistics.comparison is not None, timeout=10000)  # from its lane
    assert window.tabs.currentWidget() is window.corpus
    return window.corpus, done.args[0]


def test_the_corpus_tab_is_built_at_first_use_not_at_start(window):
    import subprocess
    import sys

    code = ("import sys; from PySide6.QtWidgets import QApplication; from PySide6.QtCore import QSettings; "
            "from servis_gui.settings import Settings; from servis_gui.ui.main_window import MainWindow; "
            "app = QApplication([]); w = MainWindow(Settings(QSettings(sys.argv[1], QSettings.Format.IniFormat))); "
            "w.finish_setup(); print('scipy.stats' in sys.modules, 'servis_gui.ui.corpus_view' in sys.modules); "
            "w.close()")
    ini = str(window.settings._store.fileName()) + ".start.ini"
    loaded = subprocess.run([sys.executable, "-c", code, ini], capture_output=True, text=True, check=True,
                            timeout=120).stdout.splitlines()[-1]
    assert loaded.strip() == "False False"  # ~0.8 s of import kept off the start
    assert window.corpus is None
    window.tabs.setCurrentIndex(2)
    assert window.corpus is not None and window.tabs.currentWidget() is window.corpus
    assert window.tabs.tabText(2) == "Corpus"


def test_every_demo_clip_is_analysed_and_the_second_run_reads_the_cache(corpus, window, qtbot):
    view, first = corpus
    assert len(first.records) == 32 and not first.failures and first.computed == 32 and first.cached == 0
    with qtbot.waitSignal(view.worker.finished, timeout=WAIT_MS) as again:
        view.analyse_button.click()
    assert again.args[0].cached == 32 and again.args[0].computed == 0
    np.testing.assert_array_equal(again.args[0].values, first.values)
    assert "32 clips analysed (32 from the cache)" in view.state.text()


def test_one_violin_per_emotion_with_a_dot_per_clip(corpus, qtbot):
    view, result = corpus
    plot = view.plot
    emotions = sorted({r.emotion for r in result.records})
    ticks = [label for _pos, label in plot.getAxis("bottom")._tickLevels[0]]
    assert sorted(label.split("\n")[0] for label in ticks) == emotions  # the names fit at this width
    polygons = [shapes.fill for shapes in plot._slots if shapes.fill.isVisible()]  # the violins' fills
    assert len(polygons) == len(emotions)
    x, y = plot.dots.getData()
    assert len(x) == 32
    peak = result.values[:, result.names.index("peak_dbfs")]
    np.testing.assert_allclose(np.sort(y), np.sort(peak))
    viewport = plot.viewport().rect()
    for polygon in polygons:  # every violin is on screen
        rect = plot.mapFromScene(polygon.sceneBoundingRect()).boundingRect()
        assert viewport.contains(rect)


def test_clicking_a_dot_opens_and_plays_that_clip(corpus, window, qtbot):
    view, _result = corpus
    point = view.plot.dots.points()[5]
    path = str(point.data())
    with qtbot.waitSignal(window.session.analysis_ready, timeout=20000):
        view.plot.dots.sigClicked.emit(view.plot.dots, [point], None)
    assert window.session.analysis.clip.identity.path == path
    hovered = []
    view.plot.clip_hovered.connect(hovered.append)
    view.plot.dots.sigHovered.emit(view.plot.dots, [point], None)
    assert hovered and hovered[-1].startswith(path.rsplit("/", 1)[-1])


def test_the_statistics_are_the_cores_for_the_feature_shown(corpus, qtbot):
    view, result = corpus
    with qtbot.waitSignal(view.worker.statistics_ready, timeout=10000):
        view.feature.setCurrentIndex(view.feature.findData("f0_semitone_p50"))
    fv = feature_view(result, "f0_semitone_p50")
    expected = compare_emotions(fv.values, fv.emotions, fv.order, feature="f0_semitone_p50")
    assert view.statistics.kruskal.text() == expected.kruskal_text()
    pairs = view.statistics.pairs
    shown = [[pairs.item(r, c).text() for c in range(6)] for r in range(pairs.rowCount())]
    assert shown == [list(row) for row in expected.pair_rows()]
    verdicts = {v.feature: v.verdict for v in view.observations.verdicts}
    assert set(verdicts) >= {"peak_dbfs", "f0_semitone_p50", "intensity_db_mean"}


def test_speaker_normalisation_and_one_speaker(corpus, window):
    view, result = corpus
    view.normalise.setChecked(True)
    _x, y = view.plot.dots.getData()
    assert abs(np.nanmean(y)) < 0.2 and "(z)" in view.plot.getAxis("left").labelText
    speaker = view.speaker.itemData(1)
    view.speaker.setCurrentIndex(1)
    assert len(view.plot.dots.getData()[0]) == sum(r.speaker == speaker for r in result.records)
    assert window.settings.corpus_option("normalise", "") == "true"


def test_cancel_keeps_what_was_computed(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_cache, "default_cache_folder", lambda: tmp_path / "cache")
    view = window.corpus_view()
    records = list(window.library.browser.model.records)
    view.worker._jobs = 1  # one clip at a time, so the cancel lands mid-run
    progress = []
    view.worker.progress.connect(lambda done, total, left: progress.append(done) or (done >= 3 and view.cancel()))
    with qtbot.waitSignal(view.worker.finished, timeout=WAIT_MS) as done:
        view.analyse(records, "demo")
    result = done.args[0]
    assert result.cancelled and 3 <= len(result.records) < 32
    assert "cancelled" in view.state.text() and view.analyse_button.isEnabled()
    qtbot.mouseClick(view.analyse_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.worker.finished, timeout=WAIT_MS) as again:
        pass
    assert again.args[0].cached >= len(result.records)




def test_your_takes_are_stars_in_their_emotions_slot(window, qtbot, tmp_path, monkeypatch):
    import soundfile as sf

    from servis_gui.core.takes.store import save_take
    from servis_gui.core.takes.writer import TakeInfo
    from tests.voices import harmonic_voice

    monkeypatch.setattr(corpus_cache, "default_cache_folder", lambda: tmp_path / "cache")
    folder = tmp_path / "My recordings"
    folder.mkdir()
    window.set_recordings_dir(str(folder))
    t = np.arange(16000) / 16000
    take = folder / "take-001.wav"
    sf.write(take, harmonic_voice(np.full_like(t, 180.0), t < 0.9, 16000).astype(np.float32), 16000)
    save_take(folder, TakeInfo(take, 16000, 1.0, "2026-11-30T12:00:00", emotion="angry", speaker="me"))
    view = window.corpus_view()
    with qtbot.waitSignal(view.worker.statistics_ready, timeout=WAIT_MS):  # after the redraw
        window.analyse_corpus()
    x, y = view.plot.stars.getData()
    slots = [label.split("\n")[0] for _pos, label in view.plot.getAxis("bottom")._tickLevels[0]]
    assert len(x) == 1 and x[0] == slots.index("angry")
    assert y[0] == pytest.approx(view.takes.values[0, view.takes.names.index("peak_dbfs")])
    assert len(view.result.records) == 32 and "your takes: 1 (stars)" in view.state.text()


def test_exports_write_the_plot_and_the_tables(corpus, tmp_path, monkeypatch):
    import csv

    from servis_gui.ui import corpus_export

    view, result = corpus
    answers = [str(tmp_path / name) for name in ("plot.png", "plot.svg", "stats", "verdicts.csv", "features.csv")]
    monkeypatch.setattr(corpus_export.QFileDialog, "getSaveFileName", lambda *args: (answers.pop(0), ""))
    for action in view.export_button.menu().actions():
        action.trigger()
    assert (tmp_path / "plot.png").stat().st_size > 5000
    assert "<svg" in (tmp_path / "plot.svg").read_text(encoding="utf-8")[:2000]
    with open(tmp_path / "stats.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert sum(row["row"] == "pair" for row in rows) == len(view.statistics.comparison.pairs)
    with open(tmp_path / "verdicts.csv", newline="", encoding="utf-8") as file:
        assert len(list(csv.DictReader(file))) == len(view.observations.verdicts)
    with open(tmp_path / "features.csv", newline="", encoding="utf-8") as file:
        assert len(list(csv.reader(file))) == 1 + len(result.records)
    assert (tmp_path / "features.json").is_file() and view.state.text().startswith("Saved ")


def test_the_map_and_the_recogniser_follow_the_analysed_corpus(corpus, window, qtbot):
    view, result = corpus
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles[-3:] == ["Corpus", "Map", "Recogniser"]
    tabs = window.analysis_tabs
    assert tabs.map is None and tabs.recogniser is None  # built when first shown
    window.tabs.setCurrentIndex(titles.index("Map"))
    emotion_map = tabs.map
    assert window.tabs.currentWidget() is emotion_map
    qtbot.waitUntil(lambda: len(emotion_map.plot.dots.getData()[0]) == len(result.records), timeout=30000)
    window.tabs.setCurrentIndex(titles.index("Recogniser"))
    assert tabs.recogniser.corpus is view.result and window.tabs.currentWidget() is tabs.recogniser
    paths = [str(r.path) for r in result.records[:2]]
    with qtbot.waitSignal(window.session.group_ready, timeout=30000):
        emotion_map.compare_requested.emit(paths)
    assert window.tabs.currentWidget() is window.compare



def test_the_open_clip_can_be_placed_on_the_map(corpus, window, qtbot):
    view, result = corpus
    action = next(a for a in window.actions() if a.text() == "&Place the open clip on the map")
    assert action.shortcut().toString() == "Ctrl+Shift+L"
    action.trigger()
    emotion_map = window.analysis_tabs.map
    assert window.tabs.currentWidget() is emotion_map
    qtbot.waitUntil(lambda: len(emotion_map.plot.stars.getData()[0]) == 1, timeout=30000)


def test_the_microphone_moves_a_live_marker_on_the_map(corpus, window, qtbot):
    """The Record panel's blocks reach the live analysis through the window's wiring; a voice is
    placed on the map, silence hides the marker (the audio path itself: tests/audio)."""
    from tests.voices import harmonic_voice

    window.tabs.setCurrentIndex(window.tabs.indexOf(window.analysis_tabs.map_view()))
    emotion_map = window.analysis_tabs.map
    qtbot.waitUntil(lambda: len(emotion_map.plot.dots.getData()[0]) > 0, timeout=30000)
    sr = 48000
    window.capture.capture.sr = sr  # what MicCapture reports while a stream runs
    t = np.arange(int(2.6 * sr)) / sr
    voice = harmonic_voice(np.full_like(t, 200.0), np.ones(len(t), dtype=bool), sr).astype(np.float32)
    with qtbot.waitSignal(window.analysis_tabs.live.features_ready, timeout=20000,
                          check_params_cb=lambda values: values is not None):
        for start in range(0, len(voice), sr // 40):
            window.capture.samples_pushed.emit(voice[start:start + sr // 40])
    assert len(emotion_map.plot.live_coords) >= 1 and emotion_map.plot.live.isVisible()
    silence = np.zeros(sr // 40, dtype=np.float32)
    with qtbot.waitSignal(window.analysis_tabs.live.features_ready, timeout=20000,
                          check_params_cb=lambda values: values is None):
        for _ in range(100):
            window.capture.samples_pushed.emit(silence)
    assert "silence" in emotion_map.live_state.text().lower()
