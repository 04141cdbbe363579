"""Reach PortAudio safely: a missing library or a broken ALSA set-up becomes a message, not a crash."""

from __future__ import annotations

import subprocess
import sys
from functools import lru_cache
from typing import Any

from servis_gui.core.errors import ServisError

PROBE_FLAG = "--probe-audio"
PROBE_TIMEOUT_S = 30


class AudioUnavailable(ServisError):
    """Sound input or output cannot be used; the message says why and how to fix it."""


def load_sounddevice() -> Any:
    """Import sounddevice on first use, after checking in a child process that the import is safe.

    Debian's PortAudio aborts the whole process during ``import sounddevice`` when ALSA has no
    configuration, so the first import is tried in a throw-away process (``servis --probe-audio``).

    Raises
    ------
    AudioUnavailable
        When PortAudio is missing or its import would crash.
    """
    problem = _probe_problem()
    if problem:
        raise AudioUnavailable(problem)
    try:
        import sounddevice
    except OSError as exc:
        raise AudioUnavailable(_MISSING_PORTAUDIO) from exc
    return sounddevice


_MISSING_PORTAUDIO = ("Sound is unavailable: the PortAudio library is missing "
                      "(on Debian/Ubuntu: sudo apt install libportaudio2).")


@lru_cache(maxsize=1)
def _probe_problem() -> str | None:
    if getattr(sys, "frozen", False):
        cmd = [sys.executable, PROBE_FLAG]
    else:
        cmd = [sys.executable, "-m", "servis_gui", PROBE_FLAG]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"Sound is unavailable: the audio system did not answer ({exc})."
    if proc.returncode < 0:
        return ("Sound is unavailable: the audio system crashed while starting (signal "
                f"{-proc.returncode}). ALSA is probably not configured: on Debian/Ubuntu "
                "sudo apt install libasound2-data libasound2-plugins.")
    if proc.returncode != 0:
        return _MISSING_PORTAUDIO if "PortAudio" in proc.stderr else (
            f"Sound is unavailable: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else 'unknown error'}")
    return None


def probe_main() -> int:
    """Body of ``servis --probe-audio``: import sounddevice and list device counts."""
    try:
        import sounddevice
    except OSError as exc:
        print(f"PortAudio unavailable: {exc}", file=sys.stderr)
        return 2
    devices = sounddevice.query_devices()
    inputs = sum(1 for d in devices if d["max_input_channels"] > 0)
    outputs = sum(1 for d in devices if d["max_output_channels"] > 0)
    print(f"audio ok: {inputs} input and {outputs} output devices")
    return 0
