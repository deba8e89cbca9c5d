"""Decoding story bytes: UTF-8, UTF-16/32, cp1252 fallbacks; never failing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.text.decode import decode


def test_decode_utf8_with_and_without_bom() -> None:
    assert decode("café".encode()) == ("café", "utf-8", ())
    assert decode(b"\xef\xbb\xbf" + "café".encode()) == ("café", "utf-8-sig", ())


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-16-le", "utf-16-be"])
def test_decode_utf16_and_utf32(codec: str) -> None:
    data = "“Hi,” said Zoë.".encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):  # no BOM: told apart by the NUL bytes
        text, _, warnings = decode(data)
    else:
        text, encoding, warnings = decode(data)
        assert encoding.startswith(codec)
    assert text == "“Hi,” said Zoë."
    assert warnings == ()


def test_decode_cp1252_file() -> None:
    text, encoding, warnings = decode("“Café” – naïve".encode("cp1252"), name="story.txt")
    assert text == "“Café” – naïve"
    assert encoding == "cp1252"
    assert warnings == ("story.txt: not UTF-8; read it as cp1252 (Windows Western)",)


def test_decode_mixed_utf8_and_cp1252_bytes() -> None:
    data = "Zoë said ".encode() + "“hi”".encode("cp1252") + " and left…".encode()
    text, encoding, warnings = decode(data, name="story.txt")
    assert text == "Zoë said “hi” and left…"
    assert encoding == "utf-8"
    assert warnings == ("story.txt: 2 bytes are not UTF-8; read them as cp1252",)


def test_decode_never_fails() -> None:
    for data in (b"", bytes(range(256)), b"\xff\xfe\x00", b"\x81\x8d\x8f\x90\x9d", b"\xfe\xff\xd8"):
        text, _, _ = decode(data)
        assert isinstance(text, str)
    assert decode(b"a\x81b")[0] == "a\x81b"  # undefined in cp1252: read as latin-1


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300))
def test_decode_any_bytes(data: bytes) -> None:
    text, encoding, warnings = decode(data)
    assert isinstance(text, str) and encoding
    assert all(isinstance(w, str) for w in warnings)
