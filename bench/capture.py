"""Live capture: input overflows, live-view frames/s, CPU and audio-to-pixel delay, on at most 2 cores.

Speech (the demo corpus, looped) is played into the virtual microphone while
1. baseline: a bare sounddevice InputStream whose callback only counts (no UI, no take),
2. SERVIS without f0: the CapturePanel (offscreen) listens at its default rate, records a take and
   draws waveform and mel, its live pitch analysis switched off, and
3. SERVIS with f0: the same with Praat's live f0 (the panel as it ships)
run for the same time each. The delay of each painted frame is the time from the callback that
delivered its newest sample to the paint, plus PortAudio's reported input latency (ADC to callback).
Uses the virtual microphone of $PULSE_SERVER, or starts a private one (scripts/virtual_mic.sh).
Usage: python bench/capture.py [--seconds S]      (S seconds per run, default 60)
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import soundfile as sf
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def virtual_mic(command: str, folder: Path) -> str:
    """Run ``scripts/virtual_mic.sh start|stop folder``; returns what it prints."""
    return subprocess.run(["bash", str(REPO / "scripts" / "virtual_mic.sh"), command, str(folder)],
                          capture_output=True, text=True, check=True).stdout


def start_virtual_mic(folder: Path) -> None:
    """Start a private virtual microphone unless one is configured (before importing sounddevice)."""
    if not os.environ.get("PULSE_SERVER"):
        for line in virtual_mic("start", folder).splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            os.environ[name] = value


def speech_loop(folder: Path, seconds: float) -> Path:
    """The demo clips, concatenated and repeated to ``seconds`` + 5 s, as one 16 kHz WAV."""
    demo = REPO / "servis_gui" / "resources" / "demo"
    clips = [sf.read(p, dtype="float32")[0] for p in sorted(demo.glob("*.flac"))]
    speech = np.concatenate(clips)
    path = folder / "speech.wav"
    sf.write(path, np.resize(speech, int((seconds + 5) * 16000)), 16000)
    return path


@contextmanager
def speaking(folder: Path, seconds: float) -> Iterator[None]:
    """The demo speech played into the virtual microphone (started in ``folder`` if none is configured)
    for ``seconds`` + 3 s, stopped on exit."""
    start_virtual_mic(folder / "pulse")
    player = subprocess.Popen(["paplay", "-d", os.environ.get("SERVIS_VMIC_SINK", "vmic_sink"),
                               str(speech_loop(folder, seconds + 3))])
    try:
        yield
    finally:
        player.kill()
        if (folder / "pulse").exists():
            virtual_mic("stop", folder / "pulse")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def baseline(seconds: float, sr: int) -> dict[str, float]:
    """A bare InputStream: the callback counts blocks and overflows."""
    import sounddevice as sd

    times: list[float] = []
    overflows = [0]

    def callback(_indata, _frames, _time, status) -> None:
        times.append(time.monotonic())
        overflows[0] += bool(status.input_overflow)

    cpu = cpu_seconds()
    with sd.InputStream(samplerate=sr, channels=1, dtype="float32", callback=callback,
                        blocksize=int(0.005 * sr), latency="low") as stream:
        latency = stream.latency
        time.sleep(seconds)
    gaps = np.diff(times) * 1000
    return {"overflows": overflows[0], "callbacks/s": len(times) / seconds, "max gap ms": gaps.max(),
            "latency ms": latency * 1000, "cpu %": 100 * (cpu_seconds() - cpu) / seconds}


class Probe(QObject):
    """Timestamps the callbacks (with the samples delivered so far) and the paints of the live view."""

    def __init__(self, panel) -> None:
        super().__init__()
        self.callbacks: list[tuple[float, int]] = []
        self.paints: list[tuple[float, int]] = []
        self.pushed = 0
        capture, view = panel.capture, panel.view
        original_callback, original_push = capture._callback, view.push

        def callback(indata, frames, time_info, status) -> None:
            original_callback(indata, frames, time_info, status)
            self.callbacks.append((time.monotonic(), capture._ring.written))

        def push(samples) -> None:
            original_push(samples)
            self.pushed += len(samples)

        capture._callback, view.push = callback, push
        view.viewport().installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.pushed:
            self.paints.append((time.monotonic(), self.pushed))
        return False

    def delays_ms(self, latency: float) -> np.ndarray:
        """Paint time minus the arrival of the newest sample painted, plus the input latency."""
        arrived, written = np.array(self.callbacks).T
        index = np.searchsorted(written, [newest for _t, newest in self.paints])
        painted = np.array([t for t, _newest in self.paints])
        inside = index < len(arrived)
        return 1000 * (painted[inside] - arrived[index[inside]] + latency)


def run_events(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def time_pitch(view, f0: bool) -> list[float]:
    """Time each live pitch push (ms) of the view's current RollingPitch; without ``f0``, skip them."""
    pitch, costs = view.pitch, []
    original_push = pitch.push

    def push(samples) -> int:
        if not f0:
            return 0
        started = time.perf_counter()
        count = original_push(samples)
        costs.append(1000 * (time.perf_counter() - started))
        return count

    pitch.push = push
    return costs


def with_live_view(seconds: float, folder: Path, f0: bool,
                   attach: Callable[[object], Callable[[], dict]] | None = None) -> dict[str, float]:
    """The CapturePanel listening, recording a take and drawing (f0 analysed or not) for ``seconds``.

    ``attach(panel)``, when given, wires more views to the panel before it listens and returns a
    function whose figures (called after the run, before the panel shuts down) join the result."""
    import pyqtgraph as pg

    from servis_gui.core.params import FeatureParams
    from servis_gui.ui.capture_panel import CapturePanel

    pg.setConfigOptions(imageAxisOrder="row-major")
    panel = CapturePanel(folder / "My recordings", FeatureParams())
    panel.resize(520, 760)
    probe = Probe(panel)
    finish = attach(panel) if attach else dict
    panel.show()
    run_events(0.5)
    pitch_ms = time_pitch(panel.view, f0)
    panel.toggle_recording()
    paints, frames, cpu = len(probe.paints), panel.view.frames_drawn, cpu_seconds()
    run_events(seconds)
    result = {"overflows": panel.capture.overflows, "sr": panel.capture.sr,
              "paints/s": (len(probe.paints) - paints) / seconds,
              "view updates/s": (panel.view.frames_drawn - frames) / seconds,
              "cpu %": 100 * (cpu_seconds() - cpu) / seconds,
              "f0 frames": panel.view.pitch.frames, "voiced %": 100 * np.mean(np.isfinite(panel.view.pitch.f0_hz))}
    costs = np.array(pitch_ms or [0.0])
    result.update({"pitch median ms": float(np.median(costs)), "pitch p95 ms": float(np.percentile(costs, 95)),
                   "pitch max ms": float(costs.max())})
    delays = probe.delays_ms(panel.capture.latency)
    panel.toggle_recording()
    take = panel.form.take
    result.update(finish())
    panel.shutdown()
    params = panel.params
    result.update({"delay median ms": float(np.median(delays)), "delay p95 ms": float(np.percentile(delays, 95)),
                   "delay max ms": float(delays.max()), "take s": take.duration if take else 0.0,
                   "mel window ms": 1000 * (params.n_fft // 2 + params.hop_length) / params.sr})
    return result


def report_panel(name: str, live: dict[str, float], bare: dict[str, float]) -> None:
    """Print one panel run against the bare stream."""
    print(f"  SERVIS capture panel, {name}: {live['overflows']} overflows, "
          f"{live['paints/s']:.1f} paints/s ({live['view updates/s']:.1f} view updates/s), "
          f"CPU {live['cpu %']:.1f} % (ratio to baseline {live['cpu %'] / max(bare['cpu %'], 0.1):.1f}x)")
    print(f"    audio->pixel delay (waveform, meter): median {live['delay median ms']:.1f} ms, "
          f"p95 {live['delay p95 ms']:.1f} ms, max {live['delay max ms']:.1f} ms; "
          f"take written while drawing: {live['take s']:.2f} s")


def main(seconds: float = 60.0) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:2]))
    app = QApplication([])
    app.setApplicationName("SERVIS capture bench")
    with tempfile.TemporaryDirectory(prefix="servis-bench-capture-") as tmp, speaking(Path(tmp), 3 * seconds):
        plain = with_live_view(seconds, Path(tmp) / "plain", f0=False)
        live = with_live_view(seconds, Path(tmp) / "f0", f0=True)
        bare = baseline(seconds, live["sr"])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{seconds:g} s of speech from the virtual microphone at {live['sr']} Hz per run, {cores} cores")
    print(f"  baseline (bare InputStream callback): {bare['overflows']} overflows, "
          f"{bare['callbacks/s']:.0f} callbacks/s, longest gap {bare['max gap ms']:.1f} ms, "
          f"input latency {bare['latency ms']:.1f} ms, CPU {bare['cpu %']:.1f} %")
    report_panel("without f0 (waveform, mel)", plain, bare)
    report_panel("with f0 (waveform, mel, Praat f0)", live, bare)
    print(f"    live f0: one push (25 ms of input) median {live['pitch median ms']:.2f} ms, "
          f"p95 {live['pitch p95 ms']:.2f} ms, max {live['pitch max ms']:.1f} ms; "
          f"{live['f0 frames']} frames, {live['voiced %']:.0f} % of the last 5 s voiced; "
          f"CPU {live['cpu %'] - plain['cpu %']:+.1f} points over the panel without f0")
    print(f"  the mel column adds its half window + hop: {live['mel window ms']:.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each run (default 60)")
    main(parser.parse_args().seconds)
