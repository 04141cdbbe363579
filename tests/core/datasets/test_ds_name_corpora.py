"""TESS, SAVEE, EmoDB, EMOVO and ShEMO: labels, speakers, genders and texts from file names."""

from __future__ import annotations

from pathlib import Path

from servis_gui.core.datasets import ClipRecord, scan_dataset


def _scan(root: Path, corpus: str) -> dict[str, ClipRecord]:
    result = scan_dataset(root)
    assert result.corpus == corpus
    assert result.warnings == ()
    return {record.path.stem: record for record in result.records}


def _fields(record: ClipRecord) -> tuple[str, str, str, str]:
    return record.emotion, record.speaker, record.gender, record.sentence_id


def test_tess_labels_come_from_file_names(tess_root: Path) -> None:
    records = _scan(tess_root, "TESS")
    assert _fields(records["OAF_back_angry"]) == ("angry", "OAF", "female", "back")
    assert records["OAF_back_angry"].text == "Say the word back"
    assert records["OAF_bath_ps"].emotion == "surprised"
    assert (records["YAF_food_ps"].emotion, records["YAF_food_ps"].raw_label) == ("surprised", "ps")
    assert records["OAF_dog_fear"].emotion == "fearful"
    assert records["YAF_germ_happy"].emotion == "happy"  # in folder YAF_sad
    assert records["YAF_yes_disgust"].extra_value("age") == "26"


def test_tess_misnamed_oa_file_is_old_speaker(tess_root: Path) -> None:
    bite = _scan(tess_root, "TESS")["OA_bite_neutral"]
    assert _fields(bite) == ("neutral", "OAF", "female", "bite")
    assert bite.extra_value("age") == "64"


def test_savee_nested_two_letter_codes_first(savee_nested_root: Path) -> None:
    records = _scan(savee_nested_root, "SAVEE")
    assert {stem: r.emotion for stem, r in records.items()} == {
        "a01": "angry", "sa02": "sad", "su15": "surprised", "f03": "fearful",
        "n30": "neutral", "d07": "disgust",
    }
    assert _fields(records["sa02"]) == ("sad", "DC", "male", "sa02")
    assert records["su15"].speaker == "JE"


def test_savee_flat(savee_flat_root: Path) -> None:
    records = _scan(savee_flat_root, "SAVEE")
    assert _fields(records["JK_sa01"]) == ("sad", "JK", "male", "sa01")
    assert _fields(records["KL_su05"]) == ("surprised", "KL", "male", "su05")
    assert records["JE_h02"].emotion == "happy"
    assert records["DC_d12"].emotion == "disgust"
    assert records["DC_a01"].emotion == "angry"


def test_emodb_letters_speakers_and_sentences(emodb_root: Path) -> None:
    records = _scan(emodb_root, "EmoDB")
    happy = records["03a01Fa"]
    assert _fields(happy) == ("happy", "03", "male", "a01")  # F is Freude, not fear
    assert happy.text == "Der Lappen liegt auf dem Eisschrank."
    assert _fields(records["08b10Wb"]) == ("angry", "08", "female", "b10")
    assert records["08b10Wb"].text == "Die wird auf dem Platz sein, wo wir sie immer hinlegen."
    assert records["16a07Lc"].emotion == "boredom"
    assert records["13b09Ea"].emotion == "disgust"
    assert _fields(records["11a02Ab"]) == ("fearful", "11", "male", "a02")  # A is Angst
    assert records["14a04Ta"].text == "Heute abend könnte ich es ihm sagen."
    assert (records["14a04Ta"].emotion, records["15b03Nc"].emotion) == ("sad", "neutral")
    assert records["15b03Nc"].extra_value("version") == "c"


def test_emovo_codes_and_speakers(emovo_root: Path) -> None:
    records = _scan(emovo_root, "EMOVO")
    assert _fields(records["dis-f1-b1"]) == ("disgust", "f1", "female", "b1")
    assert _fields(records["gio-m2-l3"]) == ("happy", "m2", "male", "l3")
    assert {stem: r.emotion for stem, r in records.items()} == {
        "dis-f1-b1": "disgust", "gio-m2-l3": "happy", "pau-f3-n5": "fearful",
        "rab-m1-d2": "angry", "sor-m3-b2": "surprised", "tri-f2-l1": "sad", "neu-m1-n1": "neutral",
    }


def test_shemo_codes_and_genders(shemo_root: Path) -> None:
    records = _scan(shemo_root, "ShEMO")
    assert _fields(records["F01A01"])[:3] == ("angry", "F01", "female")
    assert _fields(records["M12W03"])[:3] == ("surprised", "M12", "male")
    assert records["F05F10"].emotion == "fearful"  # F is fear in ShEMO
    assert (records["M01N02"].emotion, records["M02H05"].emotion, records["F03S07"].emotion) == (
        "neutral", "happy", "sad")
