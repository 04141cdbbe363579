"""Live emotion while recording: overflows, frame rates, CPU and the delay from speech to the moving point.

Speech (the demo corpus, looped) is played into the virtual microphone while the Record panel
(offscreen, as it ships: waveform, mel, Praat f0) listens and records a take for S seconds, twice:
1. baseline: the panel alone (the same run as ``bench/capture.py``'s "with f0"), and
2. live emotion: the panel wired as the window wires it (``AnalysisTabs.follow_microphone``) to a
   ``LiveEmotion`` lane, an Emotion map of 1,440 clips (LDA) and the Recogniser tab's probability
   bars, both shown.
The map's corpus is the demo corpus's real features, each clip repeated 45 times with noise
(24 speakers), and the bars' model is trained on it.

Delay from speech to the moving point, per update: PortAudio's input latency (ADC to callback)
+ the arrival of the block that completed the 2 s window -> ``features_ready`` (the lane's work)
+ ``features_ready`` -> the map's next paint with the moved marker.
Usage: python bench/live_emotion.py [--seconds S]      (S seconds per run, default 60)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from capture import REPO, report_panel, speaking, with_live_view  # noqa: E402

import numpy as np  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

CLIPS = 1440
SPEAKERS = 24


def map_corpus():
    """The demo corpus's real features, each clip repeated to ``CLIPS`` rows with 20 % noise."""
    from dataclasses import replace

    from servis_gui.core.corpus_run import CorpusResult, analyse_clips
    from servis_gui.core.datasets.detect import scan_dataset
    from servis_gui.core.params import FeatureParams
    from servis_gui.core.prosody import DEFAULT_PITCH

    demo = analyse_clips(scan_dataset(REPO / "servis_gui" / "resources" / "demo").records, FeatureParams(),
                         DEFAULT_PITCH, jobs=1)
    rng = np.random.default_rng(0)
    rows = np.arange(CLIPS) % len(demo.records)
    spread = np.nanstd(demo.values, axis=0)
    values = demo.values[rows] + 0.2 * spread * rng.normal(size=(CLIPS, len(demo.names)))
    records = tuple(replace(demo.records[r], speaker=f"s{k % SPEAKERS:02d}") for k, r in enumerate(rows))
    return CorpusResult(demo.names, records, values, (), 0, CLIPS, False)


class PaintClock(QObject):
    """The time from each live update to the map's next paint."""

    def __init__(self, viewport) -> None:
        super().__init__()
        self.ready: float | None = None
        self.draws: list[float] = []
        viewport.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.ready is not None:
            self.draws.append(time.monotonic() - self.ready)
            self.ready = None
        return False


class LiveViews:
    """The map and the recogniser's bars following the panel, as ``AnalysisTabs`` wires them."""

    def __init__(self, folder: Path) -> None:
        from servis_gui.core.params import FeatureParams
        from servis_gui.core.prosody import DEFAULT_PITCH
        from servis_gui.core.recogniser import select, train
        from servis_gui.settings import Settings
        from servis_gui.ui.emotion_map import EmotionMap
        from servis_gui.ui.recogniser_view import RecogniserView

        corpus = map_corpus()
        session = SimpleNamespace(params=FeatureParams(), pitch_params=DEFAULT_PITCH, open_and_play=print)
        settings = Settings(QSettings(str(folder / "servis.ini"), QSettings.Format.IniFormat))
        self.map, self.recogniser = EmotionMap(session, settings), RecogniserView(session, settings)
        names, x = select(corpus.names, corpus.values, "all")
        self.recogniser.model = train(x, [r.emotion for r in corpus.records], names, "all")
        for view in (self.map, self.recogniser):
            view.resize(1000, 650)
            view.show()
        loop = QEventLoop()
        self.map.map_drawn.connect(loop.quit)
        self.map.set_result(corpus, None)
        loop.exec()
        self.clock = PaintClock(self.map.plot.viewport())
        self.updates = {"voiced": 0, "silent": 0}

    def attach(self, panel):
        """Wire ``panel`` to a LiveEmotion lane; returns the function giving the figures."""
        from servis_gui.live_emotion import LiveEmotion

        live = LiveEmotion(self.map.session.params, self.map.session.pitch_params)
        panel.samples_pushed.connect(lambda samples: live.push(samples, panel.capture.sr))
        live.features_ready.connect(self.show)

        def figures() -> dict[str, float]:
            live.shutdown()
            analysed, drawn = 1000 * np.array(live.latencies), 1000 * np.array(self.clock.draws)
            return {"updates voiced": self.updates["voiced"], "updates silent": self.updates["silent"],
                    "analysis ms": analysed, "draw ms": drawn, "latency": panel.capture.latency}
        return figures

    def show(self, values) -> None:
        self.updates["silent" if values is None else "voiced"] += 1
        self.clock.ready = time.monotonic()
        self.map.place_live(values)
        if values is not None:
            self.recogniser.predict(values)

    def shutdown(self) -> None:
        self.map.shutdown()
        self.recogniser.shutdown()


def spread(values: np.ndarray) -> str:
    p50, p95 = np.percentile(values, [50, 95])
    return f"median {p50:.0f} ms, p95 {p95:.0f} ms, max {values.max():.0f} ms"


def report(seconds: float, live: dict) -> None:
    updates = live["updates voiced"] + live["updates silent"]
    print(f"    live updates: {updates} in {seconds:g} s ({updates / seconds:.2f}/s), "
          f"{live['updates silent']} shown as silence")
    print(f"    block that completed the window -> features ready: {spread(live['analysis ms'])}")
    print(f"    features ready -> map painted with the moved marker: {spread(live['draw ms'])}")
    n = min(len(live["analysis ms"]), len(live["draw ms"]))
    total = live["analysis ms"][-n:] + live["draw ms"][-n:] + 1000 * live["latency"]
    print(f"    speech -> moving point (+ {1000 * live['latency']:.0f} ms input latency): {spread(total)} "
          "(target <= 300 ms)")


def main(seconds: float = 60.0) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:2]))
    app = QApplication([])
    app.setApplicationName("SERVIS live emotion bench")
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major")
    with tempfile.TemporaryDirectory(prefix="servis-bench-live-") as tmp:
        views = LiveViews(Path(tmp))
        try:
            with speaking(Path(tmp), 2 * seconds):
                alone = with_live_view(seconds, Path(tmp) / "alone", f0=True)
                live = with_live_view(seconds, Path(tmp) / "live", f0=True, attach=views.attach)
        finally:
            views.shutdown()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{seconds:g} s of speech from the virtual microphone at {live['sr']} Hz per run, {cores} cores; "
          f"map of {CLIPS} clips, model of {len(views.recogniser.model.feature_names)} features")
    report_panel("alone (baseline: waveform, mel, f0)", alone, alone)
    report_panel("with live emotion (map + bars)", live, alone)
    report(seconds, live)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each run (default 60)")
    main(parser.parse_args().seconds)
