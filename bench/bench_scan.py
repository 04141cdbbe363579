"""Time dataset indexing on synthetic IEMOCAP-size (10,000 files) and CREMA-D (7,442) trees.

The trees are built in a temporary folder with empty audio files (a scan never opens audio).
Each scan is compared with a bare ``os.walk`` over the same tree, run in the same process,
so the ratio says how much the readers add to the file-system listing itself.

Usage::

    python bench/bench_scan.py
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from servis_gui.core.datasets import cremad, iemocap, scan_dataset

BUDGET_S = 2.0
REPEATS = 3
IEMOCAP_FILES = 10_000
CREMAD_FILES = 7_442
IEMOCAP_CODES = tuple(iemocap.EMOTIONS)
EVALUATION_HEADER = "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]\n\n"


def _dialogs() -> list[tuple[int, str]]:
    """Return (session, dialog name) pairs: 5 sessions x 30 dialogs, impro and script."""
    names = []
    for session, gender, n in itertools.product(range(1, 6), "FM", range(1, 16)):
        kind = f"impro{n:02d}" if n <= 8 else f"script{n - 8:02d}_1"
        names.append((session, f"Ses{session:02d}{gender}_{kind}"))
    return names


def _write_dialog(root: Path, session: int, dialog: str, count: int) -> None:
    """Write one dialog's utterance files, EmoEvaluation file and transcript."""
    base = root / f"Session{session}"
    wav = base / "sentences" / "wav" / dialog
    wav.mkdir(parents=True)
    turns, lines = [], []
    for i in range(count):
        utterance = f"{dialog}_{'FM'[i % 2]}{i:03d}"
        (wav / f"{utterance}.wav").touch()
        code = IEMOCAP_CODES[i % len(IEMOCAP_CODES)]
        turns.append(f"[{i}.0000 - {i}.5000]\t{utterance}\t{code}\t[2.5000, 3.0000, 3.5000]\n"
                     "C-E1:\tNeutral;\t()\nC-E2:\tAnger;\t()\nA-E1:\tval 3; act 2; dom  2;\t()\n\n")
        lines.append(f"{utterance} [{i:07.4f}-{i + 0.5:07.4f}]: Hello number {i}.\n")
    evaluation = base / "dialog" / "EmoEvaluation"
    (evaluation / "Categorical").mkdir(parents=True, exist_ok=True)
    (evaluation / f"{dialog}.txt").write_text(EVALUATION_HEADER + "".join(turns))
    transcripts = base / "dialog" / "transcriptions"
    transcripts.mkdir(parents=True, exist_ok=True)
    (transcripts / f"{dialog}.txt").write_text("".join(lines))


def build_iemocap(root: Path, files: int = IEMOCAP_FILES) -> Path:
    """Build an IEMOCAP-shaped tree with ``files`` labelled utterances; return its root."""
    dialogs = _dialogs()
    per_dialog, extra = divmod(files, len(dialogs))
    for index, (session, dialog) in enumerate(dialogs):
        _write_dialog(root, session, dialog, per_dialog + (index < extra))
    return root


def build_cremad(root: Path, files: int = CREMAD_FILES) -> Path:
    """Build a CREMA-D ``AudioWAV`` tree with ``files`` files and its demographics CSV."""
    audio = root / "AudioWAV"
    audio.mkdir(parents=True)
    actors = range(1001, 1092)
    names = (
        f"{actor}_{sentence}_{emotion}_{level}"
        for actor, sentence, emotion in itertools.product(actors, cremad.SENTENCES, cremad.EMOTIONS)
        for level in (("LO", "MD", "HI") if sentence == "IEO" and emotion != "NEU" else ("XX",))
    )
    for name in itertools.islice(names, files):
        (audio / f"{name}.wav").touch()
    rows = "".join(f"{a},30,{'Male' if a % 2 else 'Female'},White,Not Hispanic\n" for a in actors)
    (root / "VideoDemographics.csv").write_text("ActorID,Age,Sex,Race,Ethnicity\n" + rows)
    return root


def _best_time(task: Callable[[], object]) -> float:
    """Return the best wall time of :data:`REPEATS` runs of ``task``."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return min(times)


def _bare_walk(root: Path) -> int:
    """The baseline: list every file with ``os.walk`` and nothing else."""
    return sum(len(files) for _, _, files in os.walk(root))


def bench(name: str, root: Path, expected_corpus: str) -> bool:
    """Time one tree, print the figures and return whether it met the budget."""
    result = scan_dataset(root)  # warm the file-system cache and check the result
    assert result.corpus == expected_corpus, result.corpus
    count = len(result.records)
    scan_s = _best_time(lambda: scan_dataset(root))
    walk_s = _best_time(lambda: _bare_walk(root))
    verdict = "ok" if scan_s <= BUDGET_S else f"OVER the {BUDGET_S:.0f} s budget"
    print(f"{name:8s} {count:6d} files  scan {scan_s:6.3f} s  {count / scan_s:9.0f} files/s  "
          f"bare os.walk {walk_s:6.3f} s  ratio {scan_s / walk_s:5.1f}x  {verdict}")
    return scan_s <= BUDGET_S


def main() -> int:
    """Build both trees, time them and return 0 when both are within budget."""
    with tempfile.TemporaryDirectory(prefix="servis-bench-") as folder:
        iemocap = build_iemocap(Path(folder) / "IEMOCAP_full_release")
        cremad = build_cremad(Path(folder) / "CREMA-D")
        ok = [bench("IEMOCAP", iemocap, "IEMOCAP"), bench("CREMA-D", cremad, "CREMA-D")]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
