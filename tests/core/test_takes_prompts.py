"""Prompt lists: the sentences to read line up with the corpora's sentence ids."""

import csv

from servis_gui.core.takes.prompts import PROMPT_LISTS, Prompt
from tests.conftest import DEMO


def test_prompt_lists_line_up_with_the_corpora():
    assert [len(PROMPT_LISTS[name]) for name in ("Demo corpus", "RAVDESS", "CREMA-D")] == [2, 2, 12]
    with (DEMO / "manifest.csv").open() as file:
        demo = {(row["sentence_id"], row["text"]) for row in csv.DictReader(file)}
    assert set(PROMPT_LISTS["Demo corpus"]) == demo
    assert Prompt("IEO", "It's eleven o'clock") in PROMPT_LISTS["CREMA-D"]
