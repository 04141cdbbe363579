"""Save a PNG of the main window: ``python scripts/screenshot.py OUT.png [clip | --compare]``.

With a clip path: that clip in the panes (default: the first demo clip). With ``--compare``:
the Compare tab on the demo's "Kids are talking by the door" in six emotions (male voice).
Run under Xvfb (real X window) or with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication


SIX = ("angry", "happy", "fearful", "sad", "neutral", "disgust")


def main(out: str, clip: str | None = None) -> int:
    import tempfile

    from servis_gui.app import _configure_pyqtgraph
    from servis_gui.settings import Settings
    from servis_gui.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    store = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    compare = clip == "--compare"
    window = MainWindow(Settings(store), [clip] if clip and not compare else [])
    window.resize(1600, 1000)
    window.show()
    _configure_pyqtgraph()

    def save(_path: str) -> None:
        QTimer.singleShot(500, lambda: (_capture(app, window).save(out), app.quit()))

    def open_grid(_path: str) -> None:
        from servis_gui.paths import demo_dir

        window.clip_drawn.disconnect(open_grid)
        window.session.group_ready.connect(save)
        window.compare_paths([str(demo_dir() / f"m3_kids_{e}.flac") for e in SIX])

    window.clip_drawn.connect(open_grid if compare else save)
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
