"""Typed settings stored with QSettings. Every default lives here and only here."""

from __future__ import annotations

from dataclasses import asdict, fields

from PySide6.QtCore import QByteArray, QSettings

from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH, F0_UNITS, PitchParams

DEFAULT_PARAMS = FeatureParams()
COLORMAPS: tuple[str, ...] = ("magma", "viridis", "inferno", "cividis", "plasma")
DEFAULT_COLORMAP = "magma"
DEFAULT_F0_UNIT = "Hz"
MAX_RECENT = 10
COMPARE_OPTIONS = ("layout", "reference", "time", "f0")


class Settings:
    """The user's remembered choices (QSettings under the organisation "SERVIS").

    Parameters
    ----------
    store : QSettings, optional
        Where to keep them; the user's default location when omitted.
    """

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings("SERVIS", "SERVIS")

    def feature_params(self) -> FeatureParams:
        """The last analysis parameters, or the defaults where a stored value is unusable."""
        values = {}
        for f in fields(FeatureParams):
            default = getattr(DEFAULT_PARAMS, f.name)
            raw = self._store.value(f"analysis/{f.name}", default)
            values[f.name] = _coerce(raw, default, f.name)
        try:
            return FeatureParams(**values)
        except ValueError:
            return DEFAULT_PARAMS

    def set_feature_params(self, params: FeatureParams) -> None:
        for name, value in asdict(params).items():
            self._store.setValue(f"analysis/{name}", "" if value is None else value)

    def pitch_params(self) -> PitchParams:
        """The last pitch floor, ceiling and method, or the defaults where a stored value is unusable."""
        values = {name: _coerce(self._store.value(f"pitch/{name}", getattr(DEFAULT_PITCH, name)),
                                getattr(DEFAULT_PITCH, name), name)
                  for name in ("floor_hz", "ceiling_hz", "method")}
        try:
            return DEFAULT_PITCH.with_changes(**values)
        except ValueError:
            return DEFAULT_PITCH

    def set_pitch_params(self, pitch: PitchParams) -> None:
        for name in ("floor_hz", "ceiling_hz", "method"):
            self._store.setValue(f"pitch/{name}", getattr(pitch, name))

    def f0_unit(self) -> str:
        """How f0 is shown: "Hz" or "st" (semitones re 100 Hz)."""
        value = str(self._store.value("view/f0_unit", DEFAULT_F0_UNIT))
        return value if value in F0_UNITS else DEFAULT_F0_UNIT

    def set_f0_unit(self, unit: str) -> None:
        self._store.setValue("view/f0_unit", unit)

    def prosody_pane(self, default: bool = True) -> bool:
        """Is the Prosody pane (f0 under the waveform) shown? ``default`` until the user chooses."""
        return str(self._store.value("view/prosody_pane", default)).lower() == "true"

    def set_prosody_pane(self, shown: bool) -> None:
        self._store.setValue("view/prosody_pane", shown)

    def colormap(self) -> str:
        value = str(self._store.value("view/colormap", DEFAULT_COLORMAP))
        return value if value in COLORMAPS else DEFAULT_COLORMAP

    def set_colormap(self, name: str) -> None:
        self._store.setValue("view/colormap", name)

    def compare_options(self) -> dict[str, str]:
        """The comparison grid's layout, dB reference and time mode as the user left them
        (``{}`` at first: the grid's own defaults)."""
        return {key: str(self._store.value(f"compare/{key}")) for key in COMPARE_OPTIONS
                if self._store.value(f"compare/{key}") is not None}

    def set_compare_option(self, key: str, value: str) -> None:
        if key in COMPARE_OPTIONS:
            self._store.setValue(f"compare/{key}", value)

    def recent_files(self) -> list[str]:
        """Audio files opened, most recent first."""
        return self._recent("files/recent")

    def add_recent_file(self, path: str) -> None:
        self._remember("files/recent", path)

    def recent_datasets(self) -> list[str]:
        """Dataset folders opened, most recent first."""
        return self._recent("datasets/recent")

    def add_recent_dataset(self, root: str) -> None:
        self._remember("datasets/recent", root)

    def recordings_dir(self) -> str:
        """Where takes are recorded ("My recordings" in the user data folder by default)."""
        from servis_gui.core.takes.store import default_recordings_dir

        return str(self._store.value("recording/folder", "") or default_recordings_dir())

    def set_recordings_dir(self, folder: str) -> None:
        self._store.setValue("recording/folder", folder)

    def corpus_option(self, key: str, default: str) -> str:
        """A choice of the Corpus tab (``feature``, ``kind``, ``normalise``) as the user left it."""
        return str(self._store.value(f"corpus/{key}", default))

    def set_corpus_option(self, key: str, value: str) -> None:
        self._store.setValue(f"corpus/{key}", value)

    def export_dir(self) -> str | None:
        """The folder of the last CSV export (None before the first)."""
        return str(self._store.value("export/folder", "")) or None

    def set_export_dir(self, folder: str) -> None:
        self._store.setValue("export/folder", folder)

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """Saved (geometry, dock state) of the main window."""
        return self._store.value("window/geometry"), self._store.value("window/state")

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)

    def sync(self) -> None:
        self._store.sync()

    def _recent(self, key: str) -> list[str]:
        value = self._store.value(key, [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(v) for v in items if v][:MAX_RECENT]

    def _remember(self, key: str, item: str) -> None:
        items = [item] + [v for v in self._recent(key) if v != item]
        self._store.setValue(key, items[:MAX_RECENT])


def _coerce(raw: object, default: object, name: str) -> object:
    """QSettings' INI backend returns strings: convert back to the field's type."""
    if raw in ("", None) and name in ("sr", "fmax"):
        return None
    try:
        if isinstance(default, bool):
            return str(raw).lower() == "true"
        if isinstance(default, int) or name == "sr":
            return int(raw)
        if isinstance(default, float) or name == "fmax":
            return float(raw)
    except (TypeError, ValueError):
        return default
    return str(raw)
