"""The f0 row and the prosody summary of the comparison grid: voices with a known pitch, demo clips."""

import csv

import numpy as np
import pytest
import soundfile as sf

from servis_gui.core.prosody import Prosody
from servis_gui.ui.compare_canvas import F0_LABELS
from servis_gui.ui.plot_helpers import F0_PEN, mel_row
from tests.ui.test_compare_layout import EIGHT, TWELVE, figure_rect, on_canvas, open_group, rgb, visible_part

SR = 16000
MIN_F0_PX = 50
"""An f0 row lower than this shows no contour worth reading."""


def voice(path, f0: float, gap: tuple[float, float] = (0.5, 0.8), seconds: float = 1.3) -> str:
    """A harmonic tone at ``f0`` Hz (five harmonics), silent between ``gap`` seconds."""
    t = np.arange(round(SR * seconds)) / SR
    tone = sum(np.sin(2 * np.pi * k * f0 * t) / k for k in range(1, 6))
    tone[(t >= gap[0]) & (t < gap[1])] = 0.0
    sf.write(path, (0.3 * tone).astype(np.float32), SR)
    return str(path)


def wait_for_prosody(view, qtbot, n: int) -> list:
    qtbot.waitUntil(lambda: len(view.grid.prosody) == n and None not in view.grid.prosody, timeout=30000)
    return view.grid.prosody


@pytest.fixture
def voices(window, qtbot, tmp_path):
    """The grid of a 150 Hz and a 300 Hz voice, their prosody drawn."""
    window.resize(1366, 768)
    view = window.compare
    window.compare_paths([voice(tmp_path / "low.wav", 150.0), voice(tmp_path / "high.wav", 300.0)])
    wait_for_prosody(view, qtbot, 2)
    return view


def finite_y(curve) -> np.ndarray:
    y = curve.yData
    return y[np.isfinite(y)]


def test_each_contour_lies_at_its_voice_pitch_with_a_gap_where_silent(voices):
    grid = voices.grid
    for curve, prosody, f0 in zip(grid.f0_curves, grid.prosody, (150.0, 300.0)):
        assert isinstance(prosody, Prosody)
        assert np.median(finite_y(curve)) == pytest.approx(f0, rel=0.03)
        x, y = curve.xData, curve.yData
        silent = (x > 0.55) & (x < 0.75)
        assert silent.any() and np.isnan(y[silent]).all()  # a gap, not a line down to 0
        assert np.isfinite(y[(x > 0.1) & (x < 0.4)]).all()
        assert not (y == 0).any()


def test_every_column_shares_one_f0_range_that_holds_both_voices(voices):
    grid = voices.grid
    ranges = {tuple(np.round(plots["f0"].viewRange()[1], 6)) for plots in grid.plots}
    assert len(ranges) == 1
    low, high = ranges.pop()
    assert low < 150.0 * 0.97 and high > 300.0 * 1.03
    assert high < 600.0 and low > 60.0  # not the pitch floor to ceiling: the voices fill the row
    assert all(plots["f0"].getAxis("left").labelText == "f0 (Hz)" for plots in grid.plots)


def test_semitone_switch_changes_axis_and_values_and_is_remembered(voices, settings):
    grid, combo = voices.grid, voices.f0_unit
    hz_range = grid.plots[0]["f0"].viewRange()[1]
    combo.setCurrentIndex(combo.findData("st"))
    for curve, f0 in zip(grid.f0_curves, (150.0, 300.0)):
        assert np.median(finite_y(curve)) == pytest.approx(12 * np.log2(f0 / 100), abs=0.4)
    for plots in grid.plots:
        assert plots["f0"].getAxis("left").labelText in F0_LABELS["st"] == ("f0 (st re 100 Hz)", "f0 (st)")
        assert plots["f0"].viewRange()[1] == pytest.approx(12 * np.log2(np.array(hz_range) / 100), abs=1e-6)
    assert settings.compare_options()["f0"] == "st"
    voices.layout_mode.setCurrentIndex(voices.layout_mode.findData("rows"))  # a redraw keeps the unit
    assert np.median(finite_y(grid.f0_curves[1])) == pytest.approx(12 * np.log2(3), abs=0.4)
    assert grid.plots[0]["f0"].getAxis("left").labelText == "f0 (st re 100 Hz)"  # a high row: in full


def label_fits(axis) -> bool:
    """The rotated axis label is no longer than its axis is high (it spills into no other row)."""
    return axis.label.isVisible() and axis.label.boundingRect().width() <= axis.size().height() + 1


def summary_column(view, col: int) -> dict[str, tuple[str, str]]:
    table = view.summary
    return {table.verticalHeaderItem(r).text(): (table.item(r, col).text(), table.item(r, col).toolTip())
            for r in range(table.rowCount())}


def test_summary_shows_numpy_figures_of_the_prosody(voices):
    for col, prosody in enumerate(voices.grid.prosody):
        f0 = prosody.f0_hz[prosody.voiced]
        st = 12 * np.log2(f0 / 100)
        shown = summary_column(voices, col)
        assert shown["median f0"][0] == f"{np.median(f0):.0f} Hz ({np.median(st):.1f} st)"
        assert shown["f0 range"][0] == f"{np.percentile(st, 95) - np.percentile(st, 5):.1f} st"
        mean_db = 10 * np.log10(np.mean(10 ** (prosody.intensity_db / 10)))
        assert shown["intensity"][0] == f"{mean_db:.1f} dB"


def test_a_silent_clip_gets_a_dash_with_the_reason_and_a_note(window, qtbot, tmp_path):
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(SR, dtype=np.float32), SR)
    view = window.compare
    window.compare_paths([voice(tmp_path / "low.wav", 150.0), str(silent)])
    reasons = wait_for_prosody(view, qtbot, 2)
    assert isinstance(reasons[1], str) and "silent" in reasons[1]
    shown = summary_column(view, 1)
    assert shown["median f0"] == ("—", reasons[1]) and shown["intensity"][0] == "—"
    assert summary_column(view, 0)["median f0"][0].endswith("st)")
    notes = [c.f0_note for c in view.grid.canvas.used]
    assert notes[1].isVisible() and notes[1].toolTip() == reasons[1] and not notes[0].isVisible()


def test_the_summary_waits_for_prosody_then_fills(window, qtbot):
    view = window.compare
    drawn = []  # what the grid shows as it is drawn (the window's handler ran just before)

    def look(_pairs) -> None:
        drawn.append([(p is None, summary_column(view, col)["median f0"][0],
                       view.grid.f0_curves[col].yData is None or not len(view.grid.f0_curves[col].yData))
                      for col, p in enumerate(view.grid.prosody)])

    window.session.group_ready.connect(look)
    with qtbot.waitSignal(window.session.group_ready, timeout=30000):
        window.compare_paths(EIGHT[:3])
    assert any(waiting for waiting, _text, _empty in drawn[0])  # the grid is drawn first
    for waiting, text, empty in drawn[0]:
        assert (text == "…") == waiting
        assert empty == waiting
    wait_for_prosody(view, qtbot, 3)
    assert all(summary_column(view, col)["median f0"][0].endswith("st)") for col in range(3))


@pytest.mark.parametrize("paths", [EIGHT, TWELVE], ids=["8 clips", "12 clips"])
def test_f0_rows_are_visible_and_drawn_at_first_use(window, qtbot, paths):
    grid = open_group(window, qtbot, paths)
    wait_for_prosody(window.compare, qtbot, len(paths))
    bar = grid.scroll.horizontalScrollBar()
    for i, plots in enumerate(grid.plots):
        bar.setValue(min(bar.maximum(), round(on_canvas(grid, plots["f0"].getViewBox()).left())))
        qtbot.wait(5)
        rect = on_canvas(grid, plots["f0"].getViewBox())
        assert rect.height() >= MIN_F0_PX
        seen = visible_part(grid, rect)
        assert seen.height() >= rect.height() - 1 and seen.width() >= rect.width() - 1, i
        assert np.isfinite(grid.f0_curves[i].yData).sum() > 10  # demo voices are voiced
        mel = on_canvas(grid, plots["mel"].getViewBox())
        assert rect.bottom() <= mel.top() and on_canvas(grid, plots["waveform"].getViewBox()).bottom() <= rect.top()
    for unit in ("st", "Hz"):
        window.compare.f0_unit.setCurrentIndex(window.compare.f0_unit.findData(unit))
        assert all(label_fits(plots["f0"].getAxis("left")) for plots in grid.plots), unit


def test_exports_hold_the_f0_row_and_the_tracks(voices, tmp_path):
    from servis_gui.core.prosody_export import TRACK_COLUMNS
    from servis_gui.ui.compare_export import export_data, export_png

    grid = voices.grid
    figure = figure_rect(grid)
    image = export_png(grid, tmp_path / "grid.png", round(figure.width()), round(figure.height()))
    pixels = rgb(image).astype(int)
    ink = np.array(F0_PEN.color().getRgb()[:3])
    for plots in grid.plots:
        view = plots["f0"].getViewBox().sceneBoundingRect()  # the figure at scale 1
        box = pixels[round(view.top()): round(view.bottom()), round(view.left()): round(view.right())]
        assert (np.abs(box - ink).sum(axis=2) < 60).sum() > 20  # the contour is in the figure
    files = export_data(grid, tmp_path / "data")
    for i, prosody in enumerate(grid.prosody):
        track = next(f for f in files if f.name.startswith(f"{i + 1:02d}_") and f.name.endswith("_prosody.csv"))
        with open(track, newline="") as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == TRACK_COLUMNS and len(rows) == len(prosody.times) + 1
        f0 = np.array([float(r[1]) if r[1] else np.nan for r in rows[1:]])
        assert np.array_equal(np.isnan(f0), ~prosody.voiced)
        assert np.allclose(f0[prosody.voiced], prosody.f0_hz[prosody.voiced], atol=0.01)
        st = np.array([float(r[2]) for r in rows[1:] if r[2]])
        assert np.allclose(st, 12 * np.log2(prosody.f0_hz[prosody.voiced] / 100), atol=1e-3)
        assert np.allclose([float(r[4]) for r in rows[1:]], prosody.intensity_db, atol=0.01)
    with open(tmp_path / "data" / "summary.csv", newline="") as handle:
        summary = list(csv.DictReader(handle))
    f0 = grid.prosody[1].f0_hz[grid.prosody[1].voiced]
    assert float(summary[1]["median_f0_hz"]) == pytest.approx(np.median(f0), abs=0.01)


def test_a_low_grid_folds_the_f0_row_and_keeps_the_contour_over_every_mel(voices, window, qtbot):
    grid = voices.grid
    canvas = grid.canvas
    window.resize(1366, 430)  # a laptop at 200 %: the grid gets ~300 px
    qtbot.waitUntil(lambda: canvas.compact, timeout=3000)
    qtbot.wait(50)
    assert all(not plots["f0"].isVisible() for plots in grid.plots)
    heights = {name: grid.plots[0][name].getViewBox().height() for name in ("waveform", "f0", "mel", "mfcc")}
    assert heights["f0"] <= 1  # folded: waveform, mel and MFCC share the height 2:3:3
    assert heights["mel"] / (heights["waveform"] + heights["mel"] + heights["mfcc"]) == pytest.approx(3 / 8, abs=0.04)
    for column, f0 in zip(canvas.used, (150.0, 300.0)):
        x, y = column.mel_f0.getData()
        assert np.nanmedian(y) == pytest.approx(float(mel_row(f0, column.mel_hz)), abs=0.6)
        assert np.isnan(y[(x > 0.55) & (x < 0.75)]).all()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: not canvas.compact, timeout=3000)
    qtbot.wait(50)
    assert all(plots["f0"].isVisible() and plots["f0"].getViewBox().height() >= MIN_F0_PX for plots in grid.plots)
