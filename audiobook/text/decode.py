"""Story bytes -> text: encoding detection with fallbacks, and rejecting what is not text.

:func:`decode` never fails: UTF-8, UTF-16/32 (with a BOM, or UTF-16 sniffed without one)
and cp1252 for bytes that are not UTF-8, with a warning. :func:`check_magic` (on the raw
bytes: PDF, ZIP) and :func:`check_binary` (on the decoded text) raise
:class:`InputError` naming the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from audiobook.errors import InputError

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_HIGH_BYTES = bytes(range(0x80, 0x100))
# surrogateescape turns each undecodable byte b into U+DC00+b; map those to cp1252
# (latin-1 for the five bytes cp1252 leaves undefined).
_ESCAPED = re.compile("[\udc80-\udcff]")
_AS_CP1252 = {
    0xDC00 + b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)
}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")  # not \t \n \v \f \r or DOS EOF
_SAMPLE = 1 << 20


def decode(data: bytes, *, name: str = "text") -> tuple[str, str, tuple[str, ...]]:
    """Decode story bytes: ``(text, encoding name, warnings)``; never raises.

    UTF-8 (BOM dropped), UTF-16/32 with a BOM or (UTF-16) without one; bytes that are
    not UTF-8 are read as cp1252, one by one in a mostly-UTF-8 file, with a warning
    prefixed by ``name``.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_unicode(data[len(bom) :], codec, name)
    if b"\x00" in data:
        sniffed = _sniff_utf16(data)
        if sniffed is not None:
            return _decode_unicode(data, sniffed, name)
    encoding = "utf-8"
    if data.startswith(_UTF8_BOM):
        data, encoding = data[len(_UTF8_BOM) :], "utf-8-sig"
    try:
        return data.decode("utf-8"), encoding, ()
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    text, bad = _ESCAPED.subn(_cp1252_char, text)
    if bad == len(data) - len(data.translate(None, _HIGH_BYTES)):  # no UTF-8 sequence at all
        text = _ESCAPED.sub(_cp1252_char, data.decode("cp1252", errors="surrogateescape"))
        return text, "cp1252", (f"{name}: not UTF-8; read it as cp1252 (Windows Western)",)
    noun = "byte is" if bad == 1 else "bytes are"
    return text, encoding, (f"{name}: {bad} {noun} not UTF-8; read them as cp1252",)


def check_magic(path: Path, data: bytes) -> None:
    """Raise :class:`InputError` when the bytes of ``path`` are a PDF or a ZIP archive."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        raise InputError(f"{path} is a PDF file, not text")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise InputError(f"{path} is a ZIP archive (an EPUB or Word file?), not text")


def check_binary(path: Path, text: str) -> None:
    """Raise :class:`InputError` when the decoded ``text`` looks binary.

    That is a NUL anywhere, or control characters (at least three) making up over 1% of
    its first MiB.
    """
    sample = text[:_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if "\x00" in text or (controls >= 3 and controls * 100 > len(sample)):
        raise InputError(f"{path} looks like a binary file, not text")


def _decode_unicode(body: bytes, codec: str, name: str) -> tuple[str, str, tuple[str, ...]]:
    try:
        return body.decode(codec), codec, ()
    except UnicodeDecodeError:
        text = body.decode(codec, errors="replace")
        warning = f"{name}: some bytes are not valid {codec}; replaced them with \ufffd"
        return text, codec, (warning,)


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _cp1252_char(match: re.Match[str]) -> str:
    return _AS_CP1252[ord(match.group())]
