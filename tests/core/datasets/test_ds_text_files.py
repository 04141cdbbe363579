"""Label files in unknown encodings."""

from __future__ import annotations

import pytest

from servis_gui.core.datasets.text_files import decode_text

MANDARIN = "0001_000001\t打远一看，它们的确很是美丽，\t中立\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (MANDARIN.encode("utf-8"), "utf-8"),
        (MANDARIN.encode("utf-8-sig"), "utf-8-sig"),
        (MANDARIN.encode("utf-16"), "utf-16"),
        ("\ufeff".encode("utf-16-be") + MANDARIN.encode("utf-16-be"), "utf-16"),
        (MANDARIN.encode("utf-16-le"), "utf-16-le"),
        (MANDARIN.encode("gb2312"), "gb2312"),
        (MANDARIN.encode("utf-32"), "utf-32"),
    ],
)
def test_mandarin_in_every_encoding(data: bytes, encoding: str) -> None:
    assert decode_text(data) == (MANDARIN, encoding)


def test_gbk_only_characters() -> None:
    text = "0001_000002\t镕\t中立"  # 镕 is in GBK, not in GB2312
    assert decode_text(text.encode("gbk")) == (text, "gbk")


def test_latin1_fallback() -> None:
    text = "0012_001401\tThe café is closed, señor.\tSurprise\n"
    assert decode_text(text.encode("latin-1")) == (text, "latin-1")


def test_ascii_is_utf8() -> None:
    assert decode_text(b"a,b\n") == ("a,b\n", "utf-8")
