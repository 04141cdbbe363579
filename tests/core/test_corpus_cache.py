"""The on-disk feature cache: round trip, what invalidates an entry, failures, bulk reads, crash safety."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

from servis_gui.core import corpus_cache
from servis_gui.core.clip import FileIdentity
from servis_gui.core.corpus_cache import (
    CACHE_FILE, CachedClip, CorpusCache, columns_digest, settings_digest, settings_record,
)
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH

NAMES = ("f0_semitone_mean", "rms_dbfs", "mel001_mean")
SETTINGS = settings_digest(FeatureParams(), DEFAULT_PITCH)
COLUMNS = columns_digest(NAMES)


@pytest.fixture
def cache(tmp_path):
    with CorpusCache(tmp_path) as opened:
        yield opened


def _identity(name: str, size: int = 1000, mtime_ns: int = 1) -> FileIdentity:
    return FileIdentity(f"/corpus/{name}.wav", size, mtime_ns)


def test_vectors_come_back_bit_for_bit_with_nan(cache):
    values = np.array([np.pi, np.nan, -1e-300])
    cache.store([(_identity("a"), CachedClip(values))], SETTINGS, COLUMNS)
    hit = cache.lookup([_identity("a"), _identity("b")], SETTINGS, COLUMNS)
    assert list(hit) == ["/corpus/a.wav"]
    assert hit["/corpus/a.wav"].values.tobytes() == values.tobytes()
    assert not hit["/corpus/a.wav"].failed


def test_entries_survive_closing_and_reopening(tmp_path):
    with CorpusCache(tmp_path) as first:
        first.store([(_identity("a"), CachedClip(np.ones(3)))], SETTINGS, COLUMNS)
    with CorpusCache(tmp_path) as second:
        assert second.lookup([_identity("a")], SETTINGS, COLUMNS)["/corpus/a.wav"].values.tolist() == [1, 1, 1]
    assert (tmp_path / CACHE_FILE).is_file()


@pytest.mark.parametrize("changed", [
    settings_digest(FeatureParams(n_mels=64), DEFAULT_PITCH),
    settings_digest(FeatureParams(), DEFAULT_PITCH.with_changes(floor_hz=75.0)),
    settings_digest(FeatureParams(), DEFAULT_PITCH.with_changes(method="cc")),
    settings_digest(FeatureParams(sr=22050), DEFAULT_PITCH),
])
def test_other_settings_miss(cache, changed):
    cache.store([(_identity("a"), CachedClip(np.ones(3)))], SETTINGS, COLUMNS)
    assert changed != SETTINGS
    assert cache.lookup([_identity("a")], changed, COLUMNS) == {}


def test_a_new_feature_version_misses(cache, monkeypatch):
    cache.store([(_identity("a"), CachedClip(np.ones(3)))], SETTINGS, COLUMNS)
    monkeypatch.setattr(corpus_cache, "FEATURES_VERSION", corpus_cache.FEATURES_VERSION + 1)
    newer = settings_digest(FeatureParams(), DEFAULT_PITCH)
    assert newer != SETTINGS
    assert settings_record(FeatureParams(), DEFAULT_PITCH)["features_version"] == corpus_cache.FEATURES_VERSION
    assert cache.lookup([_identity("a")], newer, COLUMNS) == {}


def test_other_column_names_miss(cache):
    cache.store([(_identity("a"), CachedClip(np.ones(3)))], SETTINGS, COLUMNS)
    assert cache.lookup([_identity("a")], SETTINGS, columns_digest(NAMES[:2])) == {}


@pytest.mark.parametrize("now", [_identity("a", size=1001), _identity("a", mtime_ns=2)])
def test_a_changed_file_misses_and_its_new_entry_replaces_the_old(cache, now):
    cache.store([(_identity("a"), CachedClip(np.ones(3)))], SETTINGS, COLUMNS)
    assert cache.lookup([now], SETTINGS, COLUMNS) == {}
    cache.store([(now, CachedClip(np.zeros(3)))], SETTINGS, COLUMNS)
    assert cache.lookup([now], SETTINGS, COLUMNS)["/corpus/a.wav"].values.tolist() == [0, 0, 0]
    assert cache.lookup([_identity("a")], SETTINGS, COLUMNS) == {}


def test_failures_are_cached_with_their_message_until_the_file_changes(cache):
    cache.store([(_identity("bad"), CachedClip(None, "bad.wav is empty (0 bytes)"))], SETTINGS, COLUMNS)
    hit = cache.lookup([_identity("bad")], SETTINGS, COLUMNS)["/corpus/bad.wav"]
    assert hit.failed and hit.values is None and hit.error == "bad.wav is empty (0 bytes)"
    assert cache.lookup([_identity("bad", mtime_ns=5)], SETTINGS, COLUMNS) == {}


def test_a_thousand_entries_are_read_in_one_bulk_lookup_well_under_a_second(cache):
    identities = [_identity(f"clip{i:04d}") for i in range(1000)]
    vectors = np.random.default_rng(0).standard_normal((1000, 300))
    cache.store(zip(identities, (CachedClip(row) for row in vectors)), SETTINGS, COLUMNS)
    start = time.perf_counter()
    hits = cache.lookup(identities, SETTINGS, COLUMNS)
    elapsed = time.perf_counter() - start
    assert len(hits) == 1000
    assert np.array_equal(np.stack([hits[i.path].values for i in identities]), vectors)
    assert elapsed < 0.5, f"bulk lookup of 1,000 entries took {elapsed:.3f} s"


def test_a_file_that_is_not_a_database_is_rebuilt(tmp_path):
    (tmp_path / CACHE_FILE).write_bytes(b"this is not SQLite" * 100)
    with CorpusCache(tmp_path) as rebuilt:
        rebuilt.store([(_identity("a"), CachedClip(np.ones(3)))], SETTINGS, COLUMNS)
        assert len(rebuilt.lookup([_identity("a")], SETTINGS, COLUMNS)) == 1


def test_the_default_folder_is_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert corpus_cache.default_cache_folder() == tmp_path / "xdg" / "SERVIS"


WRITER = """
import sys
import numpy as np
from servis_gui.core.clip import FileIdentity
from servis_gui.core.corpus_cache import CachedClip, CorpusCache
cache = CorpusCache(sys.argv[1])
batch = 0
while True:
    vector = np.arange(4000, dtype=np.float64) + batch
    cache.store([(FileIdentity(f"/c/{batch}/{i}", i, batch), CachedClip(vector)) for i in range(BATCH)], "s", "c")
    print(batch, flush=True)
    batch += 1
"""
BATCH = 200


def test_a_writer_killed_mid_batch_leaves_only_whole_batches(tmp_path):
    code = WRITER.replace("BATCH", str(BATCH))
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(4):
            assert child.stdout.readline(), "the writer died before it was killed"
        time.sleep(0.01)  # into the next batch's transaction
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    db = sqlite3.connect(tmp_path / CACHE_FILE)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = db.execute("SELECT path, mtime_ns, vector FROM clip_features").fetchall()
    db.close()
    batches = {mtime for _, mtime, _ in rows}
    assert len(rows) == BATCH * len(batches) and batches == set(range(len(batches))) and len(batches) >= 4
    for _, batch, vector in rows:
        assert np.array_equal(np.frombuffer(vector), np.arange(4000) + batch)
    with CorpusCache(tmp_path) as reopened:
        identities = [FileIdentity(f"/c/{b}/{i}", i, b) for b in batches for i in range(BATCH)]
        assert len(reopened.lookup(identities, "s", "c")) == len(rows)
