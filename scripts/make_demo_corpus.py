"""Generate SERVIS's synthetic demo corpus with espeak-ng and sox.

Two espeak-ng voices speak RAVDESS's two statements in eight emotion styles
(32 clips). Each style varies speed, pitch level and range, loudness, word
gaps and sentence punctuation, plus an optional sox effect. Every clip then
gets 2 dB of headroom, is trimmed, given a light reverb (fearful: tremolo
after it), 0.25 s of room tone at each end and a seeded noise floor (about
-60 dBFS), and is written as 16 kHz mono FLAC next to a ``manifest.csv``.

These are synthetic voices, not real emotional speech. Requires the
``espeak-ng`` and ``sox`` programs on PATH.

Usage::

    python scripts/make_demo_corpus.py [--out resources/demo]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import soundfile as sf

SAMPLE_RATE = 16_000
NOISE_DBFS = -60.0
HEADROOM = ("gain", "-2")
TRIM = ("silence", "1", "0.01", "-50d")
REVERB = ("reverb", "20", "50", "30", "0")
ROOM_TONE = ("pad", "0.25", "0.25")
MANIFEST_HEADER = ("path", "emotion", "speaker", "gender", "sentence_id", "text")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "servis_gui" / "resources" / "demo"

README_TEXT = """\
# Demo corpus (synthetic)

These 32 clips are SYNTHETIC demo voices made with espeak-ng and sox:
2 voices (m3 male, f3 female) x 2 sentences x 8 emotion styles, 16 kHz mono FLAC.
They are NOT real emotional speech: the "emotions" are only changes of speed,
pitch level and range, loudness, pauses and a few sox effects, then a trim,
light reverb, 0.25 s of room tone at each end and seeded noise at about
-60 dBFS. Use them to try the app, not to judge or train an emotion model.

`manifest.csv` lists every clip (path relative to this folder, emotion,
speaker, gender, sentence_id, text).

Regenerate (needs the Debian packages espeak-ng and sox; with the same
espeak-ng 1.51 and sox 14.4.2 the output is byte-identical):

    python scripts/make_demo_corpus.py --out resources/demo
"""


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice and the speaker id and gender it stands for."""

    speaker: str
    espeak_voice: str
    gender: str


@dataclass(frozen=True)
class Sentence:
    """A sentence spoken in every emotion."""

    sentence_id: str
    text: str


@dataclass(frozen=True)
class Style:
    """espeak-ng and sox settings that render one emotion."""

    emotion: str
    speed: int
    pitch: int
    pitch_range: int
    amplitude: int
    word_gap: int
    ending: str
    effect: tuple[str, ...] = ()
    after_reverb: tuple[str, ...] = ()


VOICES = (
    Voice("m3", "en-us+m3", "male"),
    Voice("f3", "en+f3", "female"),
)

SENTENCES = (
    Sentence("kids", "Kids are talking by the door"),
    Sentence("dogs", "Dogs are sitting by the door"),
)

STYLES = (
    Style("neutral", 160, 50, 50, 100, 0, "."),
    Style("calm", 130, 40, 25, 70, 2, "."),
    Style("happy", 190, 70, 90, 125, 0, "!"),
    Style("sad", 115, 28, 8, 60, 5, "...", effect=("lowpass", "3500")),
    Style("angry", 200, 50, 75, 170, 0, "!", effect=("overdrive", "6")),
    Style("fearful", 230, 78, 60, 110, 1, "!", after_reverb=("tremolo", "8", "40")),
    Style("disgust", 120, 32, 40, 105, 3, ".", effect=("overdrive", "2")),
    Style("surprised", 170, 80, 100, 135, 0, "?"),
)


def clip_name(voice: Voice, sentence: Sentence, style: Style) -> str:
    """Return the file name ``<speaker>_<sentence>_<emotion>.flac``.

    Parameters
    ----------
    voice, sentence, style
        The clip's speaker, sentence and emotion.

    Returns
    -------
    str
        The FLAC file name.
    """
    return f"{voice.speaker}_{sentence.sentence_id}_{style.emotion}.flac"


def ssml_text(sentence: Sentence, style: Style) -> str:
    """Wrap the sentence and its ending in an SSML pitch-range element.

    Parameters
    ----------
    sentence
        The sentence to speak.
    style
        Supplies the prosody range (0-100) and the ending punctuation.

    Returns
    -------
    str
        An SSML document for ``espeak-ng -m``.
    """
    spoken = escape(sentence.text + style.ending)
    return f'<speak><prosody range="{style.pitch_range}">{spoken}</prosody></speak>'


def espeak_command(voice: Voice, sentence: Sentence, style: Style, wav: Path) -> list[str]:
    """Build the espeak-ng command that writes the raw utterance to ``wav``.

    Parameters
    ----------
    voice, sentence, style
        What to say, with which voice and settings.
    wav
        Output WAV path (espeak-ng writes 22.05 kHz mono).

    Returns
    -------
    list of str
        The argument vector.
    """
    return [
        "espeak-ng", "-v", voice.espeak_voice, "-m",
        "-s", str(style.speed), "-p", str(style.pitch),
        "-a", str(style.amplitude), "-g", str(style.word_gap),
        "-w", str(wav), ssml_text(sentence, style),
    ]


def sox_command(src: Path, dst: Path, style: Style) -> list[str]:
    """Build the sox command that colours, resamples, trims and reverberates.

    The emotion's effect comes first, then a fixed 2 dB of headroom (so that
    resampling and reverb never clip, even after overdrive), the trim, a
    light mono reverb, the after-reverb effect (tremolo) and 0.25 s of
    padding at each end for room tone. The output is 32-bit float so that
    sox adds no (random) dither.

    Parameters
    ----------
    src
        The espeak-ng WAV.
    dst
        The processed float WAV at 16 kHz mono.
    style
        Supplies the emotion's sox effects.

    Returns
    -------
    list of str
        The argument vector.
    """
    trim_both_ends = [*TRIM, "reverse", *TRIM, "reverse"]
    return [
        "sox", str(src), "-e", "floating-point", "-b", "32", str(dst),
        *style.effect, *HEADROOM, "rate", str(SAMPLE_RATE), *trim_both_ends,
        *REVERB, *style.after_reverb, *ROOM_TONE,
    ]


def add_room_noise(audio: np.ndarray, seed: int) -> np.ndarray:
    """Add seeded white noise at ``NOISE_DBFS`` RMS.

    Parameters
    ----------
    audio
        Mono float samples in [-1, 1].
    seed
        Seed for the noise generator, so output is reproducible.

    Returns
    -------
    numpy.ndarray
        ``audio`` plus noise, float64.
    """
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(audio.shape[0]) * 10 ** (NOISE_DBFS / 20)
    return audio + noise


def render_clip(voice: Voice, sentence: Sentence, style: Style, out_dir: Path, work: Path) -> Path:
    """Synthesise, process and write one clip as 16-bit FLAC.

    Parameters
    ----------
    voice, sentence, style
        The clip to render.
    out_dir
        Folder that receives the FLAC.
    work
        Scratch folder for intermediate WAVs.

    Returns
    -------
    pathlib.Path
        The written FLAC.

    Raises
    ------
    RuntimeError
        If the processed clip is not 16 kHz mono or would reach full scale.
    """
    name = clip_name(voice, sentence, style)
    raw, processed = work / "raw.wav", work / "processed.wav"
    subprocess.run(espeak_command(voice, sentence, style, raw), check=True)
    subprocess.run(sox_command(raw, processed, style), check=True)
    audio, rate = sf.read(processed, dtype="float64")
    audio = add_room_noise(audio, zlib.crc32(name.encode()))
    if rate != SAMPLE_RATE or audio.ndim != 1 or np.max(np.abs(audio)) >= 32767 / 32768:
        raise RuntimeError(f"{name}: not {SAMPLE_RATE} Hz mono, or clipping")
    path = out_dir / name
    sf.write(path, audio, SAMPLE_RATE, format="FLAC", subtype="PCM_16")
    return path


def write_manifest(rows: list[dict[str, str]], out_dir: Path) -> Path:
    """Write ``manifest.csv`` with paths relative to ``out_dir``.

    Parameters
    ----------
    rows
        One dict per clip with the keys of ``MANIFEST_HEADER``.
    out_dir
        The corpus folder.

    Returns
    -------
    pathlib.Path
        The manifest path.
    """
    path = out_dir / "manifest.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=MANIFEST_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def level_report(path: Path) -> str:
    """Describe a clip's duration, peak and RMS level in one line.

    Parameters
    ----------
    path
        An audio file.

    Returns
    -------
    str
        ``name  duration s  peak dBFS  RMS dBFS``.
    """
    audio, rate = sf.read(path, dtype="float64")
    peak = 20 * np.log10(np.max(np.abs(audio)))
    rms = 20 * np.log10(np.sqrt(np.mean(audio**2)))
    return f"{path.name:<28} {audio.shape[0] / rate:6.2f} {peak:8.1f} {rms:8.1f}"


def build_corpus(out_dir: Path) -> list[Path]:
    """Render all clips, the manifest and the README into ``out_dir``.

    Parameters
    ----------
    out_dir
        The corpus folder (created if missing).

    Returns
    -------
    list of pathlib.Path
        The written clips, in manifest order.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    clips, rows = [], []
    with tempfile.TemporaryDirectory() as work:
        for voice in VOICES:
            for sentence in SENTENCES:
                for style in STYLES:
                    clip = render_clip(voice, sentence, style, out_dir, Path(work))
                    clips.append(clip)
                    rows.append({
                        "path": clip.name, "emotion": style.emotion,
                        "speaker": voice.speaker, "gender": voice.gender,
                        "sentence_id": sentence.sentence_id, "text": sentence.text,
                    })
    write_manifest(rows, out_dir)
    (out_dir / "README.md").write_text(README_TEXT, encoding="utf-8")
    return clips


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, build the corpus and print a level table.

    Parameters
    ----------
    argv
        Command-line arguments (default: ``sys.argv[1:]``).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: resources/demo)")
    args = parser.parse_args(argv)
    print(f"{'clip':<28} {'dur s':>6} {'peak dB':>8} {'RMS dB':>8}")
    for clip in build_corpus(args.out):
        print(level_report(clip))


if __name__ == "__main__":
    main()
