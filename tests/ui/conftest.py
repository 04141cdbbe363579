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


def demo_paths(window) -> list[str]:
    """The demo clips the window's library knows, sorted by file name."""
    return [str(record.path) for record in window.library.demo]


def choose_in_browser(window, path: str) -> None:
    """Make ``path`` the current row of the dataset table, as a click or an arrow key would."""
    browser = window.library.browser
    index = browser.proxy.mapFromSource(browser.model.index(browser.model.row_of(path), 0))
    browser.table.setCurrentIndex(index)
