"""Save a PNG of the main window on a demo clip: ``python scripts/screenshot.py OUT.png [clip]``.

Run under Xvfb (real X window) or with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication


def main(out: str, clip: str | None = None) -> int:
    import tempfile

    from servis_gui.app import _configure_pyqtgraph
    from servis_gui.settings import Settings
    from servis_gui.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    store = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    window = MainWindow(Settings(store), [clip] if clip else [])
    window.resize(1600, 1000)
    window.show()
    _configure_pyqtgraph()

    def save(_path: str) -> None:
        QTimer.singleShot(500, lambda: (_capture(app, window).save(out), app.quit()))

    window.clip_drawn.connect(save)
    window.finish_setup()
    QTimer.singleShot(60000, app.quit)
    app.exec()
    print(out)
    return 0


def _capture(app, window):
    """Real screen pixels on an X server (Xvfb); the widget's own rendering offscreen."""
    if app.platformName() == "xcb":
        frame = window.frameGeometry()
        return app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    return window.grab()


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
