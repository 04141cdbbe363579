"""The on-disk cache of per-clip feature vectors: SQLite in the user's cache folder, never pickle.

One row per (resolved path, settings digest). A row holds the file's size and modification time
when it was analysed, and either the feature vector (float64, little-endian bytes) with the digest
of its column names, or the message saying why the clip could not be analysed. A row whose file
identity or column names no longer match is a miss, and the next store replaces it.

Crash safety comes from SQLite: WAL journal, one transaction per batch. A process killed while
writing leaves the batches it committed and nothing of the one it was writing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from servis_gui.core.clip import FileIdentity
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams

FEATURES_VERSION = 2
"""Bump whenever the feature code (``core/functionals.py`` and what it calls) changes its numbers:
every cached entry computed by older code becomes a miss."""

SCHEMA_VERSION = 1
"""Layout of the SQLite file; a file with another layout is emptied and rebuilt."""

CACHE_FILE = "corpus_features.sqlite3"

_VALUE_DTYPE = np.dtype("<f8")
_CHUNK = 500
"""Paths per ``IN (...)`` query: below SQLite's oldest limit of 999 bound variables."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS clip_features (
    path TEXT NOT NULL,
    settings TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    columns TEXT NOT NULL,
    vector BLOB,
    error TEXT,
    PRIMARY KEY (path, settings)
) WITHOUT ROWID
"""


@dataclass(frozen=True)
class CachedClip:
    """What the cache knows about one clip: its feature vector, or why it could not be analysed.

    Attributes
    ----------
    values : np.ndarray or None
        float64 feature vector in column order (read-only); None for a failure.
    error : str
        The plain message of the failure; ``""`` when ``values`` is set.
    """

    values: np.ndarray | None
    error: str = ""

    @property
    def failed(self) -> bool:
        """Whether the clip could not be analysed."""
        return self.values is None


def settings_record(params: FeatureParams, pitch: PitchParams) -> dict:
    """The analysis settings as JSON-ready data (for the cache key and the CSV's sidecar).

    Parameters
    ----------
    params : FeatureParams
        STFT / mel / MFCC settings.
    pitch : PitchParams
        Pitch and intensity settings.

    Returns
    -------
    dict
        ``{"features_version", "features": {...}, "pitch": {...}}`` with plain values.
    """
    features = {key: getattr(value, "value", value) for key, value in asdict(params).items()}
    return {"features_version": FEATURES_VERSION, "features": features, "pitch": asdict(pitch)}


def settings_digest(params: FeatureParams, pitch: PitchParams) -> str:
    """A digest of the settings and ``FEATURES_VERSION``: equal digests mean equal numbers.

    Parameters
    ----------
    params : FeatureParams
    pitch : PitchParams

    Returns
    -------
    str
        32 hex digits.
    """
    return _digest(json.dumps(settings_record(params, pitch), sort_keys=True))


def columns_digest(names: Sequence[str]) -> str:
    """A digest of the feature column names, in order.

    Parameters
    ----------
    names : sequence of str

    Returns
    -------
    str
        32 hex digits.
    """
    return _digest("\n".join(names))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def default_cache_folder() -> Path:
    """The user's cache folder for SERVIS (``platformdirs.user_cache_dir("SERVIS")``)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("SERVIS"))


class CorpusCache:
    """Feature vectors of clips on disk, keyed by file identity and settings.

    Safe to share between threads (one connection behind a lock) and between processes (SQLite's
    WAL locking). Close it when done, or use it as a context manager.

    Parameters
    ----------
    folder : Path or None
        Where the SQLite file lives; None for :func:`default_cache_folder`. Created if missing.

    Raises
    ------
    sqlite3.Error, OSError
        If the folder cannot be created or the file cannot be opened. A file that is not a
        database, or has another layout, is emptied and rebuilt instead.
    """

    def __init__(self, folder: Path | None = None) -> None:
        folder = Path(folder) if folder is not None else default_cache_folder()
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / CACHE_FILE
        self._lock = threading.Lock()
        try:
            self._db = _open(self.path)
        except sqlite3.DatabaseError:
            _remove_database(self.path)
            self._db = _open(self.path)

    def __enter__(self) -> CorpusCache:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database (committed batches are on disk already)."""
        with self._lock:
            self._db.close()

    def lookup(self, identities: Sequence[FileIdentity], settings: str,
               columns: str) -> dict[str, CachedClip]:
        """Cached entries of the clips whose file is unchanged since they were stored.

        Parameters
        ----------
        identities : sequence of FileIdentity
            The clips' files as they are now.
        settings : str
            :func:`settings_digest` of the analysis settings.
        columns : str
            :func:`columns_digest` of the feature names; vectors stored under other names miss.

        Returns
        -------
        dict
            Resolved path -> :class:`CachedClip`, for the hits only.
        """
        wanted = {identity.path: identity for identity in identities}
        paths = list(wanted)
        hits: dict[str, CachedClip] = {}
        with self._lock:
            for start in range(0, len(paths), _CHUNK):
                chunk = paths[start : start + _CHUNK]
                rows = self._db.execute(
                    "SELECT path, size, mtime_ns, columns, vector, error FROM clip_features "
                    f"WHERE settings = ? AND path IN ({','.join('?' * len(chunk))})",
                    (settings, *chunk))
                hits.update(_hits(rows, wanted, columns))
        return hits

    def store(self, entries: Iterable[tuple[FileIdentity, CachedClip]], settings: str,
              columns: str) -> None:
        """Write a batch of entries in one transaction (all of it or, after a crash, none).

        Parameters
        ----------
        entries : iterable of (FileIdentity, CachedClip)
            Each clip's file identity at the time it was read, and its result.
        settings, columns : str
            As for :meth:`lookup`.
        """
        rows = [_row(identity, entry, settings, columns) for identity, entry in entries]
        if not rows:
            return
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO clip_features "
                "(path, settings, size, mtime_ns, columns, vector, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows)


def _open(path: Path) -> sqlite3.Connection:
    """Connect, switch to WAL and make sure the table has this module's layout."""
    db = sqlite3.connect(path, timeout=10.0, check_same_thread=False, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            with db:
                db.execute("BEGIN")
                db.execute("DROP TABLE IF EXISTS clip_features")
                db.execute(_SCHEMA)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.isolation_level = "DEFERRED"
    except sqlite3.Error:
        db.close()
        raise
    return db


def _remove_database(path: Path) -> None:
    """Delete a cache file that is not a database, with its journal files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _hits(rows: Iterable[tuple], wanted: dict[str, FileIdentity],
          columns: str) -> Iterable[tuple[str, CachedClip]]:
    """The rows whose file identity is unchanged, decoded."""
    for path, size, mtime_ns, stored_columns, vector, error in rows:
        identity = wanted[path]
        if (size, mtime_ns) != (identity.size, identity.mtime_ns):
            continue
        if vector is None:
            yield path, CachedClip(None, error or "")
        elif stored_columns == columns:
            values = np.frombuffer(vector, dtype=_VALUE_DTYPE)
            yield path, CachedClip(values)


def _row(identity: FileIdentity, entry: CachedClip, settings: str, columns: str) -> tuple:
    vector = None if entry.values is None else np.asarray(entry.values, dtype=_VALUE_DTYPE).tobytes()
    error = entry.error if entry.values is None else None
    return identity.path, settings, identity.size, identity.mtime_ns, columns, vector, error
