"""The dataset browser on fixture corpora: scanning, filters, sorting, keys, bad files."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from servis_gui import dataset_jobs
from servis_gui.core.datasets import ScanResult
from servis_gui.settings import Settings
from servis_gui.ui.browser import DatasetBrowser
from servis_gui.ui.browser_model import RECORD_ROLE, Column

EMOTIONS = ("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised")
SECONDS = (0.2, 0.5, 1.0, 2.0, 3.0, 5.0, 9.0, 10.5)  # as text, "10.50" sorts before "9.00"
RATES = {1: 8000, 2: 11025}  # as text, "11025" sorts before "8000"
EMPTY = "Actor_01/03-01-03-02-01-01-01.wav"  # happy, strong, statement 01, actor 01
NOT_AUDIO = "Actor_02/03-01-04-02-01-01-02.wav"  # sad, strong, statement 01, actor 02


def _tone(path: Path, seconds: float, sr: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(int(seconds * sr), dtype=np.int16), sr, subtype="PCM_16")


@pytest.fixture
def ravdess(tmp_path: Path) -> Path:
    """2 actors x 8 emotions x 2 statements of real WAVs, 2 strong angry takes, 2 bad files."""
    root = tmp_path / "RAVDESS"
    for actor, sr in RATES.items():
        for code, seconds in enumerate(SECONDS, start=1):
            for statement in (1, 2):
                _tone(root / f"Actor_{actor:02d}/03-01-{code:02d}-01-{statement:02d}-01-{actor:02d}.wav",
                      seconds, sr)
    for statement in (1, 2):
        _tone(root / f"Actor_01/03-01-05-02-{statement:02d}-01-01.wav", 0.3, 8000)
    (root / EMPTY).write_bytes(b"")
    (root / NOT_AUDIO).write_text("this is not audio\n")
    return root


@pytest.fixture
def browser(qtbot) -> DatasetBrowser:
    widget = DatasetBrowser()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    yield widget
    widget.shutdown()


def _open(qtbot, browser: DatasetBrowser, root: Path) -> None:
    """Open ``root`` and wait until every header is probed."""
    with qtbot.waitSignal(browser.prober.finished, timeout=20000):
        browser.open_dataset(str(root))


def _column(browser: DatasetBrowser, column: Column) -> list[str]:
    proxy = browser.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def _records(browser: DatasetBrowser) -> list:
    proxy = browser.proxy
    return [proxy.index(row, 0).data(RECORD_ROLE) for row in range(proxy.rowCount())]


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(root.rglob("*"))}


def test_scan_runs_on_a_worker_thread_and_fills_the_table(qtbot, browser, ravdess, monkeypatch):
    threads = []

    def spy(*args):
        threads.append(threading.get_ident())
        return scan(*args)

    scan = dataset_jobs.scan_dataset
    monkeypatch.setattr(dataset_jobs, "scan_dataset", spy)
    with qtbot.waitSignal(browser.dataset_opened, timeout=20000) as opened:
        browser.open_dataset(str(ravdess))
    assert opened.args == [str(ravdess), "RAVDESS"]
    assert threads and threads[0] != threading.get_ident()
    assert browser.proxy.rowCount() == 36
    assert browser.scan_bar.isHidden()
    assert browser.record_for(str(ravdess / EMPTY)).emotion == "happy"


def test_filtering_by_emotion_changes_rows_and_counts(qtbot, browser, ravdess):
    _open(qtbot, browser, ravdess)
    assert "<b>36</b> of 36 clips" in browser.summary.text()
    for emotion, box in browser.filters.emotions.boxes.items():
        box.setChecked(emotion in ("angry", "calm"))
    assert sorted(set(_column(browser, Column.EMOTION))) == ["angry", "calm"]
    assert browser.proxy.rowCount() == 6 + 4
    summary = browser.summary.text()
    assert "<b>10</b> of 36 clips" in summary
    assert "angry&nbsp;6" in summary and "calm&nbsp;4" in summary and "happy&nbsp;" not in summary
    assert browser.filters.emotions.boxes["happy"].text() == "happy (5)"  # what ticking it would add
    browser.filters.emotions.boxes["angry"].setChecked(False)
    assert _column(browser, Column.EMOTION) == ["calm"] * 4
    assert "<b>4</b> of 36 clips" in browser.summary.text()


def test_speaker_gender_and_search_filters(qtbot, browser, ravdess):
    _open(qtbot, browser, ravdess)
    browser.filters.speaker.setCurrentIndex(browser.filters.speaker.findData("02"))
    assert set(_column(browser, Column.SPEAKER)) == {"02"} and browser.proxy.rowCount() == 17
    assert browser.filters.emotions.boxes["sad"].text() == "sad (3)"  # counts follow the other filters
    browser.filters.gender.setCurrentIndex(browser.filters.gender.findData("male"))
    assert browser.proxy.rowCount() == 0
    browser.filters.clear()
    browser.filters.search.setText("DOGS")
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 16 + 1)
    assert set(_column(browser, Column.SENTENCE)) == {"Dogs are sitting by the door"}
    browser.filters.search.setText("-08-01-02-01-02")
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 1)
    assert _records(browser)[0].emotion == "surprised"


def test_sentence_filter(qtbot, browser, ravdess):
    _open(qtbot, browser, ravdess)
    browser.filters.sentence.setCurrentIndex(browser.filters.sentence.findData("01"))
    assert browser.filters.sentence.currentText() == "01: Kids are talking by the door"
    assert {r.sentence_id for r in _records(browser)} == {"01"} and browser.proxy.rowCount() == 19


def test_sorting_by_duration_and_rate_is_numeric_after_probing(qtbot, browser, ravdess):
    browser.table.sortByColumn(Column.DURATION, Qt.SortOrder.AscendingOrder)  # before any header is read
    _open(qtbot, browser, ravdess)
    durations = [float(text) for text in _column(browser, Column.DURATION) if text]
    assert durations == sorted(durations) and durations[-1] == 10.5 and 9.0 in durations
    assert _column(browser, Column.DURATION)[-2:] == ["", ""]  # unreadable files last
    browser.table.sortByColumn(Column.RATE, Qt.SortOrder.DescendingOrder)
    rates = [int(text) for text in _column(browser, Column.RATE) if text]
    assert rates[0] == 11025 and rates[-1] == 8000 and rates == sorted(rates, reverse=True)


def test_unreadable_files_have_a_warning_icon_and_tooltip(qtbot, browser, ravdess):
    _open(qtbot, browser, ravdess)
    model = browser.model
    for name, why in ((EMPTY, "empty (0 bytes)"), (NOT_AUDIO, "not a readable audio file")):
        row = model.row_of(str(ravdess / name))
        assert why in model.index(row, Column.EMOTION).data(Qt.ItemDataRole.ToolTipRole)
        assert model.index(row, Column.FILE).data(Qt.ItemDataRole.DecorationRole) is not None
    fine = model.row_of(str(ravdess / "Actor_01/03-01-01-01-01-01-01.wav"))
    assert model.index(fine, Column.FILE).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(fine, Column.DURATION).data() == "0.20"
    assert model.index(fine, Column.EMOTION).data(Qt.ItemDataRole.ToolTipRole) == "Labelled '01' in RAVDESS"
    assert "2 files could not be read" in browser.warnings_view.toPlainText()
    assert "⚠ 2 unreadable" in browser.summary.text()


def test_scan_warnings_are_listed(qtbot, browser, ravdess):
    warning = "Session1/dialog/EmoEvaluation/x.txt: 3 malformed lines skipped"
    with qtbot.waitSignal(browser.dataset_opened) as opened:
        browser.set_records(ScanResult("IEMOCAP", (), (warning,)), str(ravdess))
    assert opened.args == [str(ravdess), "IEMOCAP"]
    assert browser.warnings_button.text() == "⚠ 1 warning"
    browser.warnings_button.click()
    assert browser.warnings_view.isVisible() and browser.warnings_view.toPlainText() == warning


def test_up_down_activates_the_next_clip_and_enter_plays_it(qtbot, browser, ravdess):
    _open(qtbot, browser, ravdess)
    activated, played = [], []
    browser.clip_activated.connect(activated.append)
    browser.play_requested.connect(played.append)
    paths = [str(r.path) for r in _records(browser)]
    assert browser.select_path(paths[0]) and activated == []
    for key, expected in ((Qt.Key.Key_Down, 1), (Qt.Key.Key_Down, 2), (Qt.Key.Key_Up, 1)):
        QTest.keyClick(browser.table, key)
        assert activated[-1] == paths[expected]
    assert len(activated) == 3
    QTest.keyClick(browser.table, Qt.Key.Key_Return)
    assert played == [paths[1]]
    rect = browser.table.visualRect(browser.proxy.index(3, Column.SPEAKER))
    QTest.mouseClick(browser.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated[-1] == paths[3] and played == [paths[1]]
    QTest.mouseDClick(browser.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert played[-1] == paths[3] and activated[-1] == paths[3]


def test_filtering_does_not_change_the_shown_clip(qtbot, browser, ravdess):
    _open(qtbot, browser, ravdess)
    activated = []
    browser.clip_activated.connect(activated.append)
    browser.select_path(str(ravdess / "Actor_01/03-01-01-01-01-01-01.wav"))
    browser.filters.emotions.boxes["neutral"].setChecked(False)
    assert activated == []
    assert not browser.select_path(str(ravdess / "Actor_01/03-01-01-01-02-01-01.wav"))


def test_ctrl_f_focuses_the_search_box(qtbot, browser):
    browser.activateWindow()
    browser.table.setFocus()
    qtbot.waitUntil(browser.table.hasFocus)
    QTest.keyClick(browser.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert browser.filters.search.hasFocus()


def test_same_sentence_of_the_same_speaker(qtbot, browser, ravdess):
    _open(qtbot, browser, ravdess)
    anchor = str(ravdess / "Actor_01/03-01-01-01-01-01-01.wav")
    browser.select_path(anchor)
    activated = []
    browser.clip_activated.connect(activated.append)
    with qtbot.waitSignal(browser.selection_changed) as changed:
        chosen = browser.select_same_sentence()
    assert {(r.speaker, r.sentence_id) for r in chosen} == {("01", "01")}
    assert len(chosen) == 8 + 2 and set(EMOTIONS) == {r.emotion for r in chosen}
    assert changed.args[0] == chosen == browser.selected_records()
    assert activated == [] and str(browser.table.currentIndex().data(RECORD_ROLE).path) == anchor


def test_same_sentence_across_speakers(qtbot, browser, ravdess):
    _open(qtbot, browser, ravdess)
    browser.select_path(str(ravdess / "Actor_02/03-01-07-01-02-01-02.wav"))
    chosen = browser.select_same_sentence(across_speakers=True)
    assert {r.sentence_id for r in chosen} == {"02"} and {r.speaker for r in chosen} == {"01", "02"}
    assert len(chosen) == 16 + 1
    browser.filters.emotions.boxes["angry"].setChecked(False)
    messages = []
    browser.message.connect(messages.append)
    assert len(browser.select_same_sentence(across_speakers=True)) == 16 + 1 - 3
    assert messages == ["3 clips of this sentence hidden by the filters"]


def test_cancelling_a_big_scan_stops_it(qtbot, browser, tmp_path):
    root = tmp_path / "big"
    for i in range(5000):
        folder = root / ("angry", "sad")[i % 2] / f"s{i % 50:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"clip{i:05d}.wav").touch()
    messages = []
    browser.message.connect(messages.append)
    with qtbot.waitSignal(browser.scanner.finished, timeout=20000) as finished:
        browser.open_dataset(str(root))
        assert browser.scan_bar.isVisible()
        browser.cancel_button.click()
    assert finished.args[0].cancelled and not finished.args[0].records
    assert browser.scanner.wait(2000) and not browser.scanner.is_running()
    assert browser.proxy.rowCount() == 0 and browser.scan_bar.isHidden()
    assert messages == [f"Scan of {root} cancelled"]


def test_a_new_scan_replaces_one_in_progress(qtbot, browser, tmp_path, ravdess):
    root = tmp_path / "big"
    for i in range(3000):
        (root / "angry").mkdir(parents=True, exist_ok=True)
        (root / "angry" / f"clip{i:05d}.wav").touch()
    with qtbot.waitSignal(browser.dataset_opened, timeout=20000) as opened:
        browser.open_dataset(str(root))
        browser.open_dataset(str(ravdess))
    qtbot.wait(200)
    assert opened.args == [str(ravdess), "RAVDESS"] and browser.proxy.rowCount() == 36


def test_the_dataset_folder_is_never_written(qtbot, browser, ravdess):
    before = _snapshot(ravdess)
    _open(qtbot, browser, ravdess)
    browser.table.sortByColumn(Column.DURATION, Qt.SortOrder.AscendingOrder)
    browser.select_path(str(ravdess / "Actor_01/03-01-01-01-01-01-01.wav"))
    browser.select_same_sentence(across_speakers=True)
    assert _snapshot(ravdess) == before


def test_an_unrecognised_folder_offers_the_folder_per_label_view(qtbot, browser, tmp_path):
    root = tmp_path / "my recordings"
    _tone(root / "monday" / "take1.wav", 0.2, 8000)
    _tone(root / "angry" / "take2.wav", 0.2, 8000)
    _tone(root / "tuesday" / "take3.wav", 0.2, 8000)
    with qtbot.waitSignal(browser.dataset_opened, timeout=20000) as opened:
        browser.open_dataset(str(root))
    assert opened.args[1] == "Folders"
    assert browser.notice.isVisible() and "folder-per-label view" in browser.notice.text()
    assert sorted(_column(browser, Column.EMOTION)) == ["angry", "unknown", "unknown"]


def test_folder_names_as_labels_are_announced(qtbot, browser, tmp_path):
    root = tmp_path / "takes"
    for label in ("angry", "sad", "notes"):
        _tone(root / label / "take.wav", 0.2, 8000)
    with qtbot.waitSignal(browser.dataset_opened, timeout=20000) as opened:
        browser.open_dataset(str(root))
    assert opened.args[1] == "Folders" and "folder-per-label view" in browser.notice.text()


def test_an_empty_folder_says_so(qtbot, browser, tmp_path):
    with qtbot.waitSignal(browser.dataset_opened, timeout=20000):
        browser.open_dataset(str(tmp_path))
    assert f"No audio files found in {tmp_path}" in browser.notice.text()


def test_recent_datasets_are_remembered(qtbot, tmp_path, ravdess):
    settings = Settings(QSettings(str(tmp_path / "servis.ini"), QSettings.Format.IniFormat))
    for i in range(12):
        settings.add_recent_dataset(f"/data/{i}")
    settings.add_recent_dataset("/data/5")
    assert settings.recent_datasets() == [f"/data/{i}" for i in (5, 11, 10, 9, 8, 7, 6, 4, 3, 2)]
    widget = DatasetBrowser(settings)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.dataset_opened, timeout=20000):
        widget.open_dataset(str(ravdess))
    widget.shutdown()
    assert settings.recent_datasets()[:2] == [str(ravdess), "/data/5"]
