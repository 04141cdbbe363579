"""The Measurements panel (servis_gui.ui.measurements) on a real Session, offscreen."""

import csv

import numpy as np
import parselmouth
import pytest
import soundfile as sf
from parselmouth.praat import call
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams
from servis_gui.core.prosody_export import TRACK_COLUMNS, format_value, measurements_text
from servis_gui.core.voice_report import measurements
from servis_gui.session import Session
from servis_gui.ui import measurements as panel_module
from servis_gui.ui.measurements import MeasurementsPanel
from tests.conftest import DEMO

CLIP = DEMO / "f3_dogs_disgust.flac"  # 2.93 s of speech
SR = 16000
WAIT_MS = 20000


@pytest.fixture
def session():
    session = Session(FeatureParams())
    yield session
    session.shutdown()


@pytest.fixture
def panel(qtbot, session, settings):
    """The panel as the main window's dock holds it: 330 x 420, shown."""
    panel = MeasurementsPanel(session, settings)
    qtbot.addWidget(panel)
    panel.resize(330, 420)
    yield panel
    panel.shutdown()


@pytest.fixture
def voice_then_silence(tmp_path):
    """1 s of a 150 Hz voice, then 1 s of digital silence."""
    t = np.arange(SR) / SR
    voice = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 20))
    path = tmp_path / "voice then silence.wav"
    sf.write(path, np.concatenate([0.2 * voice, np.zeros(SR)]).astype(np.float32), SR)
    return str(path)


def _open(qtbot, panel, path) -> None:
    with qtbot.waitSignal(panel.measured, timeout=WAIT_MS):
        panel.session.open_clip(str(path))


def _shown_values(panel) -> list[str]:
    return [panel.table.item(row, 1).text() for row in range(panel.table.rowCount())]


def _praat(clip, params, t0, t1) -> dict[str, float]:
    """Praat's own voice-report queries on the clip's samples, through parselmouth.praat.call."""
    sound = parselmouth.Sound(clip.samples.astype(np.float64), sampling_frequency=clip.sr)
    pitch = sound.to_pitch_ac(time_step=params.time_step, pitch_floor=params.floor_hz, pitch_ceiling=params.ceiling_hz)
    points = call(sound, "To PointProcess (periodic, cc)", params.floor_hz, params.ceiling_hz)
    harmonicity = sound.to_harmonicity_cc(time_step=0.01, minimum_pitch=params.floor_hz, silence_threshold=0.1,
                                          periods_per_window=1.0)
    return {"median": call(pitch, "Get quantile", t0, t1, 0.5, "Hertz"),
            "jitter": call(points, "Get jitter (local)", t0, t1, 0.0001, 0.02, 1.3),
            "hnr": call(harmonicity, "Get mean", t0, t1)}


@pytest.mark.parametrize("selection", [None, (0.52, 1.3)])
def test_table_shows_praats_voice_report_for_the_clip_and_the_selection(qtbot, panel, selection):
    panel.show()
    _open(qtbot, panel, CLIP)
    if selection is not None:
        with qtbot.waitSignal(panel.measured, timeout=WAIT_MS):  # a new selection is measured again
            panel.session.set_selection(selection)
    analysis = panel.session.analysis
    params = panel.session.pitch_params_for(analysis)
    t0, t1 = selection or (0.0, analysis.clip.duration)
    expected = measurements(analysis.clip, params, *(selection or (None, None)))
    assert panel.range_label.text() == ("Whole clip, 0.00–2.93 s" if selection is None else "Selection 0.52–1.30 s")
    assert panel.current == expected
    assert _shown_values(panel) == [format_value(value, unit) for _, value, unit in expected.as_rows()]
    praat = _praat(analysis.clip, params, t0, t1)
    assert (panel.current.f0_median_hz, panel.current.jitter_local, panel.current.hnr_db) == (
        praat["median"], praat["jitter"], praat["hnr"])
    shown = dict(zip([panel.table.item(r, 0).text() + panel.table.item(r, 2).text()
                      for r in range(panel.table.rowCount())], _shown_values(panel)))
    assert shown["F0 medianHz"] == f"{praat['median']:.1f}"
    assert shown["Jitter (local)%"] == f"{100 * praat['jitter']:.2f}"
    assert shown["HNRdB"] == f"{praat['hnr']:.1f}"
    assert panel.status_label.isHidden() and panel.busy_label.isHidden() and panel.table.isEnabled()


def test_selection_and_pitch_changes_are_measured_again_back_to_the_whole_clip(qtbot, panel):
    panel.show()
    _open(qtbot, panel, CLIP)
    whole = panel.current
    with qtbot.waitSignal(panel.measured, timeout=WAIT_MS):
        panel.session.set_selection((1.0, 2.0))
    assert (panel.current.start, panel.current.end) == (1.0, 2.0)
    with qtbot.waitSignal(panel.measured, timeout=WAIT_MS):
        panel.session.set_pitch_params(PitchParams(floor_hz=75.0, ceiling_hz=500.0, method="cc"))
    assert panel.current.params.floor_hz == 75.0 and panel.current.params.method == "cc"
    assert panel.pitch_label.text().startswith("Pitch 75–500 Hz, cross-correlation")
    with qtbot.waitSignal(panel.measured, timeout=WAIT_MS):
        panel.session.set_selection(None)
    assert panel.range_label.text().startswith("Whole clip")
    assert panel.current.duration == whole.duration and panel.current.params != whole.params


def test_a_hidden_panel_measures_nothing_until_it_is_shown(qtbot, panel, monkeypatch):
    calls = []

    def counted(*args):
        calls.append(args[2:])
        return measurements(*args)

    monkeypatch.setattr(panel_module, "measurements", counted)
    with qtbot.waitSignal(panel.session.prosody_ready, timeout=WAIT_MS):
        panel.session.open_clip(str(CLIP))
    panel.session.set_selection((0.5, 1.5))
    qtbot.wait(3 * panel_module.SETTLE_MS)
    assert calls == [] and panel.current is None
    with qtbot.waitSignal(panel.measured, timeout=WAIT_MS):
        panel.show()
    assert calls == [(0.5, 1.5)]
    panel.hide()  # a dock tabbed behind another
    panel.session.set_selection((0.2, 0.9))
    qtbot.wait(3 * panel_module.SETTLE_MS)
    assert len(calls) == 1 and not panel.busy_label.isHidden() and not panel.table.isEnabled()
    with qtbot.waitSignal(panel.measured, timeout=WAIT_MS):
        panel.show()
    assert calls[-1] == (0.2, 0.9) and panel.range_label.text() == "Selection 0.20–0.90 s"
    panel.hide()
    panel.show()  # nothing changed: nothing to measure again
    qtbot.wait(3 * panel_module.SETTLE_MS)
    assert len(calls) == 2


def test_copy_button_and_ctrl_c_put_the_table_on_the_clipboard(qtbot, panel):
    panel.show()
    _open(qtbot, panel, CLIP)
    clipboard = QGuiApplication.clipboard()
    expected = measurements_text(panel.current, str(CLIP.resolve()))
    clipboard.clear()
    panel.copy_button.click()
    assert clipboard.text() == expected
    lines = expected.splitlines()
    assert lines[0].startswith(f"{CLIP.resolve()}\t0.000–2.932 s\tpitch 60–600 Hz, autocorrelation")
    assert lines[1] == "Measure\tValue\tUnit" and len(lines) == 2 + panel.table.rowCount()
    clipboard.clear()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == expected


def test_a_silent_clip_and_an_unvoiced_selection_show_the_plain_error(qtbot, panel, tmp_path, voice_then_silence):
    panel.show()
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(SR, np.float32), SR)
    with qtbot.waitSignal(panel.failed, timeout=WAIT_MS) as failed:
        panel.session.open_clip(str(silent))
    assert failed.args[0] == "This clip is silent: it has no pitch or intensity to show."
    assert panel.status_label.text() == failed.args[0] and panel.status_label.isVisible()
    assert panel.table.rowCount() == 0 and not panel.copy_button.isEnabled() and not panel.csv_button.isEnabled()
    _open(qtbot, panel, voice_then_silence)
    assert panel.table.rowCount() == len(panel.current.as_rows()) and panel.copy_button.isEnabled()
    with qtbot.waitSignal(panel.failed, timeout=WAIT_MS) as failed:
        panel.session.set_selection((1.3, 1.9))
    assert failed.args[0].startswith("No voiced speech was found between 1.30 s and 1.90 s")
    assert panel.status_label.text() == failed.args[0]


def test_exports_write_csv_next_to_the_clip_and_report_a_folder_that_cannot_be_written(
        qtbot, panel, monkeypatch, tmp_path, voice_then_silence):
    panel.show()
    _open(qtbot, panel, voice_then_silence)
    if panel.session.prosody is None:
        qtbot.waitSignal(panel.session.prosody_ready, timeout=WAIT_MS).wait()
    asked = []

    def save_as(parent, title, start, filters):
        asked.append(start)
        return answers.pop(0), filters

    monkeypatch.setattr(panel_module.QFileDialog, "getSaveFileName", save_as)
    answers = [str(tmp_path / "out" / "m"), str(tmp_path / "gone" / "t.csv")]
    (tmp_path / "out").mkdir()
    panel.csv_button.click()
    assert asked[0] == str(tmp_path / "voice then silence_measurements.csv")  # next to the clip
    with open(tmp_path / "out" / "m.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["measure", "value", "unit"] and rows[1] == ["file", voice_then_silence, ""]
    assert len(rows) == 1 + 7 + len(panel.current.as_rows())
    assert panel.message.text() == f"Saved {tmp_path / 'out' / 'm.csv'}"
    panel.tracks_button.click()  # a folder that does not exist: a message, no crash
    assert asked[1] == str(tmp_path / "out" / "voice then silence_tracks.csv")  # the last export folder
    assert panel.message.kind == "error"
    assert panel.message.text() == "Could not save t.csv: its folder does not exist."
    answers.append(str(tmp_path / "out" / "t.csv"))
    panel.tracks_button.click()
    with open(tmp_path / "out" / "t.csv", newline="", encoding="utf-8") as file:
        tracks = list(csv.reader(file))
    assert tuple(tracks[0]) == TRACK_COLUMNS and len(tracks) == 1 + len(panel.session.prosody.times)
    assert panel.settings.export_dir() == str(tmp_path / "out")  # remembered for the next run


def test_every_label_and_value_is_readable_in_a_narrow_dock(qtbot, panel):
    panel.show()
    _open(qtbot, panel, CLIP)
    qtbot.wait(50)
    table, header = panel.table, panel.table.horizontalHeader()
    metrics = table.fontMetrics()
    padding = 2 * table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 2
    for column in range(3):
        widest = max(metrics.horizontalAdvance(table.item(row, column).text()) for row in range(table.rowCount()))
        assert header.sectionSize(column) >= widest + padding, (column, header.sectionSize(column), widest)
    assert header.length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    rows_height = [table.rowHeight(row) for row in range(table.rowCount())]
    assert min(rows_height) >= metrics.height()
    for button in (panel.copy_button, panel.csv_button, panel.tracks_button):
        assert button.width() >= button.sizeHint().width(), button.text()
    for label in (panel.range_label, panel.pitch_label):
        assert label.width() <= panel.width() and label.height() >= label.heightForWidth(label.width())
