"""Remembered settings, drag-and-drop, recent files."""

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent

from servis_gui.core.db_reference import DbReference
from servis_gui.core.params import FeatureParams
from servis_gui.settings import DEFAULT_PARAMS, Settings


def test_settings_survive_a_restart(tmp_path):
    path = str(tmp_path / "s.ini")
    first = Settings(QSettings(path, QSettings.Format.IniFormat))
    params = FeatureParams(sr=None, n_fft=1024, hop_length=256, n_mels=64, fmax=6000.0, n_mfcc=13,
                           db_ref=DbReference.FULL_SCALE, top_db=60.0)
    first.set_feature_params(params)
    first.set_colormap("cividis")
    first.add_recent_file("/a.wav")
    first.add_recent_file("/b.wav")
    first.sync()
    again = Settings(QSettings(path, QSettings.Format.IniFormat))
    assert again.feature_params() == params
    assert again.colormap() == "cividis"
    assert again.recent_files() == ["/b.wav", "/a.wav"]


def test_unusable_stored_values_fall_back_to_defaults(tmp_path):
    path = tmp_path / "s.ini"
    path.write_text("[analysis]\nn_fft=banana\nn_mfcc=500\n[view]\ncolormap=rainbow\n")
    settings = Settings(QSettings(str(path), QSettings.Format.IniFormat))
    assert settings.feature_params() == DEFAULT_PARAMS
    assert settings.colormap() == "magma"


def test_dropping_a_file_opens_it(window, qtbot, tone_file):
    path = tone_file("dropped.wav", freq=880.0)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(path)])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.clip_drawn, timeout=10000):
        window.dropEvent(event)
    assert window.session.analysis.clip.name == "dropped.wav"
    assert window.settings.recent_files()[0] == path
    assert window.menus["recent_files"].actions()[0].text() == path
