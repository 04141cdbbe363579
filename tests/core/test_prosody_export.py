"""Measurements and prosody tracks as CSV and clipboard text (servis_gui.core.prosody_export), no display."""

import csv
import dataclasses
import os

import numpy as np
import pytest

from servis_gui.core.clip import Clip, FileIdentity
from servis_gui.core.prosody import PitchParams, compute_prosody
from servis_gui.core.prosody_export import (
    MEASUREMENT_COLUMNS,
    TRACK_COLUMNS,
    ExportError,
    format_value,
    measurements_text,
    pitch_summary,
    suggested_name,
    write_measurements_csv,
    write_tracks_csv,
)
from servis_gui.core.voice_report import measurements

SR = 16000
PARAMS = PitchParams(method="cc").aligned_to(160, SR)
CLIP_PATH = "/data/speaker 1/angry, take 2.wav"  # a comma and a space: CSV quoting must hold


@pytest.fixture(scope="module")
def clip() -> Clip:
    """1.5 s: 250 ms of a 150-190 Hz voice, then 250 ms of near silence, three times over."""
    t = np.arange(int(1.5 * SR)) / SR
    f0 = 170.0 + 20.0 * np.sin(2 * np.pi * 0.9 * t)
    phase = 2 * np.pi * np.cumsum(f0) / SR
    y = sum(np.sin(k * phase) / k for k in range(1, 20))
    on = np.convolve(((t % 0.5) < 0.25).astype(float), np.ones(160) / 160, mode="same")
    y = 0.2 * y * on + 1e-4 * np.random.default_rng(1).standard_normal(len(t))
    return Clip(y.astype(np.float32), SR, FileIdentity(CLIP_PATH, 0, 0), SR, 1)


def _read(path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        rows = list(reader)
    return reader.fieldnames, rows


def test_measurements_csv_reads_back_to_the_same_numbers(clip, tmp_path):
    m = measurements(clip, PARAMS, start=0.1, end=1.2)
    path = tmp_path / "m.csv"
    write_measurements_csv(m, CLIP_PATH, path)
    columns, rows = _read(path)
    assert tuple(columns) == MEASUREMENT_COLUMNS
    context = {row["measure"]: (row["value"], row["unit"]) for row in rows[:7]}
    assert context == {"file": (CLIP_PATH, ""), "start": ("0.1", "s"), "end": ("1.2", "s"),
                       "pitch floor": ("60.0", "Hz"), "pitch ceiling": ("600.0", "Hz"),
                       "pitch method": ("cc", ""), "pitch time step": ("0.01", "s")}
    body = rows[7:]
    assert [(r["measure"], r["unit"]) for r in body] == [(label, unit) for label, _, unit in m.as_rows()]
    for row, (_, value, _) in zip(body, m.as_rows()):
        assert float(row["value"]) == value  # full precision: the same float
    # (measure, unit) names each row once: Hz and semitone rows share their labels.
    assert len({(r["measure"], r["unit"]) for r in rows}) == len(rows)


def test_a_value_praat_does_not_give_is_an_empty_cell(clip, tmp_path):
    m = dataclasses.replace(measurements(clip, PARAMS), jitter_local=None, shimmer_local=None)
    write_measurements_csv(m, CLIP_PATH, tmp_path / "m.csv")
    _, rows = _read(tmp_path / "m.csv")
    values = {r["measure"]: r["value"] for r in rows}
    assert values["Jitter (local)"] == "" and values["Shimmer (local)"] == ""
    assert float(values["HNR (Harmonicity cc, mean)"]) == m.hnr_db


def test_tracks_csv_reads_back_to_the_prosody_arrays_with_unvoiced_f0_empty(clip, tmp_path):
    prosody = compute_prosody(clip, PARAMS)
    assert prosody.voiced.any() and not prosody.voiced.all()
    path = tmp_path / "tracks.csv"
    write_tracks_csv(prosody, path)
    columns, rows = _read(path)
    assert tuple(columns) == TRACK_COLUMNS == ("time_s", "f0_hz", "f0_semitones", "voiced", "intensity_db")
    assert len(rows) == len(prosody.times)

    def column(name: str) -> np.ndarray:
        return np.array([float(r[name]) if r[name] else np.nan for r in rows])

    np.testing.assert_array_equal(column("time_s"), prosody.times)
    np.testing.assert_array_equal(column("f0_hz"), prosody.f0_hz)  # NaN (empty) exactly where unvoiced
    np.testing.assert_array_equal(column("f0_semitones"), prosody.f0_semitones)
    np.testing.assert_array_equal(column("intensity_db"), prosody.intensity_db)
    np.testing.assert_array_equal([r["voiced"] for r in rows], np.where(prosody.voiced, "1", "0"))
    unvoiced = [r for r, v in zip(rows, prosody.voiced) if not v]
    assert all(r["f0_hz"] == "" and r["f0_semitones"] == "" for r in unvoiced)


def test_clipboard_text_names_the_file_range_and_pitch_settings(clip):
    m = dataclasses.replace(measurements(clip, PARAMS, start=0.25, end=1.0), jitter_local=None)
    lines = measurements_text(m, CLIP_PATH).splitlines()
    assert lines[0] == f"{CLIP_PATH}\t0.250–1.000 s\tpitch 60–600 Hz, cross-correlation, 10 ms steps"
    assert lines[1] == "Measure\tValue\tUnit"
    cells = [line.split("\t") for line in lines[2:]]
    assert len(cells) == len(m.as_rows()) and all(len(c) == 3 for c in cells)
    assert cells[0] == ["Duration", "0.750", "s"]
    assert cells[1] == ["F0 median", f"{m.f0_median_hz:.1f}", "Hz"]
    assert ["Jitter (local)", "", "%"] in cells


def test_formatting_by_unit():
    assert format_value(165.0586, "Hz") == "165.1"
    assert format_value(8.6757, "st re 100 Hz") == "8.68"
    assert format_value(0.66305, "%") == "0.66"
    assert format_value(2.9315, "s") == "2.932"
    assert format_value(None, "dB") == "—"
    assert format_value(None, "dB", missing="") == ""
    assert format_value(12345.6, "furlongs") == "1.23e+04"
    assert pitch_summary(PitchParams()) == "60–600 Hz, autocorrelation, 10 ms steps"


def test_suggested_names():
    assert suggested_name(CLIP_PATH, "measurements") == "angry, take 2_measurements.csv"
    assert suggested_name("/x/a.flac", "measurements", (0.5213, 1.3)) == "a_0.52-1.30s_measurements.csv"
    assert suggested_name("/x/a.flac", "tracks") == "a_tracks.csv"


def test_writing_where_it_cannot_is_a_plain_error(clip, tmp_path):
    prosody = compute_prosody(clip, PARAMS)
    with pytest.raises(ExportError, match=r"^Could not save t\.csv: its folder does not exist\.$") as err:
        write_tracks_csv(prosody, tmp_path / "gone" / "t.csv")
    assert str(tmp_path / "gone" / "t.csv") in err.value.details
    (tmp_path / "t.csv").mkdir()
    with pytest.raises(ExportError, match=r"^Could not save t\.csv: a folder already has that name\.$"):
        write_tracks_csv(prosody, tmp_path / "t.csv")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_plain_error(clip, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(ExportError, match="you do not have permission to write in that folder"):
            write_measurements_csv(measurements(clip, PARAMS), CLIP_PATH, locked / "m.csv")
    finally:
        locked.chmod(0o755)
