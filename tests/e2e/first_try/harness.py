"""The pytest side of the first-try layer: runs driver.py in a child process under Xvfb with empty
settings and turns its JSON report into assertions a person can read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DRIVER = Path(__file__).with_name("driver.py")
ARTIFACTS = REPO / "artifacts" / "first_try"
IN_CI = os.environ.get("CI", "") not in ("", "0", "false")
CHILD_TIMEOUT_S = 120

# config name -> (Xvfb screen, QT_SCALE_FACTOR or None)
CONFIGS = {"1366x768": ("1366x768", None), "1920x1080": ("1920x1080", None),
           "1920x1080-scale2": ("1920x1080", "2")}
NO_SERVER = "unix:/nonexistent/servis-first-try/pulse"


@dataclass
class Report:
    config: str
    scenario: str
    data: dict
    folder: Path
    returncode: int
    output: str
    checks: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.checks = self.data.get("checks", [])

    def select(self, steps: tuple[str, ...] | None = None) -> list[dict]:
        return [c for c in self.checks if steps is None or c["step"].startswith(steps)]

    def problems(self, steps: tuple[str, ...] | None = None, required: tuple[str, ...] = ()) -> list[str]:
        """Every failed hard check of ``steps`` (all steps when None), as readable text; warns about findings."""
        chosen = self.select(steps)
        for c in chosen:
            if not c["ok"] and not c["hard"]:
                warnings.warn(f"first-try finding [{self.config}/{self.scenario}] {c['name']}: "
                              f"{c['expected']} -- measured {_short(c['measured'])}", UserWarning, stacklevel=3)
        out = []
        if self.data.get("error"):
            out.append(f"the scenario stopped with an error:\n{self.data['error']}")
        names = {c["name"] for c in chosen}
        out += [f"check {name!r} never ran (the scenario stopped before it)" for name in required if name not in names]
        out += [_describe(c) for c in chosen if c["hard"] and not c["ok"]]
        if out:
            log = "\n".join(self.data.get("log", [])[-15:])
            out = [f"first try at {self.config}, scenario {self.scenario!r}: {len(out)} problem(s)", *out,
                   f"  report: {self.folder / 'report.json'}\n  last driver log lines:\n{log}"]
        return out

    def assert_ok(self, steps: tuple[str, ...] | None = None, required: tuple[str, ...] = ()) -> None:
        assert_none([self.problems(steps, required)])


def assert_none(problem_lists: list[list[str]]) -> None:
    """Fail once with the problems of several reports (so one failing run does not hide the next)."""
    text = "\n".join(line for problems in problem_lists for line in problems)
    if text:
        pytest.fail(text, pytrace=False)


def _short(value, limit: int = 900) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + " …"


def _describe(c: dict) -> str:
    shot = Path(c["shot"]).relative_to(REPO) if c.get("shot", "").startswith(str(REPO)) else c.get("shot")
    return (f"- [{c['step']}] {c['name']}: expected {c['expected']}\n"
            f"    measured: {_short(c['measured'])}\n    screenshot: {shot or '(none yet)'}")


def child_env(display: str, home: Path, scale: str | None, mic: str, extra: dict | None = None) -> dict:
    """The app's environment: a real X display, empty settings in ``home``, a chosen sound server.

    ``mic``: "vmic" passes the virtual microphone of scripts/test.sh (PULSE_*), "none" points
    PulseAudio at a socket that does not exist (sounddevice then lists no input device)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PULSE_", "QT_", "XDG_", "SERVIS_")) and k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    runtime = home / "runtime"
    for sub in (".config", ".cache", ".local/share", ".local/state"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_STATE_HOME=str(home / ".local/state"), XDG_RUNTIME_DIR=str(runtime),
               PYTHONPATH=str(REPO))
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    if mic == "vmic":
        env.update({k: v for k, v in os.environ.items() if k.startswith(("PULSE_", "SERVIS_VMIC_"))})
    else:
        env["PULSE_SERVER"] = NO_SERVER
    env.update(extra or {})
    return env


def run_driver(xservers, config: str, scenario: str, home: Path, app_args: list[str] | None = None,
               mic: str = "none", extra: dict | None = None, name: str | None = None) -> Report:
    screen, scale = CONFIGS[config]
    display = xservers.display(screen)
    folder = ARTIFACTS / config / (name or scenario)
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.json"
    report.unlink(missing_ok=True)
    env = child_env(display, home, scale, mic, extra)
    args = [sys.executable, str(DRIVER), str(report), scenario, str(folder), "--", *(app_args or [])]
    try:
        proc = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
        output, code = proc.stdout + proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        output, code = f"timed out after {CHILD_TIMEOUT_S} s\n{exc.stdout or ''}{exc.stderr or ''}", -1
    (folder / "app.log").write_text(output if isinstance(output, str) else output.decode(errors="replace"))
    if not report.exists():
        pytest.fail(f"first try at {config}, scenario {scenario!r}: the driver wrote no report "
                    f"(exit code {code}); its output:\n{output[-3000:]}", pytrace=False)
    return Report(config, name or scenario, json.loads(report.read_text()), folder, code, output)


def require_vmic() -> None:
    if not os.environ.get("PULSE_SERVER"):
        reason = "needs the virtual microphone of scripts/test.sh (PULSE_SERVER unset)"
        if IN_CI:
            pytest.fail(reason + " (CI is set, so this is an error)")
        pytest.skip(reason)
