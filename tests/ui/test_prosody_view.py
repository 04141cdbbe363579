"""Prosody in the panes: the f0 contour on the mel image's first harmonic, gaps where unvoiced,
intensity over the waveform, the Prosody pane (f0 in Hz or semitones) and its toggle, the pitch
settings and the readout."""

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPath

from servis_gui.core.prosody import PitchParams, semitones
from tests.voices import harmonic_voice

SR = 16000


@pytest.fixture
def voice_file(tmp_path):
    """A 2 s voice: 0.8 s at 220 Hz, 0.4 s of silence, 0.8 s at 220 Hz."""
    t = np.arange(2 * SR) / SR
    voiced = (t < 0.8) | (t >= 1.2)
    path = tmp_path / "voice_220.wav"
    sf.write(path, harmonic_voice(np.full_like(t, 220.0), voiced, SR).astype(np.float32), SR)
    return str(path)


def _open_with_prosody(window, qtbot, path: str):
    with qtbot.waitSignal(window.session.prosody_ready, timeout=20000) as blocker:
        window.open_path(path)
    qtbot.wait(50)  # the panes draw in the same event loop turn
    return blocker.args[0]


def _pixel(plot, t: float, y: float) -> QPointF:
    """Where the data point (t, y) of ``plot`` is drawn, in the panes' widget pixels."""
    scene = plot.getViewBox().mapViewToScene(QPointF(t, y))
    return plot.scene().views()[0].mapFromScene(scene)


def _subpaths(curve) -> int:
    path = curve.curve.getPath()
    return sum(path.elementAt(i).type == QPainterPath.ElementType.MoveToElement for i in range(path.elementCount()))


def test_the_f0_contour_lies_on_the_first_harmonic_of_the_mel_image(window, qtbot, voice_file):
    prosody = _open_with_prosody(window, qtbot, voice_file)
    panes, features = window.panes, window.session.analysis.features
    t, y = panes.mel_f0.getData()
    i = int(np.nanargmin(np.abs(t - 0.4)))
    assert np.isfinite(y[i])
    frame = int(round(t[i] / features.frame_seconds))
    low = features.mel_hz < 400  # the first harmonic is the brightest band below the second one
    band = int(np.argmax(np.where(low, features.mel_db[:, frame], -np.inf)))
    curve_row = _pixel(panes.mel, t[i], y[i]).y()
    band_top, band_bottom = _pixel(panes.mel, t[i], band + 1).y(), _pixel(panes.mel, t[i], band).y()
    assert band_top - 1 <= curve_row <= band_bottom + 1
    assert prosody.f0_hz[i] == pytest.approx(220.0, rel=0.02)
    assert panes.mel.getViewBox().sceneBoundingRect().contains(
        panes.mel.getViewBox().mapViewToScene(QPointF(t[i], y[i])))


def test_unvoiced_stretches_are_gaps_in_both_contours(window, qtbot, voice_file):
    _open_with_prosody(window, qtbot, voice_file)
    for curve in (window.panes.mel_f0, window.panes.prosody.f0):
        t, y = curve.getData()
        assert np.all(np.isnan(y[(t > 0.9) & (t < 1.1)]))
        assert np.all(np.isfinite(y[(t > 0.2) & (t < 0.6)]))
        assert _subpaths(curve) >= 2  # drawn as separate pieces, no line across the silence


def test_the_prosody_pane_shows_f0_in_hz_or_semitones_and_intensity_is_over_the_waveform(window, qtbot,
                                                                                           voice_file):
    prosody = _open_with_prosody(window, qtbot, voice_file)
    pane = window.panes.prosody
    _t, hz = pane.f0.getData()
    np.testing.assert_allclose(hz, prosody.f0_hz)
    np.testing.assert_allclose(window.panes.intensity.curve.getData()[1], prosody.intensity_db)
    window.pitch_panel.unit.setCurrentIndex(window.pitch_panel.unit.findData("st"))
    _t, st = pane.f0.getData()
    np.testing.assert_allclose(st, semitones(prosody.f0_hz))
    assert "st re 100 Hz" in pane.plot.getAxis("left").labelText
    low, high = pane.plot.viewRange()[1]
    assert low < semitones(60.0) < semitones(600.0) < high and high - low < 1.1 * (semitones(600.0) - semitones(60.0))
    assert window.settings.f0_unit() == "st"


def test_hiding_the_prosody_pane_gives_its_height_to_the_others(window, qtbot):
    panes = window.panes
    if not panes.prosody.plot.isVisible():
        window.prosody_action.trigger()  # View → Prosody pane, Ctrl+Shift+P
        qtbot.wait(50)
    mel_before = panes.mel.getViewBox().height()
    assert panes.prosody.plot.isVisible() and panes.prosody.plot.getViewBox().height() > 40
    window.prosody_action.trigger()
    qtbot.waitUntil(lambda: panes.mel.getViewBox().height() > mel_before + 20, timeout=3000)
    assert not panes.prosody.plot.isVisible()
    assert not window.pitch_panel.show_pane.isChecked()
    assert window.settings.prosody_pane() is False
    bottom = max(p.sceneBoundingRect().bottom() for p in panes.plots if p.isVisible())
    assert bottom <= panes.viewport().height() + 1


def test_the_prosody_pane_is_on_screen_and_level_with_the_panes(window, qtbot, voice_file):
    _open_with_prosody(window, qtbot, voice_file)
    panes = window.panes
    panes.set_prosody_visible(True)
    qtbot.wait(50)
    viewport = panes.viewport().rect()
    boxes = [panes.mapFromScene(p.getViewBox().sceneBoundingRect()).boundingRect() for p in panes.plots]
    assert all(viewport.contains(box) for box in boxes)
    assert len({(box.left(), box.right()) for box in boxes}) == 1  # one time axis: equal x extents
    axis = panes.mapFromScene(panes.intensity.axis.mapRectToScene(panes.intensity.axis.rect())).boundingRect()
    wave = boxes[0]
    assert viewport.contains(axis) and axis.left() >= wave.right() and axis.top() < wave.bottom()
    intensity_box = panes.mapFromScene(panes.intensity.box.sceneBoundingRect()).boundingRect()
    assert intensity_box == wave  # the intensity is drawn exactly over the waveform


def test_the_prosody_pane_is_hidden_at_first_on_a_short_screen_and_shown_on_a_tall_one(window):
    tall = window.screen().availableGeometry().height() >= 1000
    assert window.panes.prosody.plot.isVisible() is tall
    assert window.pitch_panel.show_pane.isChecked() is tall and window.prosody_action.isChecked() is tall


def test_pitch_settings_apply_live_and_are_remembered(window, qtbot, voice_file):
    _open_with_prosody(window, qtbot, voice_file)
    panel = window.pitch_panel
    with qtbot.waitSignal(window.session.prosody_ready, timeout=20000) as blocker:
        panel.preset.setCurrentIndex(panel.preset.findData("female"))
    assert blocker.args[0].params.floor_hz == 100.0 and blocker.args[0].params.ceiling_hz == 500.0
    with qtbot.waitSignal(window.session.prosody_ready, timeout=20000) as blocker:
        panel.method.setCurrentIndex(panel.method.findData("cc"))
    assert blocker.args[0].params.method == "cc"
    assert window.settings.pitch_params() == PitchParams(floor_hz=100.0, ceiling_hz=500.0, method="cc")
    panel.ceiling.setValue(450)
    assert panel.preset.currentData() == "custom"


def test_a_ceiling_below_the_floor_is_refused_with_a_reason(window, qtbot):
    panel = window.pitch_panel
    panel.floor.setValue(300)
    panel.ceiling.setValue(200)
    qtbot.waitUntil(lambda: "ceiling" in panel.problem.text(), timeout=2000)
    assert window.session.pitch_params.ceiling_hz == 600.0


def test_the_status_bar_reads_f0_semitones_and_intensity_under_the_cursor(window, qtbot, voice_file):
    prosody = _open_with_prosody(window, qtbot, voice_file)
    panes = window.panes
    panes.set_prosody_visible(True)
    qtbot.wait(50)
    panes._on_mouse_moved(panes.mel.getViewBox().mapViewToScene(QPointF(0.4, 10.0)))
    i = int(np.argmin(np.abs(prosody.times - 0.4)))
    text = window.readout.text()
    assert f"f0 {prosody.f0_hz[i]:.0f} Hz ({semitones(prosody.f0_hz[i]):.1f} st)" in text
    assert f"intensity {prosody.intensity_db[i]:.1f} dB" in text
    panes._on_mouse_moved(panes.prosody.plot.getViewBox().mapViewToScene(QPointF(1.0, 200.0)))
    assert "unvoiced" in window.readout.text()


def test_a_clip_too_short_for_pitch_says_so_and_keeps_its_panes(window, qtbot, tone_file):
    path = tone_file("short.wav", seconds=0.08)
    with qtbot.waitSignal(window.session.prosody_failed, timeout=20000) as blocker:
        window.open_path(path)
    assert "0.080 s long" in blocker.args[0]
    assert "No pitch or intensity" in window.statusBar().currentMessage()
    assert window.panes.mel_image.image is not None
    assert len(window.panes.mel_f0.getData()[0] or []) == 0


def test_measurements_behind_another_tab_cost_nothing_and_ctrl_m_brings_them(window, qtbot, voice_file):
    panel = window.measurements
    _open_with_prosody(window, qtbot, voice_file)
    qtbot.wait(500)
    assert panel.current is None and not panel.lane.busy.is_set()  # the Analysis tab is in front
    show = next(a for a in window.actions() if a.text() == "Show &measurements")
    assert show.shortcut().toString() == "Ctrl+M"
    with qtbot.waitSignal(panel.measured, timeout=20000) as measured:
        show.trigger()
    assert measured.args[0].f0_median_hz == pytest.approx(220.0, rel=0.02)
    assert not panel.visibleRegion().isEmpty()


def test_skimming_clips_measures_only_the_one_the_user_stops_at(window, qtbot, voice_file, tone_file):
    panel = window.measurements
    with qtbot.waitSignal(panel.measured, timeout=20000):  # the tab in front: the clip shown is measured
        window.measurements_dock.raise_()
    measured = []
    panel.measured.connect(lambda m: measured.append(panel.session.analysis.clip.identity.path))
    for freq in (150.0, 200.0, 250.0):
        with qtbot.waitSignal(window.session.analysis_ready, timeout=20000):
            window.open_path(tone_file(f"t{freq:.0f}.wav", freq=freq))
        qtbot.wait(60)  # faster than a clip is measured (300 ms)
    with qtbot.waitSignal(panel.measured, timeout=20000):
        window.open_path(voice_file)
    qtbot.wait(100)
    assert measured == [window.session.analysis.clip.identity.path]
