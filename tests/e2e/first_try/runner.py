"""The step runner of driver.py: a scenario is a generator of waits, polled on a QTimer, with checks
and screenshots written to a JSON report."""


from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication, QMainWindow,
)
from tests.e2e.first_try.measure import visible_texts  # noqa: E402

WATCHDOG_S = float(os.environ.get("FIRST_TRY_WATCHDOG_S", "90"))
POLL_MS = 25
Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL, SHIFT = Mod.ControlModifier, Mod.ShiftModifier

# ---------------------------------------------------------------- the step runner ----------------------------

class Wait:
    def __init__(self, condition, timeout_s: float, what: str) -> None:
        self.condition, self.timeout_s, self.what = condition, timeout_s, what


class Tester:
    """What a scenario uses: the window, waits, keys, screenshots and checks."""

    def __init__(self, app: QApplication, scenario: str, report_path: Path, shots: Path) -> None:
        self.app, self.scenario, self.report_path, self.shots = app, scenario, report_path, shots
        self.shots.mkdir(parents=True, exist_ok=True)
        for old in self.shots.glob("*.png"):
            old.unlink()
        self.window: QMainWindow | None = None
        self.step_name = "start"
        self.checks: list[dict] = []
        self.facts: dict = {}
        self.log: list[str] = []
        self.shot_count = 0
        self.last_shot = ""
        self.t0 = time.monotonic()
        self.error: str | None = None
        self.finished = False
        self.drawn: list[tuple[float, str]] = []
        self._lock = threading.Lock()

    # -- scenario API ----------------------------------------------------------------------------

    def step(self, name: str) -> None:
        self.step_name = name
        self.say(f"step {name}")

    def say(self, text: str) -> None:
        self.log.append(f"{time.monotonic() - self.t0:7.3f} {text}")

    def until(self, condition, timeout_s: float, what: str) -> Wait:
        return Wait(condition, timeout_s, what)

    def sleep(self, ms: int) -> Wait:
        return Wait(lambda: False, ms / 1000, f"sleep {ms} ms")

    def key(self, key, modifiers=Mod.NoModifier, label: str = "") -> None:
        focus = QApplication.focusWidget()
        self.say(f"key {label or key} (focus: {type(focus).__name__ if focus else None})")
        QTest.keyClick(self.window.windowHandle(), key, modifiers)

    def shot(self, name: str) -> str:
        self.shot_count += 1
        path = self.shots / f"{self.shot_count:02d}-{name}.png"
        QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
        self.last_shot = str(path)
        self.say(f"screenshot {path.name}")
        return self.last_shot

    def check(self, name: str, ok: bool, measured, expected: str, hard: bool = True) -> bool:
        self.checks.append({"step": self.step_name, "name": name, "ok": bool(ok), "hard": hard,
                            "measured": measured, "expected": expected, "shot": self.last_shot})
        self.say(f"check {name}: {'ok' if ok else 'FAILED' if hard else 'finding'}")
        return bool(ok)

    # -- report ----------------------------------------------------------------------------------

    def write_report(self) -> None:
        with self._lock:
            data = {"scenario": self.scenario, "error": self.error, "checks": self.checks,
                    "facts": self.facts, "log": self.log, "seconds": round(time.monotonic() - self.t0, 2)}
            tmp = self.report_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=1, default=str))
            tmp.replace(self.report_path)


class Runner:
    """Runs a scenario generator on the event loop: each yielded Wait is polled every POLL_MS."""

    def __init__(self, tester: Tester, scenario) -> None:
        self.t, self.scenario = tester, scenario
        self.gen = None
        self.timer = QTimer(interval=POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.wait: Wait | None = None
        self.deadline = 0.0

    def start(self) -> None:
        self.gen = self.scenario(self.t)
        self._advance(None)

    def _poll(self) -> None:
        try:
            done = bool(self.wait.condition())
        except Exception:  # noqa: BLE001 (a condition that cannot be evaluated yet is false)
            done = False
        if done or time.monotonic() >= self.deadline:
            self.timer.stop()
            if not done:
                self.t.say(f"timeout after {self.wait.timeout_s:g} s: {self.wait.what}")
            self._advance(done)

    def _advance(self, value) -> None:
        try:
            self.wait = self.gen.send(value)
        except StopIteration:
            self._final_checks()
            return self.finish()
        except Exception:  # noqa: BLE001
            self.t.error = f"in step {self.t.step_name!r}:\n{traceback.format_exc()}"
            try:
                self.t.shot("error")
            except Exception:  # noqa: BLE001
                pass
            return self.finish()
        self.deadline = time.monotonic() + self.wait.timeout_s
        self.timer.start()

    def _final_checks(self) -> None:
        """Every scenario: the app showed no 'Internal error' (its excepthook's message)."""
        window = self.t.window
        if window is not None and window.isVisible():
            self.t.step("end")
            errors = [p for p in visible_texts(window) if "internal error" in p["text"].lower()]
            self.t.check("no_internal_error_shown", not errors, errors, "no 'Internal error' message on the screen")

    def finish(self) -> None:
        self.t.finished = True
        self.t.write_report()
        code = 1 if self.t.error else 0
        QTimer.singleShot(0, lambda: QApplication.instance().exit(code))
        hard_exit = threading.Timer(15, lambda: os._exit(5))  # an app that does not quit must not hang the run
        hard_exit.daemon = True
        hard_exit.start()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMainWindow) and widget.isVisible():
                try:
                    widget.close()
                except Exception:  # noqa: BLE001 (a failing closeEvent is the app's problem, reported in its log)
                    traceback.print_exc()
