"""Child process for recording tests: prints one JSON object per line to stdout.

    python capture_child.py capture FOLDER     MicCapture records FOLDER/take.wav until the device fails
    python capture_child.py panel FOLDER       a CapturePanel (offscreen) records until the device fails,
                                               then presses Refresh when stdin says "refresh"
    python capture_child.py nodevice FOLDER    the main window with a CapturePanel dock, no sound server

Each mode reports ``{"started": ...}``, then progress, then its result; the parent may SIGKILL it.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path


def report(**values: object) -> None:
    print(json.dumps(values), flush=True)


def record_with_capture(folder: Path) -> None:
    from servis_gui.audio.capture import MicCapture

    capture = MicCapture()
    capture.start(None, 16000)
    capture.start_take(folder / "take.wav")
    report(started=str(folder / "take.wav"))
    while (problem := capture.watchdog_check()) is None:
        report(frames=capture.take_frames)
        time.sleep(0.01)
    noticed = time.monotonic()
    take = capture.stop_take()
    report(problem=problem, duration=take.duration, file=str(take.file),
           seconds_to_save=time.monotonic() - noticed)


@cache
def start_qt() -> object:
    """The QApplication (kept alive by the cache), pyqtgraph set up as the app does."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    pg.setConfigOptions(imageAxisOrder="row-major")
    return app


def _run_polling(poll: Callable[[], bool], interval_ms: int = 10) -> None:
    """Run an event loop, calling ``poll`` every ``interval_ms`` until it returns True.

    Not ``app.exec()``: quitting the application would emit ``aboutToQuit``, which shuts the panel.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    loop, timer = QEventLoop(), QTimer(interval=interval_ms)
    timer.timeout.connect(lambda: poll() and loop.quit())
    timer.start()
    loop.exec()


def record_with_panel(folder: Path) -> None:
    from servis_gui.core.params import FeatureParams
    from servis_gui.core.takes.store import read_takes
    from servis_gui.ui.capture_panel import CapturePanel

    start_qt()
    panel = CapturePanel(folder, FeatureParams())
    panel.show()
    panel.record_action.trigger()
    report(started=panel.capture.recording)

    def tick() -> bool:
        if panel.capture.recording:
            report(frames=panel.capture.take_frames)
            return False
        takes = [{"file": str(t.file), "duration": t.duration} for t in read_takes(folder)]
        report(problem=panel.status.text(), form=panel.form.isVisible(), takes=takes,
               record_enabled=panel.record_button.isEnabled())
        return True

    _run_polling(tick)
    if sys.stdin.readline().strip() == "refresh":  # the parent restarted the sound server
        panel.refresh.click()
        drawn = panel.view.frames_drawn
        _run_polling(lambda: panel.view.frames_drawn > drawn + 5)
        report(refreshed=panel.capture.running, status=panel.status.text(),
               record_enabled=panel.record_button.isEnabled())


def main_window_without_sound(folder: Path) -> None:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QDockWidget

    from servis_gui.settings import Settings
    from servis_gui.ui.capture_panel import CapturePanel
    from servis_gui.ui.main_window import MainWindow

    start_qt()
    window = MainWindow(Settings(QSettings(str(folder / "servis.ini"), QSettings.Format.IniFormat)))
    window.show()
    window.finish_setup()
    panel = CapturePanel(folder / "My recordings", window.session.params)
    dock = QDockWidget("Record", window, objectName="dock_record")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    drawn: list[str] = []
    window.clip_drawn.connect(drawn.append)

    def check() -> bool:
        if drawn and panel.isVisible():
            report(clip_drawn=drawn[0], status=panel.status.text(), refresh_enabled=panel.refresh.isEnabled(),
                   record_enabled=panel.record_button.isEnabled())
        return bool(drawn) and panel.isVisible()

    _run_polling(check)
    window.close()


if __name__ == "__main__":
    modes = {"capture": record_with_capture, "panel": record_with_panel,
             "nodevice": main_window_without_sound}
    modes[sys.argv[1]](Path(sys.argv[2]))
