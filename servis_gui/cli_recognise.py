"""``servis evaluate`` and ``servis predict``: the baseline recogniser without a window.

``servis evaluate`` analyses a corpus exactly as ``servis analyse`` does (same scan, same cache, same
default features), evaluates a linear classifier speaker-independently and prints its UAR with a
95 % interval, the per-class recall and the confusion matrix; it can write them as CSV and save a
model trained on every clip. ``servis predict`` applies such a model to audio files.

This module imports no Qt and no pyqtgraph: ``app.main`` hands these commands to :func:`main`
before anything loads them.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from servis_gui.cli import (
    EXIT_INTERRUPTED, EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, CtrlC, UsageError, analyse_records, positive_int,
    run_command, say, scan_records,
)
from servis_gui.core.corpus_run import CorpusResult, feature_names
from servis_gui.core.datasets.detect import corpus_name
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.emotions import UNKNOWN
from servis_gui.core.errors import ServisError
from servis_gui.core.features import set_fft_backend
from servis_gui.core.functionals import file_functionals
from servis_gui.core.model_file import CLASSIFIERS, LOSO_TEXT, Model, ModelFileError, load_model, save_model
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH
from servis_gui.core.recogniser import (
    FEATURE_SETS, Evaluation, corpus_folds, evaluate, evaluation_rows, select, speaker_normalise, train,
)

DEFAULT_FEATURES = "all"

EVALUATE_EPILOG = f"""folds:
  loso    leave one speaker out: every speaker is held out once (the default)
  corpus  the corpus's own folds (IEMOCAP's sessions, MSP-Podcast's splits); when the corpus has
          none, or a speaker is in more than one of them, leave-one-speaker-out is used and said

--out CSV layout: the header
  kind,emotion,clips,value,ci_low,ci_high,chance,<one column per emotion: predicted as it>
  then one row per emotion (emotion order) of each kind:
  recall     emotion, its clips, value = its recall; the other columns empty
  confusion  emotion = the true emotion, its clips, then the clips predicted as each column's emotion
  and last one summary row:
  summary    clips = all clips evaluated, value = UAR, ci_low/ci_high = its 95 % interval, chance

exit codes:
  {EXIT_OK}    evaluated every clip
  {EXIT_SOME_FAILED}    some clips could not be analysed (listed on stderr); the others were evaluated
  {EXIT_USAGE}    bad arguments, nothing to analyse, fewer than 2 speakers (folds) or 2 emotions,
       or an output cannot be written
  {EXIT_INTERRUPTED}  interrupted (Ctrl+C): nothing written; the clips analysed are kept in the cache"""

PREDICT_EPILOG = f"""The files are analysed with the default settings of servis analyse, as servis evaluate does.
For an svm model the numbers are the softmax of its decision values: a ranking, not calibrated
probabilities.

exit codes:
  {EXIT_OK}    every file was predicted
  {EXIT_SOME_FAILED}    some files could not be analysed (said on stderr); the others were predicted
  {EXIT_USAGE}    bad arguments, or the model cannot be read or does not fit these features"""


def main(argv: list[str]) -> int:
    """Run ``servis evaluate ...`` or ``servis predict ...``.

    Parameters
    ----------
    argv : list of str
        The command and its arguments, e.g. ``["evaluate", "corpus/", "--folds", "loso"]``.

    Returns
    -------
    int
        The exit code: ``EXIT_OK``, ``EXIT_SOME_FAILED``, ``EXIT_USAGE`` or ``EXIT_INTERRUPTED``.
    """
    build, run = _COMMANDS[argv[0]]
    return run_command(argv[0], build, run, argv[1:])


def build_evaluate_parser() -> argparse.ArgumentParser:
    """The argument parser of ``servis evaluate`` (its ``--help`` documents the CSV and the exit codes).

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="servis evaluate", epilog=EVALUATE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Analyse a corpus as servis analyse does, then evaluate a linear emotion classifier "
                    "without ever testing on a training speaker: UAR with its 95 % interval, chance, "
                    "per-class recall and the confusion matrix.")
    parser.add_argument("path", type=Path, metavar="PATH", help="a dataset folder SERVIS recognises")
    parser.add_argument("--features", choices=tuple(FEATURE_SETS), default=DEFAULT_FEATURES, metavar="SET",
                        help=f"the feature set: {', '.join(map(repr, FEATURE_SETS))} (default: {DEFAULT_FEATURES})")
    parser.add_argument("--classifier", choices=CLASSIFIERS, default="logreg",
                        help="logistic regression (default) or a linear SVM, classes balanced")
    parser.add_argument("--folds", choices=("loso", "corpus"), default="loso",
                        help="leave one speaker out (default), or the corpus's own folds")
    parser.add_argument("--normalise", action="store_true",
                        help="z-score every feature within each speaker first (uses no label)")
    parser.add_argument("--out", type=Path, metavar="CSV", help="also write the evaluation as CSV (layout below)")
    parser.add_argument("--save-model", type=Path, metavar="FILE",
                        help="train on every clip and write the model (JSON) for servis predict")
    parser.add_argument("--jobs", type=positive_int, default=2, metavar="N",
                        help="worker processes of the analysis (default: 2; 1 computes in this process)")
    parser.set_defaults(no_cache=False)  # cli.analyse_records reads it: the cache is always used here
    return parser


def build_predict_parser() -> argparse.ArgumentParser:
    """The argument parser of ``servis predict``.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="servis predict", epilog=PREDICT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Predict the emotion of audio files with a model saved by servis evaluate --save-model: "
                    "every emotion's probability, highest first, and the predicted one.")
    parser.add_argument("model", type=Path, metavar="MODEL", help="a model file (JSON)")
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="audio files")
    return parser


# --- evaluate ---------------------------------------------------------------------------------------------


def _evaluate(args: argparse.Namespace) -> int:
    for option, path in (("--out", args.out), ("--save-model", args.save_model)):
        _check_writable(option, path)
    if args.save_model is not None and args.normalise:
        raise UsageError("--save-model cannot be used with --normalise: a model predicts one file at a time, "
                          "without the other clips of its speaker to normalise by")
    if args.path.is_file():
        raise UsageError(f"{args.path} is a file; servis evaluate needs a dataset folder")
    params, pitch = FeatureParams(), DEFAULT_PITCH
    interrupted = CtrlC(args.command)
    try:
        with interrupted:
            records = scan_records(args.path, interrupted.seen, args.command)
            result = analyse_records(records, params, pitch, args, interrupted.seen)
            if result.cancelled:
                return _stopped(len(result.records) + len(result.failures))
            for path, reason in result.failures:
                say(f"  could not analyse {path}: {reason}")
            table = _Table.of(result, args)
            evaluation = evaluate(table.x, table.labels, table.speakers, args.classifier, table.folds,
                                  cancelled=interrupted.seen)
            if evaluation is None:
                return _stopped(None)
    except KeyboardInterrupt:  # a second Ctrl+C
        return _stopped(None)
    except ServisError as error:  # too few speakers or emotions, a feature set these features lack
        raise UsageError(str(error)) from error
    print(_report(evaluation, table, args), flush=True)
    _write_outputs(evaluation, table, args, result)
    return EXIT_SOME_FAILED if result.failures else EXIT_OK


class _Table:
    """The clips to evaluate: features of the chosen set, emotions, speakers, folds, and what they are."""

    def __init__(self, names: tuple[str, ...], x: np.ndarray, records: Sequence[ClipRecord], folds: object,
                 folds_text: str, corpus: str) -> None:
        self.names, self.x, self.folds, self.folds_text, self.corpus = names, x, folds, folds_text, corpus
        self.labels = [r.emotion for r in records]
        self.speakers = [r.speaker for r in records]

    @classmethod
    def of(cls, result: CorpusResult, args: argparse.Namespace) -> _Table:
        """Labelled clips only; raises ``ServisError``/``UsageError`` when they cannot be evaluated."""
        keep = [i for i, r in enumerate(result.records) if r.emotion not in ("", UNKNOWN)]
        if len(keep) < len(result.records):
            say(f"servis evaluate: {len(result.records) - len(keep)} clip(s) without an agreed emotion left out")
        records = [result.records[i] for i in keep]
        if not records:
            raise UsageError(f"{args.path}: no clip has an emotion label")
        if any(not r.speaker for r in records):
            raise UsageError(f"{args.path}: the corpus does not name the speaker of every clip; a "
                              "speaker-independent evaluation needs them")
        names, x = select(result.names, result.values[keep], args.features)
        speakers = [r.speaker for r in records]
        if args.normalise:
            x = speaker_normalise(x, speakers)
        folds, text = _folds(records) if args.folds == "corpus" else ("loso", LOSO_TEXT)
        return cls(names, x, records, folds, text, corpus_name(records))

    def describe(self) -> str:
        """E.g. ``RAVDESS: 48 clips, 4 speakers, 3 emotions``."""
        return (f"{self.corpus}: {len(self.labels)} clips, {len(set(self.speakers))} speakers, "
                f"{len(set(self.labels))} emotions")


def _folds(records: Sequence[ClipRecord]) -> tuple[object, str]:
    """The corpus's own folds (each clip's fold id) and their name, or leave-one-speaker-out with a note."""
    folds, text = corpus_folds(records)
    if folds is None:
        say(f"servis evaluate: {text}; using {LOSO_TEXT}")
        return "loso", LOSO_TEXT
    return folds, text


def _report(evaluation: Evaluation, table: _Table, args: argparse.Namespace) -> str:
    """The table printed on stdout; its last line is ``UAR 0.xxx [0.xxx, 0.xxx]``."""
    classes = evaluation.classes
    clips = evaluation.confusion.sum(axis=1)
    width = max(len("emotion"), *map(len, classes))
    normalised = ", speaker-normalised" if args.normalise else ""
    lines = [table.describe(),
             f"features {args.features!r} ({len(table.names)}{normalised}), {args.classifier}, "
             f"{table.folds_text} ({evaluation.folds} folds)", "",
             f"{'emotion':<{width}}  clips  recall"]
    lines += [f"{c:<{width}}  {n:>5}  {r:6.3f}" for c, n, r in zip(classes, clips, evaluation.recall)]
    cell = max(5, *map(len, classes))
    lines += ["", "confusion matrix (rows: true emotion, columns: predicted)",
              " " * width + "".join(f"  {c:>{cell}}" for c in classes)]
    lines += [f"{c:<{width}}" + "".join(f"  {n:>{cell}}" for n in row) for c, row in zip(classes, evaluation.confusion)]
    low, high = evaluation.ci
    lines += ["", f"chance {evaluation.chance:.3f}",
              f"95 % interval: bootstrap over {evaluation.ci_unit}",
              f"UAR {evaluation.uar:.3f} [{low:.3f}, {high:.3f}]"]
    return "\n".join(lines)


def _write_outputs(evaluation: Evaluation, table: _Table, args: argparse.Namespace, result: CorpusResult) -> None:
    """The CSV and the model, as asked; a file that cannot be written is a usage error (exit 2)."""
    try:
        if args.out is not None:
            with args.out.open("w", newline="", encoding="utf-8") as file:
                csv.writer(file).writerows(evaluation_rows(evaluation))
            say(f"servis evaluate: wrote {args.out}")
        if args.save_model is not None:
            description = f"{table.describe()} ({args.path.resolve()})"
            if result.failures:
                description += f"; {len(result.failures)} clips could not be analysed"
            model = train(table.x, table.labels, table.names, args.features, args.classifier, description,
                          evaluation.uar, table.folds_text)
            save_model(model, args.save_model)
            say(f"servis evaluate: trained on all {len(table.labels)} clips; wrote {args.save_model}")
    except (ServisError, OSError) as error:
        raise UsageError(str(error)) from error


def _check_writable(option: str, path: Path | None) -> None:
    """Refuse, before any work, an output whose folder does not exist or that is a folder."""
    if path is None:
        return
    if not path.parent.is_dir():
        raise UsageError(f"{option} {path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise UsageError(f"{option} {path} is a folder; name the file to write")


def _stopped(reached: int | None) -> int:
    """Say what an interrupted evaluation kept; ``reached`` is the clips analysed, None if past that."""
    where = "" if reached is None else f" after {reached} clips"
    say(f"servis evaluate: interrupted{where}; nothing written. The clips analysed are kept in the cache: "
         "run the same command to continue.")
    return EXIT_INTERRUPTED


# --- predict ----------------------------------------------------------------------------------------------


def _predict(args: argparse.Namespace) -> int:
    try:
        model = load_model(args.model)
        params = _params_for(model)
        _check_model(model, params)
    except ModelFileError as error:
        raise UsageError(_plain(error)) from error
    set_fft_backend("scipy")  # as servis analyse computes the training clips
    if model.classifier == "svm":
        say("servis predict: an svm model: the numbers rank the emotions, they are not calibrated probabilities")
    failed = 0
    for path in args.files:
        try:
            features = file_functionals(str(path), params, DEFAULT_PITCH)
        except ServisError as error:
            say(f"servis predict: could not analyse {path}: {error}")
            failed += 1
            continue
        _, x = select(tuple(features), np.array(list(features.values())), model.feature_set)
        print(_prediction(path, model.classes, model.predict_proba(x)), flush=True)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _params_for(model: Model) -> FeatureParams:
    """The analysis settings of ``servis analyse``'s defaults, with as many mel bands as the model has."""
    mel = sum(1 for name in model.feature_names if FEATURE_SETS["mel"].fullmatch(name))
    return FeatureParams(n_mels=mel) if mel else FeatureParams()


def _check_model(model: Model, params: FeatureParams) -> None:
    """Raise ``ModelFileError`` unless the model's feature set gives exactly its features from ``params``."""
    if model.feature_set not in FEATURE_SETS:
        raise ModelFileError(f"{_named(model)} uses the feature set {model.feature_set!r}, which this version "
                             "of SERVIS does not know.")
    names = feature_names(params)
    try:
        chosen, _ = select(names, np.full(len(names), np.nan), model.feature_set)
    except ServisError as error:
        raise ModelFileError(str(error)) from error
    model.check_features(chosen)


def _named(model: Model) -> str:
    """How a message names the model: ``the model (its description)``."""
    return f"the model ({model.description})" if model.description else "the model"


def _plain(error: ServisError) -> str:
    """The message of a ``ServisError`` with its details, if any, on one line."""
    return f"{error} ({error.details})" if error.details else str(error)


def _prediction(path: Path, classes: Sequence[str], proba: np.ndarray) -> str:
    """``path: angry`` and then every emotion's probability, highest first."""
    order = np.argsort(-proba, kind="stable")
    width = max(map(len, classes))
    return "\n".join([f"{path}: {classes[order[0]]}", *(f"  {classes[i]:<{width}}  {proba[i]:.3f}" for i in order)])


_COMMANDS = {"evaluate": (build_evaluate_parser, _evaluate), "predict": (build_predict_parser, _predict)}
