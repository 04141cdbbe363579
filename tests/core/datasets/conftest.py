"""Fixture corpora for the dataset readers, built in ``tmp_path`` with the real file names."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf


def _encoded(fmt: str) -> bytes:
    """Return 10 ms of a quiet 440 Hz tone at 16 kHz, encoded as ``fmt``."""
    buffer = io.BytesIO()
    tone = 0.1 * np.sin(2 * np.pi * 440 * np.arange(160) / 16_000).astype(np.float32)
    sf.write(buffer, tone, 16_000, format=fmt, subtype="PCM_16")
    return buffer.getvalue()


WAV = _encoded("WAV")
FLAC = _encoded("FLAC")


class Tree:
    """Writes files under ``root``: tiny real audio, text in a chosen encoding, raw bytes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def raw(self, rel: str, data: bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def audio(self, *rels: str) -> None:
        for rel in rels:
            self.raw(rel, FLAC if rel.endswith(".flac") else WAV)

    def text(self, rel: str, content: str, encoding: str = "utf-8") -> Path:
        return self.raw(rel, content.encode(encoding))


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """An empty folder to build a corpus in."""
    return Tree(tmp_path / "corpus")


EMO_EVAL_IMPRO = """% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]

[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]
C-E2:\tNeutral;\t()
C-E3:\tNeutral;\t()
C-F1:\tNeutral;\t(curious)
A-E3:\tval 3; act 2; dom  2;\t()
A-F1:\tval 3; act 2; dom  1;\t()

[10.0100 - 11.3925]\tSes01F_impro01_M000\tfru\t[2.0000, 3.5000, 3.5000]
C-E1:\tFrustration; Anger;\t()

[14.8872 - 18.0175]\tSes01F_impro01_F001\txxx\t[2.5000, 3.0000, 3.0000]
C-E2:\tNeutral;\t()
C-E3:\tAnger;\t()

[20.0000 - 22.5000]\tSes01F_impro01_F002\tneu
"""

EMO_EVAL_SCRIPT = """% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]

[3.0000 - 5.5000]\tSes01M_script01_1_M003\texc\t[4.0000, 4.0000, 3.0000]
C-E1:\tExcited;\t()

[7.1000 - 9.2500]\tSes01M_script01_1_F010\tsad\t[1.5000, 2.0000, 2.0000]
"""

TRANSCRIPT_IMPRO = """Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.
Ses01F_impro01_M000 [010.0100-011.3925]: Do you have your forms?
M: [BREATHING]
Ses01F_impro01_F001 [014.8872-018.0175]: Yeah.
"""

# Sub-folder files: real categorical lines (malformed as turns) and a turn-like line that
# would label F002 (unlabelled at the top level) angry if the sub-folders were read.
CATEGORICAL = (
    "Ses01F_impro01_F000 :Neutral state; ()\n"
    "[20.0000 - 22.5000]\tSes01F_impro01_F002\tang\t[1.0000, 5.0000, 5.0000]\n"
)


@pytest.fixture
def iemocap_root(tree: Tree) -> Path:
    """IEMOCAP release with Session1 (impro and script) and Session2, all quirks."""
    s1 = "IEMOCAP_full_release/Session1"
    tree.text(f"{s1}/dialog/EmoEvaluation/Ses01F_impro01.txt", EMO_EVAL_IMPRO)
    tree.text(f"{s1}/dialog/EmoEvaluation/Ses01M_script01_1.txt", EMO_EVAL_SCRIPT)
    for sub in ("Categorical/Ses01F_impro01_e2_cat.txt", "Attribute/Ses01F_impro01_e3_atr.txt",
                "Self-evaluation/Ses01F_impro01.txt"):
        tree.text(f"{s1}/dialog/EmoEvaluation/{sub}", CATEGORICAL)
    tree.text(f"{s1}/dialog/transcriptions/Ses01F_impro01.txt", TRANSCRIPT_IMPRO)
    tree.audio(f"{s1}/dialog/wav/Ses01F_impro01.wav")  # whole dialog: not an utterance
    wav = f"{s1}/sentences/wav"
    utterances = ("F000", "M000", "F001", "F002")
    tree.audio(*(f"{wav}/Ses01F_impro01/Ses01F_impro01_{u}.wav" for u in utterances))
    tree.audio(f"{wav}/Ses01M_script01_1/Ses01M_script01_1_M003.wav",
               f"{wav}/Ses01M_script01_1/Ses01M_script01_1_F010.wav")
    tree.raw(f"{wav}/Ses01F_impro01/._Ses01F_impro01_F000.wav", b"\x00\x05\x16\x07")
    s2 = "IEMOCAP_full_release/Session2"
    tree.text(f"{s2}/dialog/EmoEvaluation/Ses02M_impro03.txt",
              "[1.0000 - 2.0000]\tSes02M_impro03_M007\tang\t[1.5000, 4.5000, 4.0000]\n")
    tree.audio(f"{s2}/sentences/wav/Ses02M_impro03/Ses02M_impro03_M007.wav")
    return tree.root / "IEMOCAP_full_release"


@pytest.fixture
def ravdess_root(tree: Tree) -> Path:
    """RAVDESS speech and song folders, with video files that must be skipped."""
    tree.audio(
        "Audio_Speech_Actors_01-24/Actor_01/03-01-01-01-01-01-01.wav",
        "Audio_Speech_Actors_01-24/Actor_02/03-01-05-02-02-01-02.wav",
        "Audio_Speech_Actors_01-24/Actor_24/03-01-08-01-01-02-24.wav",
        "Audio_Song_Actors_01-24/Actor_01/03-02-06-02-02-02-01.wav",
        "Video_Speech_Actor_01/Actor_01/02-01-06-01-02-01-01.wav",
        "Video_Speech_Actor_01/Actor_01/01-01-06-01-02-01-01.wav",
    )
    tree.raw("Video_Speech_Actor_01/Actor_01/01-01-06-01-02-01-01.mp4", b"\x00" * 32)
    return tree.root


DEMOGRAPHICS = """ActorID,Age,Sex,Race,Ethnicity
1001,51,Male,Caucasian,Not Hispanic
1002,21,Female,Caucasian,Not Hispanic
1091,29,Female,Asian,Not Hispanic
"""

CREMAD_FILES = ("1001_DFA_ANG_XX", "1002_IEO_HAP_HI", "1091_WSI_SAD_LO", "1050_ITS_FEA_MD")


@pytest.fixture
def cremad_root(tree: Tree) -> Path:
    """CREMA-D with AudioWAV, AudioMP3 and the demographics table (actor 1050 missing)."""
    tree.audio(*(f"AudioWAV/{stem}.wav" for stem in CREMAD_FILES))
    tree.audio("AudioMP3/1001_DFA_ANG_XX.mp3")
    tree.text("VideoDemographics.csv", DEMOGRAPHICS)
    return tree.root


@pytest.fixture
def tess_root(tree: Tree) -> Path:
    """TESS with its inconsistent folder names and the misnamed OA_bite_neutral.wav."""
    base = "TESS Toronto emotional speech set data"
    tree.audio(
        f"{base}/OAF_angry/OAF_back_angry.wav",
        f"{base}/OAF_Pleasant_surprise/OAF_bath_ps.wav",
        f"{base}/YAF_pleasant_surprised/YAF_food_ps.wav",
        f"{base}/OAF_neutral/OA_bite_neutral.wav",
        f"{base}/OAF_Fear/OAF_dog_fear.wav",
        f"{base}/YAF_sad/YAF_germ_happy.wav",  # folder disagrees with the file name
        f"{base}/YAF_disgust/YAF_yes_disgust.wav",
    )
    return tree.root


@pytest.fixture
def savee_nested_root(tree: Tree) -> Path:
    """SAVEE as distributed: AudioData/<speaker>/<code><NN>.wav."""
    tree.audio(*(f"AudioData/{name}" for name in (
        "DC/a01.wav", "DC/sa02.wav", "JE/su15.wav", "JK/f03.wav", "KL/n30.wav", "KL/d07.wav",
    )))
    tree.text("AudioData/Info.txt", "Surrey Audio-Visual Expressed Emotion")
    return tree.root


@pytest.fixture
def savee_flat_root(tree: Tree) -> Path:
    """SAVEE flattened: DC_a01.wav ..."""
    tree.audio(*(f"ALL/{name}" for name in (
        "DC_a01.wav", "JK_sa01.wav", "KL_su05.wav", "JE_h02.wav", "DC_d12.wav",
    )))
    return tree.root


@pytest.fixture
def emodb_root(tree: Tree) -> Path:
    """EmoDB wav/ folder and its non-audio siblings."""
    tree.audio(*(f"wav/{stem}.wav" for stem in (
        "03a01Fa", "08b10Wb", "16a07Lc", "13b09Ea", "11a02Ab", "14a04Ta", "15b03Nc",
    )))
    tree.text("lablaut/03a01Fa.lab", "labels")
    return tree.root


ESD_MANDARIN = (
    "0001_000001\t打远一看，它们的确很是美丽，\t中立\n"
    "0001_000351\t他只是一个孩子。\t生气\n"
)
ESD_ENGLISH = (
    "0011_000001\tAuthor of the danger trail, Philip Steels, etc.\tNeutral\n"
    "0011_000351\tThe nine the eggs, I keep.\tAngry\n"
    "garbage line without an id\n"
)
ESD_LATIN1 = "0012_001401\tThe café is closed.\tSurprise\n"


@pytest.fixture
def esd_root(tree: Tree) -> Path:
    """ESD: gb2312, utf-16 and latin-1 transcripts; split folders and flat emotion folders."""
    base = "Emotional Speech Dataset (ESD)"
    tree.text(f"{base}/0001/0001.txt", ESD_MANDARIN, "gb2312")
    tree.text(f"{base}/0011/0011.txt", ESD_ENGLISH, "utf-16")
    tree.text(f"{base}/0012/0012.txt", ESD_LATIN1, "latin-1")
    tree.audio(
        f"{base}/0001/Neutral/0001_000001.wav",
        f"{base}/0001/Angry/0001_000351.wav",
        f"{base}/0011/Neutral/train/0011_000001.wav",
        f"{base}/0011/Angry/evaluation/0011_000351.wav",
        f"{base}/0011/Happy/test/0011_000701.wav",
        f"{base}/0012/Surprise/0012_001401.wav",
        f"{base}/0020/Sad/0020_001051.wav",  # speaker without transcript
    )
    return tree.root / base


MSP_LABELS = """FileName,EmoClass,EmoAct,EmoVal,EmoDom,SpkrID,Gender,Split_Set
MSP-PODCAST_0001_0008.wav,N,4.2,4.0,4.4,127,Female,Train
MSP-PODCAST_0001_0019.wav,X,3.0,2.6,3.2,Unknown,Unknown,Development
MSP-PODCAST_0002_0033.wav,C,5.0,2.0,5.2,883,Male,Test1
"""


def _msp(tree: Tree, label_file: str) -> Path:
    clips = ("0001_0008", "0001_0019", "0002_0033", "0003_0001")
    tree.audio(*(f"Audios/MSP-PODCAST_{n}.wav" for n in clips))
    tree.text(f"Labels/{label_file}", MSP_LABELS)
    return tree.root


@pytest.fixture
def msp_root(tree: Tree) -> Path:
    """MSP-Podcast with Labels/labels_consensus.csv and one unlabelled clip."""
    return _msp(tree, "labels_consensus.csv")


@pytest.fixture
def msp_old_root(tree: Tree) -> Path:
    """MSP-Podcast from an older release: Labels/labels_concensus.csv."""
    return _msp(tree, "labels_concensus.csv")


@pytest.fixture
def emovo_root(tree: Tree) -> Path:
    """EMOVO: one folder per speaker."""
    tree.audio(*(f"EMOVO/{name}" for name in (
        "f1/dis-f1-b1.wav", "m2/gio-m2-l3.wav", "f3/pau-f3-n5.wav", "m1/rab-m1-d2.wav",
        "m3/sor-m3-b2.wav", "f2/tri-f2-l1.wav", "m1/neu-m1-n1.wav",
    )))
    tree.text("EMOVO/documents/README.txt", "EMOVO")
    return tree.root / "EMOVO"


@pytest.fixture
def shemo_root(tree: Tree) -> Path:
    """ShEMO: male/ and female/ folders."""
    tree.audio(*(f"ShEMO/{name}" for name in (
        "female/F01A01.wav", "male/M12W03.wav", "female/F05F10.wav",
        "male/M01N02.wav", "male/M02H05.wav", "female/F03S07.wav",
    )))
    return tree.root / "ShEMO"


DEMO_MANIFEST = """path,emotion,speaker,gender,sentence_id,text
m3_kids_happy.flac,happy,m3,male,kids,Kids are talking by the door
f3_dogs_sad.flac,sad,f3,female,dogs,Dogs are sitting by the door
"""


@pytest.fixture
def demo_root(tree: Tree) -> Path:
    """SERVIS's demo corpus layout: FLAC files next to manifest.csv."""
    tree.audio("demo/m3_kids_happy.flac", "demo/f3_dogs_sad.flac")
    tree.text("demo/manifest.csv", DEMO_MANIFEST)
    tree.text("demo/README.md", "# Demo corpus (synthetic)")
    return tree.root / "demo"


@pytest.fixture
def folders_root(tree: Tree) -> Path:
    """Folder-per-label tree with synonyms, a nested speaker folder and an unlabelled folder."""
    tree.audio("angry/take1.wav", "Anger/take2.wav", "rab/take3.flac", "happy/spk1/take4.wav",
               "misc/take5.wav", "loose.wav", ".Trash/sad/deleted.wav", "sad/.hidden.wav")
    return tree.root

