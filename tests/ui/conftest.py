import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QSettings

from servis_gui.settings import Settings


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "servis.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, settings):
    """A fully set-up main window on the demo corpus, first clip drawn."""
    import pyqtgraph as pg

    from servis_gui.ui.main_window import MainWindow

    pg.setConfigOptions(imageAxisOrder="row-major")
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.clip_drawn, timeout=30000):
        win.finish_setup()
    yield win
    win.close()


@pytest.fixture
def tone_file(tmp_path):
    def make(name="tone.wav", seconds=1.0, sr=16000, freq=440.0, amp=0.5):
        t = np.arange(int(sr * seconds)) / sr
        path = tmp_path / name
        sf.write(path, (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32), sr)
        return str(path)

    return make
