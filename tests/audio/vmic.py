"""Helpers for tests that record: the shared virtual microphone, private PulseAudio servers, child processes.

A test that needs the shared virtual microphone of scripts/test.sh skips when ``PULSE_SERVER`` is
unset, except under CI, where it fails. Tests that stop or break a sound server start their own
private one (:func:`private_pulse`) and record in a child process whose environment points at it:
PortAudio lists devices once, when sounddevice is imported.
"""

from __future__ import annotations

import json
import os
import queue
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
VIRTUAL_MIC = REPO / "scripts" / "virtual_mic.sh"
CHILD = Path(__file__).with_name("capture_child.py")
IN_CI = os.environ.get("CI", "") not in ("", "0", "false")


def _skip_or_fail(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is an error)")
    pytest.skip(reason)


def require_vmic() -> None:
    """Skip (fail under CI) unless the shared virtual microphone of scripts/test.sh is running."""
    if not os.environ.get("PULSE_SERVER"):
        _skip_or_fail("needs the virtual microphone of scripts/test.sh (PULSE_SERVER unset)")


def start_pulse(folder: Path) -> dict[str, str]:
    """Start a private PulseAudio with a virtual microphone in ``folder``; returns a child environment."""
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        _skip_or_fail("needs pulseaudio and pactl for a private sound server")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_")}
    started = subprocess.run(["bash", str(VIRTUAL_MIC), "start", str(folder)], env=env, check=False,
                             capture_output=True, text=True, timeout=30)
    if started.returncode:
        _skip_or_fail(f"private PulseAudio did not start: {started.stderr.strip()}")
    for line in started.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = shlex.split(value)[0]
    return env


@contextmanager
def private_pulse(folder: Path) -> Iterator[dict[str, str]]:
    """A private PulseAudio (see :func:`start_pulse`) for the duration of a ``with`` block."""
    env = start_pulse(folder)
    try:
        yield env
    finally:
        stop_pulse(folder, env)


def stop_pulse(folder: Path, env: dict[str, str]) -> None:
    """Stop the private server in ``folder`` (idempotent)."""
    subprocess.run(["bash", str(VIRTUAL_MIC), "stop", str(folder)], env=env, capture_output=True,
                   check=False, timeout=30)


def pactl(env: dict[str, str], *args: str) -> str:
    """Run pactl against the server of ``env``."""
    return subprocess.run(["pactl", *args], env=env, capture_output=True, text=True, check=True,
                          timeout=10).stdout


class Child:
    """A child process running tests/audio/capture_child.py, reporting one JSON object per line."""

    def __init__(self, mode: str, folder: Path, env: dict[str, str] | None = None, *args: str) -> None:
        child_env = {**(env or os.environ), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen([sys.executable, str(CHILD), mode, str(folder), *args],
                                        env=child_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, bufsize=1)
        self.last: dict = {}
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put("")

    def read_until(self, key: str, timeout: float = 20.0) -> dict:
        """Read reports until one has ``key`` (fails on timeout or exit)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if not line:
                pytest.fail(f"the child exited ({self.process.wait()}) before reporting {key!r}")
            self.last = json.loads(line)
            if key in self.last:
                return self.last
        pytest.fail(f"the child did not report {key!r} within {timeout} s")

    def send(self, line: str) -> None:
        """Write one line to the child's stdin."""
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)
        self.process.stdin.close()
        self.process.stdout.close()


def chirp(sr: int = 16000, seconds: float = 2.0, amplitude: float = 0.5) -> np.ndarray:
    """An exponential chirp from 150 Hz to 4 kHz (no periodicity: one clear correlation peak)."""
    t = np.arange(int(sr * seconds)) / sr
    freq = 150.0 * (4000.0 / 150.0) ** (t / seconds)
    return (amplitude * np.sin(2 * np.pi * np.cumsum(freq) / sr)).astype(np.float32)


def play(path: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Play a sound file into the virtual microphone's sink with paplay."""
    sink = os.environ.get("SERVIS_VMIC_SINK", "vmic_sink")
    return subprocess.Popen(["paplay", "-d", sink, str(path)], env=env or os.environ)


def best_correlation(recorded: np.ndarray, played: np.ndarray) -> float:
    """Normalised correlation of ``played`` with the best-aligned stretch of ``recorded``."""
    n = len(played)
    if len(recorded) < n:
        return 0.0
    spectrum = np.fft.rfft(recorded, 2 * len(recorded)) * np.conj(np.fft.rfft(played, 2 * len(recorded)))
    lag = int(np.argmax(np.fft.irfft(spectrum)[: len(recorded) - n + 1]))
    segment = recorded[lag : lag + n]
    return float(np.dot(segment, played) / (np.linalg.norm(segment) * np.linalg.norm(played) + 1e-12))
