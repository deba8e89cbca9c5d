"""What an MP3 file is made of: format facts, every frame's bitrate, and its decoded samples.

Retailers want constant bitrate, and "CBR" in a header proves nothing: the only sure
test is that every audio frame has the same bitrate, so :func:`scan_frames` walks them
all. A leading Xing/Info/VBRI frame holds metadata, not audio, and is left out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from mutagen import MutagenError
from mutagen.mp3 import MP3

from audiobook.audio.ffmpeg import run_ffmpeg
from audiobook.errors import InputError
from audiobook.publish.files import reason

FloatArray = npt.NDArray[np.float32]

# kbit/s by bitrate index for Layer III: MPEG-1, and MPEG-2/2.5 (index 0 and 15 are invalid).
_LAYER3_KBPS = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_ID3V2_HEADER = 10


@dataclass(frozen=True)
class Mp3Format:
    """The format of an MP3 file as a checker sees it."""

    layer: int  # 3 for MP3
    sample_rate: int
    channels: int
    seconds: float  # mutagen's duration estimate
    bitrate: int  # average kbit/s, as players (and mutagen) report it
    bitrates: tuple[tuple[int, int], ...]  # (kbit/s, audio frames), most frames first
    size: int  # bytes

    @property
    def constant(self) -> bool:
        """True when every audio frame has the same bitrate (true CBR)."""
        return len(self.bitrates) == 1


def _frame(header: bytes) -> tuple[int, int] | None:
    """(length in bytes, kbit/s) of the Layer III frame starting with ``header``, or None."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    index, rate_index = header[2] >> 4, (header[2] >> 2) & 3
    if version == 1 or layer != 1 or index in (0, 15) or rate_index == 3:
        return None  # reserved values, or not Layer III
    kbps = _LAYER3_KBPS[1 if version == 3 else 2][index]
    rate = _RATES[version][rate_index]
    padding = (header[2] >> 1) & 1
    per_frame = 144 if version == 3 else 72  # bytes per (kbit/s / Hz): 1152 or 576 samples
    return per_frame * kbps * 1000 // rate + padding, kbps


def _audio_start(data: bytes) -> int:
    """Offset just after any ID3v2 tags at the start."""
    pos = 0
    while data[pos : pos + 3] == b"ID3" and len(data) >= pos + _ID3V2_HEADER:
        size = 0
        for byte in data[pos + 6 : pos + 10]:  # "syncsafe": 7 bits per byte
            size = (size << 7) | (byte & 0x7F)
        footer = _ID3V2_HEADER if data[pos + 5] & 0x10 else 0
        pos += _ID3V2_HEADER + size + footer
    return pos


def _is_info_frame(data: bytes, pos: int, length: int) -> bool:
    """True for a Xing/Info/VBRI header frame (encoder metadata, no audio)."""
    return any(tag in data[pos : pos + min(length, 64)] for tag in (b"Xing", b"Info", b"VBRI"))


def scan_frames(data: bytes) -> Counter[int]:
    """How many audio frames of each bitrate (kbit/s) the MP3 bytes ``data`` hold."""
    end = len(data) - (128 if data[-128:-125] == b"TAG" else 0)  # an ID3v1 tag at the end
    pos = _audio_start(data)
    while pos + 4 <= end:  # sync: a header followed by another (or by the end)
        found = _frame(data[pos : pos + 4])
        if found and (pos + found[0] == end or _frame(data[pos + found[0] : pos + found[0] + 4])):
            break
        pos += 1
    counts: Counter[int] = Counter()
    first = True
    while pos + 4 <= end and (found := _frame(data[pos : pos + 4])) is not None:
        length, kbps = found
        if not (first and _is_info_frame(data, pos, length)):
            counts[kbps] += 1
        first = False
        pos += length
    return counts


def read_format(path: Path) -> Mp3Format:
    """Format facts of MP3 ``path``; :class:`InputError` naming it when it is not one."""
    try:
        info = MP3(path).info  # type: ignore[no-untyped-call]
        data = Path(path).read_bytes()
    except (MutagenError, OSError) as exc:
        raise InputError(f"cannot read {path}: {reason(exc)}") from exc
    bitrates = tuple(scan_frames(data).most_common())
    return Mp3Format(
        layer=int(info.layer),  # type: ignore[attr-defined]
        sample_rate=int(info.sample_rate),  # type: ignore[attr-defined]
        channels=int(info.channels),  # type: ignore[attr-defined]
        seconds=float(info.length),  # type: ignore[attr-defined]
        bitrate=round(int(info.bitrate) / 1000),  # type: ignore[attr-defined]
        bitrates=bitrates,
        size=len(data),
    )


def decode_native(path: Path, fmt: Mp3Format) -> FloatArray:
    """Decode ``path`` at its own rate, keeping its channels: ``(frames, channels)`` float32."""
    args = ["-i", str(path), "-map", "0:a:0", "-f", "f32le", "-acodec", "pcm_f32le", "-"]
    pcm = run_ffmpeg(args, lambda why: InputError(f"cannot decode {path}: {why}"))
    samples = np.frombuffer(pcm, dtype="<f4")
    frames = len(samples) // fmt.channels
    return samples[: frames * fmt.channels].reshape(frames, fmt.channels).astype(np.float32)
