"""Start-up: QApplication, logging, error hook; the window shell first, heavy imports after."""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

START = time.perf_counter()
log = logging.getLogger("servis_gui")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="servis", description="SERVIS: see emotion in speech.")
    parser.add_argument("files", nargs="*", help="audio files to open")
    parser.add_argument("--self-test", action="store_true",
                        help="open a demo clip offscreen, check the panes are drawn, print a summary")
    parser.add_argument("--probe-audio", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--timings", action="store_true",
                        help="print start-up milestones (seconds since launch) for bench/startup")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the application; returns the process exit code."""
    # Feature matrices are small: BLAS threads cost more than they save, and the GUI thread needs
    # the second core. Set before anything imports numpy.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    multiprocessing.freeze_support()  # in a bundle, corpus workers start through this executable
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["analyse"]:  # the command line extractor: no Qt is imported
        from servis_gui.cli import analyse_main

        return analyse_main(argv[1:])
    if argv[:1] in (["evaluate"], ["predict"]):  # the recogniser's commands: no Qt either
        from servis_gui.cli_recognise import main as recognise_main

        return recognise_main(argv)
    args = parse_args(argv)
    if args.probe_audio:
        from servis_gui.audio.backend import probe_main

        return probe_main()
    if args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        scratch = tempfile.TemporaryDirectory(prefix="servis-self-test-")
        with scratch:
            return _run(args, Path(scratch.name))
    return _run(args, None)


def _run(args: argparse.Namespace, scratch: Path | None) -> int:
    """Start the window and the event loop; ``scratch`` holds settings and log of a self-test."""
    _setup_logging(scratch)
    from PySide6.QtCore import QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from servis_gui.ui.main_window import MainWindow

    qInstallMessageHandler(_qt_message_to_log)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("SERVIS")
    app.setOrganizationName("SERVIS")
    window = MainWindow(_settings(scratch), args.files)
    sys.excepthook = _excepthook_for(window)
    milestones = _Milestones(enabled=args.timings)
    window.clip_drawn.connect(lambda _p: milestones.mark("panes_drawn"))
    window.show()
    app.processEvents()
    milestones.mark("window_shown")
    QTimer.singleShot(0, lambda: _finish(window, app, args))
    return app.exec()


def _settings(scratch: Path | None):
    """The user's settings, or an empty store in ``scratch`` (the self-test leaves no trace)."""
    from PySide6.QtCore import QSettings

    from servis_gui.settings import Settings

    if scratch is None:
        return Settings()
    return Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))


def _finish(window, app, args: argparse.Namespace) -> None:
    _configure_pyqtgraph()
    if args.self_test:
        from servis_gui.self_test import SelfTest

        window.self_test = SelfTest(window, app, START)
    window.finish_setup()


def _configure_pyqtgraph() -> None:
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=False, imageAxisOrder="row-major", background="#15171a")


class _Milestones:
    """Prints ``servis-timing <name> <seconds since import> <epoch seconds>`` lines when enabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.seen: set[str] = set()

    def mark(self, name: str) -> None:
        if self.enabled and name not in self.seen:
            self.seen.add(name)
            print(f"servis-timing {name} {time.perf_counter() - START:.3f} {time.time():.3f}", flush=True)


def _setup_logging(scratch: Path | None) -> None:
    """Log to the console and the user's log file; a self-test logs only into ``scratch``."""
    handlers: list[logging.Handler] = []
    try:
        if scratch is None:
            from servis_gui.paths import log_dir

            handlers.append(logging.StreamHandler())
            handlers.append(logging.FileHandler(Path(log_dir()) / "servis.log", encoding="utf-8"))
        else:
            handlers.append(logging.FileHandler(scratch / "servis.log", encoding="utf-8"))
    except OSError:
        pass
    logging.basicConfig(level=logging.INFO, handlers=handlers or [logging.NullHandler()], force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _qt_message_to_log(mode, _context, message: str) -> None:
    """Qt's own warnings go to the log, not straight to the console."""
    from PySide6.QtCore import QtMsgType

    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(mode, logging.ERROR)
    logging.getLogger("qt").log(level, "%s", message)


def _excepthook_for(window):
    def hook(exc_type, exc, tb) -> None:
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        window.messages.show_message(
            f"Internal error: {exc_type.__name__}: {exc}. Details are in the log; "
            "the app keeps running.", "error")

    return hook
