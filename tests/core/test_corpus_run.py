"""Corpus analysis: worker processes give the in-process numbers, stream progress, cancel, cache, fail per clip."""

import csv
import dataclasses
import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from servis_gui.core.corpus_cache import CorpusCache
from servis_gui.core.corpus_run import (
    LABEL_COLUMNS, analyse_clips, corpus_table, feature_names, write_definitions_json, write_features_csv,
)
from servis_gui.core.datasets.detect import scan_dataset
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.functionals import feature_specs
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH
from tests.voices import harmonic_voice

SR = 16000
PARAMS = FeatureParams(sr=SR, n_fft=512, hop_length=160, n_mels=40)
EMOTIONS = {"W": (220.0, 0.5), "N": (150.0, 0.25), "T": (110.0, 0.1)}
"""EmoDB letter -> (f0 in Hz, level): anger high and loud, sadness low and quiet."""


def make_emodb_corpus(root: Path, seconds: float = 1.0) -> Path:
    """An EmoDB tree (``wav/03a01Wa.wav`` ...) of synthetic voices: 2 speakers x 2 sentences x 3 emotions."""
    (root / "wav").mkdir(parents=True)
    n = int(seconds * SR)
    voiced = (np.arange(n) > SR // 10) & (np.arange(n) < n - SR // 10)
    for s, speaker in enumerate(("03", "08")):
        for t, sentence in enumerate(("a01", "a02")):
            for letter, (f0, level) in EMOTIONS.items():
                glide = f0 * (1 + 0.5 * s) * (1 + 0.1 * t) * np.linspace(1.0, 1.2, n)
                y = level / 0.2 * harmonic_voice(glide, voiced, SR, noise=1e-3, seed=s + t)
                sf.write(root / "wav" / f"{speaker}{sentence}{letter}a.wav", y, SR, subtype="PCM_16")
    return root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_emodb_corpus(tmp_path_factory.mktemp("emodb"))


@pytest.fixture(scope="module")
def records(corpus) -> tuple[ClipRecord, ...]:
    scan = scan_dataset(corpus)
    assert scan.corpus == "EmoDB" and len(scan.records) == 12
    return scan.records


@pytest.fixture
def cache(tmp_path):
    with CorpusCache(tmp_path / "cache") as opened:
        yield opened


def _analyse(records, **kwargs):
    return analyse_clips(records, PARAMS, DEFAULT_PITCH, **kwargs)


def test_two_workers_give_the_in_process_numbers_bit_for_bit(records):
    here = _analyse(records, jobs=1)
    workers = _analyse(records, jobs=2)
    assert here.names == workers.names == feature_names(PARAMS)
    assert here.values.shape == (12, len(here.names))
    assert here.values.tobytes() == workers.values.tobytes()
    assert here.records == workers.records == records
    assert here.failures == workers.failures == ()
    assert (workers.cached, workers.computed, workers.cancelled) == (0, 12, False)


def test_emotions_differ_by_construction(records):
    result = _analyse(records, jobs=1)
    f0 = result.values[:, result.names.index("f0_hz_p50")]
    level = result.values[:, result.names.index("rms_dbfs")]
    by = {emotion: [i for i, r in enumerate(result.records) if r.emotion == emotion] for emotion in ("angry", "sad")}
    assert np.median(f0[by["angry"]]) > np.median(f0[by["sad"]])
    assert np.median(level[by["angry"]]) > np.median(level[by["sad"]]) + 10


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_is_reported_once_for_every_clip_in_the_calling_thread(records, cache, jobs):
    import threading

    calls = []
    _analyse(records, jobs=jobs, cache=cache,
             progress=lambda done, total, path: calls.append((done, total, path, threading.get_ident())))
    assert [c[0] for c in calls] == list(range(1, 13))
    assert {c[1] for c in calls} == {12}
    assert sorted(c[2] for c in calls) == sorted(r.path for r in records)
    assert {c[3] for c in calls} == {threading.get_ident()}


def test_the_second_run_comes_whole_from_the_cache(records, cache):
    first = _analyse(records, jobs=2, cache=cache)
    again = _analyse(records, jobs=2, cache=cache)
    assert (again.cached, again.computed) == (12, 0)
    assert again.values.tobytes() == first.values.tobytes()
    other = analyse_clips(records, PARAMS, DEFAULT_PITCH.with_changes(floor_hz=75.0), jobs=1, cache=cache)
    assert (other.cached, other.computed) == (0, 12)


def test_a_changed_file_is_recomputed_alone(tmp_path, cache):
    records = scan_dataset(make_emodb_corpus(tmp_path / "emodb", seconds=0.6)).records
    _analyse(records, jobs=1, cache=cache)
    changed = records[4].path
    stat = changed.stat()
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = _analyse(records, jobs=1, cache=cache)
    assert (again.cached, again.computed) == (11, 1)


@pytest.mark.parametrize("jobs", [1, 2])
def test_cancel_stops_early_and_keeps_what_was_computed(records, cache, jobs):
    seen = []
    stopped = _analyse(records, jobs=jobs, cache=cache, progress=lambda done, *_: seen.append(done),
                       cancelled=lambda: len(seen) >= 3)
    assert stopped.cancelled
    kept = len(stopped.records)
    assert 3 <= kept < 12 and stopped.failures == ()
    assert set(stopped.records) < set(records)
    resumed = _analyse(records, jobs=jobs, cache=cache)
    assert (resumed.cached, resumed.computed, resumed.cancelled) == (kept, 12 - kept, False)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_broken_or_missing_file_is_listed_not_fatal(tmp_path, records, cache, jobs):
    broken = tmp_path / "wav" / "03a04Wa.wav"
    broken.parent.mkdir()
    broken.write_bytes(b"these are not the samples you are looking for\n" * 40)
    missing = ClipRecord(tmp_path / "wav" / "03a05Wa.wav", "EmoDB", "angry")
    mixed = (*records[:3], ClipRecord(broken, "EmoDB", "angry"), missing, *records[3:6])
    result = _analyse(mixed, jobs=jobs, cache=cache)
    assert result.records == (*records[:3], *records[3:6])
    assert [path for path, _ in result.failures] == [broken, missing.path]
    assert "03a04Wa.wav contains text, not sound" in result.failures[0][1]
    assert "03a05Wa.wav" in result.failures[1][1]
    again = _analyse(mixed, jobs=jobs, cache=cache)
    assert again.failures == result.failures
    assert (again.cached, again.computed) == (7, 1), "the unreadable file's failure is cached, the missing one not"


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_worker_that_dies_fails_its_clips_and_a_new_pool_does_the_rest(records, cache):
    killed = []

    def kill_a_worker(*_progress) -> None:
        workers = [worker for child in _children(os.getpid()) for worker in _children(child)]
        if not killed and workers:
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])

    result = _analyse(records, jobs=2, cache=cache, progress=kill_a_worker)
    assert killed and not result.cancelled
    assert len(result.records) + len(result.failures) == 12
    assert result.failures and all("stopped unexpectedly" in reason for _, reason in result.failures)
    again = _analyse(records, jobs=2, cache=cache)
    assert (again.computed, again.failures) == (len(result.failures), ())


def test_the_table_has_the_labels_then_exact_numbers_and_blank_nan(records, tmp_path):
    computed = _analyse(records[:2], jobs=1)
    values = computed.values.copy()
    values[0, 0] = np.nan
    result = dataclasses.replace(computed, values=values)
    rows = list(corpus_table(result))
    assert rows[0] == [*LABEL_COLUMNS, *result.names]
    assert rows[1][:5] == [str(records[0].path), records[0].emotion, "03", "male", "a01"]
    cells = rows[1][5:]
    assert cells[0] == ""
    assert np.array_equal([float(cell) if cell else np.nan for cell in cells], values[0], equal_nan=True)
    out = tmp_path / "features.csv"
    write_features_csv(result, out)
    with out.open(newline="", encoding="utf-8") as file:
        assert list(csv.reader(file)) == rows
    assert [p.name for p in tmp_path.iterdir()] == ["features.csv"], "no temporary file left behind"


def test_the_sidecar_documents_every_column(tmp_path):
    specs = feature_specs(PARAMS.n_mels)
    write_definitions_json(specs, tmp_path / "features.json", {"features": {"n_mels": 40}})
    document = json.loads((tmp_path / "features.json").read_text(encoding="utf-8"))
    assert list(document["features"]) == [spec.name for spec in specs]
    assert set(document["label_columns"]) == set(LABEL_COLUMNS)
    assert document["settings"] == {"features": {"n_mels": 40}}
    assert all({"unit", "definition"} <= set(entry) for entry in document["features"].values())
