"""``servis analyse``: the per-clip features of a corpus (or one file) written to CSV, without a window.

This module imports no Qt and no pyqtgraph: ``app.main`` hands ``servis analyse ...`` to
:func:`analyse_main` before anything loads them.
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from servis_gui.core.corpus_cache import CorpusCache, settings_record
from servis_gui.core.corpus_run import (
    CorpusResult, analyse_clips, write_definitions_json, write_failures_csv, write_features_csv,
)
from servis_gui.core.datasets.detect import scan_dataset
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.errors import ServisError
from servis_gui.core.features import set_fft_backend
from servis_gui.core.functionals import feature_specs
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH, METHODS, PitchParams

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

EXIT_CODES = f"""exit codes:
  {EXIT_OK}    every clip was analysed
  {EXIT_SOME_FAILED}    some clips could not be analysed: they are listed on stderr and in
       <out stem>.failures.csv (path, reason); the CSV holds all the others
  {EXIT_USAGE}    bad arguments, PATH missing, nothing to analyse, or the output cannot be written
  {EXIT_INTERRUPTED}  interrupted (Ctrl+C): nothing written; clips already analysed are kept in the
       cache, so the same command continues where it stopped

outputs: the CSV (one row per clip: path, emotion, speaker, gender, sentence, then the
features) and, next to it, <out stem>.json with every column's unit and definition and the
settings used. Files are replaced whole or not at all."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``servis analyse`` (its ``--help`` documents the exit codes).

    Returns
    -------
    argparse.ArgumentParser
    """
    defaults = FeatureParams()
    parser = argparse.ArgumentParser(
        prog="servis analyse", epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compute the per-clip acoustic features (prosody, voice quality, spectral, "
                    "MFCC, level, mel bands) of every clip of a dataset folder SERVIS recognises, or "
                    "of one audio file, and write them as CSV.")
    parser.add_argument("path", type=Path, metavar="PATH", help="a dataset folder or an audio file")
    parser.add_argument("--out", type=Path, default=Path("features.csv"),
                        help="the CSV to write (default: features.csv in the current folder)")
    parser.add_argument("--jobs", type=positive_int, default=2, metavar="N",
                        help="worker processes (default: 2; 1 computes in this process)")
    parser.add_argument("--pitch-floor", type=float, default=DEFAULT_PITCH.floor_hz, metavar="HZ",
                        help=f"pitch floor in Hz (default: {DEFAULT_PITCH.floor_hz:g})")
    parser.add_argument("--pitch-ceiling", type=float, default=DEFAULT_PITCH.ceiling_hz, metavar="HZ",
                        help=f"pitch ceiling in Hz (default: {DEFAULT_PITCH.ceiling_hz:g})")
    parser.add_argument("--pitch-method", choices=METHODS, default=DEFAULT_PITCH.method,
                        help="Praat's pitch tracker: ac (autocorrelation, default) or cc (cross-correlation)")
    parser.add_argument("--sr", type=positive_int, default=defaults.sr, metavar="HZ",
                        help=f"analysis sample rate; clips are resampled to it (default: {defaults.sr})")
    parser.add_argument("--n-mels", type=positive_int, default=defaults.n_mels, metavar="N",
                        help=f"mel bands, one mean column each (default: {defaults.n_mels})")
    parser.add_argument("--no-cache", action="store_true",
                        help="compute every clip, neither reading nor writing the feature cache")
    return parser


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


def analyse_main(argv: list[str]) -> int:
    """Run ``servis analyse`` with the arguments after ``analyse``.

    Parameters
    ----------
    argv : list of str
        E.g. ``["corpus/", "--out", "features.csv", "--jobs", "2"]``.

    Returns
    -------
    int
        The exit code: ``EXIT_OK``, ``EXIT_SOME_FAILED``, ``EXIT_USAGE`` or ``EXIT_INTERRUPTED``.
    """
    return run_command("analyse", build_parser, _analyse, argv)


def run_command(name: str, build: Callable[[], argparse.ArgumentParser],
                run: Callable[[argparse.Namespace], int], argv: list[str]) -> int:
    """Parse ``argv`` with ``build()`` and ``run`` the command; a usage error is one line on stderr.

    Returns
    -------
    int
        ``run``'s exit code; 0 for ``--help``; ``EXIT_USAGE`` for bad arguments.
    """
    try:
        args = build().parse_args(argv)
    except SystemExit as stop:  # --help (0) or an argument error, already printed (2)
        return int(stop.code or 0)
    args.command = f"servis {name}"
    try:
        return run(args)
    except UsageError as error:
        say(f"servis {name}: error: {error}")
        return EXIT_USAGE


class UsageError(Exception):
    """Something about the arguments that makes the analysis impossible; the message says what."""


def _analyse(args: argparse.Namespace) -> int:
    params, pitch = _settings(args)
    outputs = _Outputs.for_csv(args.out)
    interrupted = CtrlC(args.command)
    started = time.monotonic()
    try:
        with interrupted:
            records = scan_records(args.path, interrupted.seen, args.command)
            result = analyse_records(records, params, pitch, args, interrupted.seen)
    except KeyboardInterrupt:  # Ctrl+C during the scan, or a second one
        return _interrupted(None, not args.no_cache)
    if result.cancelled:
        return _interrupted(result, not args.no_cache)
    outputs.write(result, params, settings_record(params, pitch))
    _report(result, outputs, time.monotonic() - started)
    return EXIT_SOME_FAILED if result.failures else EXIT_OK


def analyse_records(records: tuple[ClipRecord, ...], params: FeatureParams, pitch: PitchParams,
                    args: argparse.Namespace, cancelled: Callable[[], bool]) -> CorpusResult:
    """``analyse_clips`` with the user's cache and a progress line on the terminal (``args.command`` speaks)."""
    set_fft_backend("scipy")  # 4-5x numpy's in float32; the workers take the same back-end
    cache = None if args.no_cache else _open_cache(args.command)
    progress = _Progress(sys.stderr, len(records))
    try:
        return analyse_clips(records, params, pitch, args.jobs, cache, progress, cancelled)
    finally:
        progress.clear()
        if cache is not None:
            cache.close()


def _settings(args: argparse.Namespace) -> tuple[FeatureParams, PitchParams]:
    """``FeatureParams`` and ``PitchParams`` from the options, or a usage error saying what is wrong."""
    try:
        params = FeatureParams(sr=args.sr, n_mels=args.n_mels, n_mfcc=min(FeatureParams.n_mfcc, args.n_mels))
        pitch = DEFAULT_PITCH.with_changes(floor_hz=args.pitch_floor, ceiling_hz=args.pitch_ceiling,
                                           method=args.pitch_method)
    except ValueError as error:
        raise UsageError(str(error)) from error
    return params, pitch


def scan_records(path: Path, cancelled: Callable[[], bool], command: str) -> tuple[ClipRecord, ...]:
    """The clips to analyse: a scanned dataset folder, or the one file; ``command`` names the scan's warnings."""
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    if not path.is_dir():
        return (ClipRecord(path.resolve(), "", ""),)
    scan = scan_dataset(path, cancelled=cancelled)
    if scan.cancelled:
        raise KeyboardInterrupt
    for warning in scan.warnings:
        say(f"{command}: {warning}")
    if not scan.records:
        raise UsageError(f"nothing to analyse: no audio files found in {path}")
    say(f"{scan.corpus}: {len(scan.records)} clips in {path}")
    return scan.records


def _open_cache(command: str) -> CorpusCache | None:
    """The user's feature cache, or None (with a warning) when it cannot be opened."""
    try:
        return CorpusCache()
    except (sqlite3.Error, OSError) as error:
        say(f"{command}: the feature cache cannot be used ({error}); every clip is computed")
        return None


class _Outputs:
    """The CSV, its JSON sidecar and the failures list, named after ``--out``."""

    def __init__(self, csv: Path, sidecar: Path, failures: Path) -> None:
        self.csv, self.sidecar, self.failures = csv, sidecar, failures

    @classmethod
    def for_csv(cls, out: Path) -> _Outputs:
        if out.suffix.lower() == ".json":
            raise UsageError(f"--out {out}: the sidecar is the .json file; name the CSV .csv")
        if not out.parent.is_dir():
            raise UsageError(f"--out {out}: the folder {out.parent} does not exist")
        if out.is_dir():
            raise UsageError(f"--out {out} is a folder; name the CSV file to write")
        return cls(out, out.with_suffix(".json"), out.with_suffix(".failures.csv"))

    def write(self, result: CorpusResult, params: FeatureParams, settings: dict) -> None:
        """Write all three (the failures list only when there are failures; a stale one is removed)."""
        try:
            write_features_csv(result, self.csv)
            write_definitions_json(feature_specs(params.n_mels), self.sidecar, settings)
            if result.failures:
                write_failures_csv(result.failures, self.failures)
            else:
                self.failures.unlink(missing_ok=True)
        except (ServisError, OSError) as error:
            raise UsageError(str(error)) from error


class CtrlC:
    """Turns the first Ctrl+C into a polite stop (``seen()`` turns true); a second one interrupts.

    ``command`` (``"servis analyse"``) names the stop it announces.
    """

    def __init__(self, command: str) -> None:
        self.command = command
        self._seen = False
        self._previous = None

    def seen(self) -> bool:
        return self._seen

    def __enter__(self) -> CtrlC:
        self._previous = signal.signal(signal.SIGINT, self._on_signal)
        return self

    def __exit__(self, *_exc: object) -> None:
        signal.signal(signal.SIGINT, self._previous)

    def _on_signal(self, _signum, _frame) -> None:
        self._seen = True
        signal.signal(signal.SIGINT, signal.default_int_handler)
        say(f"\n{self.command}: stopping (Ctrl+C again to stop at once)...")


class _Progress:
    """``\\r``-updated progress on a terminal: count, bar, clips/s and time left; silent otherwise."""

    WIDTH = 24
    INTERVAL_S = 0.1
    RATE_WINDOW = 50

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream = stream
        self.total = total
        self.live = stream.isatty()
        self.start = time.monotonic()
        self.samples: deque[tuple[float, int]] = deque([(self.start, 0)], maxlen=self.RATE_WINDOW)
        self.shown = 0
        self.last_draw = float("-inf")

    def __call__(self, done: int, total: int, _path: Path) -> None:
        now = time.monotonic()
        self.samples.append((now, done))
        if self.live and (now - self.last_draw >= self.INTERVAL_S or done == total):
            self.last_draw = now
            self._draw(self.line(done, total))

    def line(self, done: int, total: int) -> str:
        """E.g. ``[#######.........]  312/1440 clips  21.4 clips/s  0:53 left``."""
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        rate = self.rate()
        speed = f"{rate:.1f} clips/s  {_clock((total - done) / rate)} left" if rate > 0 else "starting"
        return f"[{bar}] {done:>{len(str(total))}}/{total} clips  {speed}"

    def rate(self) -> float:
        """Clips per second over the last results (cache hits arrive in a burst and age out)."""
        (t0, done0), (t1, done1) = self.samples[0], self.samples[-1]
        return (done1 - done0) / (t1 - t0) if t1 > t0 and done1 > done0 else 0.0

    def clear(self) -> None:
        """Erase the progress line, so the summary starts on a clean line."""
        self._draw("")

    def _draw(self, text: str) -> None:
        if self.live:
            self.stream.write("\r" + text.ljust(self.shown) + ("" if text else "\r"))
            self.stream.flush()
            self.shown = len(text)


def _clock(seconds: float) -> str:
    """``0:53``, ``12:05`` or ``1:02:03``."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _report(result: CorpusResult, outputs: _Outputs, seconds: float) -> None:
    """The failures, one per line, then a summary line."""
    for path, reason in result.failures:
        say(f"  could not analyse {path}: {reason}")
    total = len(result.records) + len(result.failures)
    line = (f"servis analyse: {len(result.records)} of {total} clips analysed in {seconds:.1f} s "
            f"({result.cached} from the cache); wrote {outputs.csv} and {outputs.sidecar}")
    if result.failures:
        line += f"; {len(result.failures)} could not be analysed, listed in {outputs.failures}"
    say(line)


def _interrupted(result: CorpusResult | None, cached: bool) -> int:
    """Say what an interrupted run kept; ``result`` is None after a second Ctrl+C."""
    reached = "" if result is None else f" after {len(result.records) + len(result.failures)} clips"
    kept = "are kept in the cache: run the same command to continue" if cached else "were not kept (--no-cache)"
    say(f"servis analyse: interrupted{reached}; nothing written. The clips analysed {kept}.")
    return EXIT_INTERRUPTED


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
