"""MP3 encoding (LAME, in-process via lameenc), decoding and probing of chapter files.

Encoding needs no external binary. Decoding, used by tests and output checks, runs the
ffmpeg binary that ships inside the ``imageio-ffmpeg`` wheel.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import lameenc
import numpy as np
import numpy.typing as npt
from mutagen import MutagenError
from mutagen.mp3 import MP3

from audiobook.audio.ffmpeg import run_ffmpeg
from audiobook.errors import InputError, OutputError
from audiobook.publish.files import atomic_write, reason

_LOGGER = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]

MP3_RATE = 44100  # the rate ACX asks for; we never let LAME resample
# LAME's -q 3, its own default: for speech at these bitrates it sounds as -q 2 does, in
# half the encoding time (which a chapter's writing waits for).
LAME_QUALITY = 3
# Bitrates MPEG-1 Layer III allows at 44.1 kHz (kbit/s).
BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_BLOCK_SECONDS = 1  # samples handed to LAME at a time, to bound memory
# Samples by which decoded audio lags what was encoded: LAME's 576-sample encoder delay
# plus the decoder's 529. Without a LAME gapless header (lameenc writes none) every
# player keeps them, so times inside a file are PCM times plus this (the tests measure it).
MP3_DELAY_SAMPLES = 1105


def _to_int16(samples: FloatArray) -> npt.NDArray[np.int16]:
    """Float [-1, 1] to int16 with clipping and plain rounding.

    No dither: the chapter already carries room tone of about 10 LSB RMS, which
    decorrelates quantisation error far better than 1-2 LSB of TPDF noise would, and
    the MP3 encoder re-quantises everything anyway. Rounding also keeps output
    byte-for-byte reproducible.
    """
    pcm: npt.NDArray[np.int16] = np.rint(np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)
    return pcm


def _check_args(samples: FloatArray, rate: int, bitrate: int) -> None:
    if rate != MP3_RATE:
        raise ValueError(f"MP3 input must be {MP3_RATE} Hz, not {rate} Hz (resample first)")
    if samples.ndim != 1:
        raise ValueError(f"MP3 input must be mono (1-D), got shape {samples.shape}")
    if bitrate not in BITRATES:
        raise ValueError(f"bitrate {bitrate} kbit/s is not one of {', '.join(map(str, BITRATES))}")


def mp3_chunks(samples: FloatArray, rate: int, *, bitrate: int = 192) -> Iterator[bytes]:
    """Encode mono ``samples`` to CBR MP3, yielding the bytes as LAME produces them.

    Raises ``ValueError`` for a rate other than 44100 Hz, audio that is not mono
    (1-D), or a bitrate MP3 does not have.
    """
    _check_args(samples, rate, bitrate)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)  # CBR: lameenc leaves VBR off unless asked
    encoder.set_in_sample_rate(rate)
    encoder.set_out_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(LAME_QUALITY)
    step = rate * _BLOCK_SECONDS
    for start in range(0, len(samples), step):
        yield bytes(encoder.encode(_to_int16(samples[start : start + step]).tobytes()))
    yield bytes(encoder.flush())


def encode_mp3(samples: FloatArray, rate: int, path: Path, *, bitrate: int = 192) -> None:
    """Write ``samples`` (mono float32 at 44100 Hz) to ``path`` as a CBR MP3.

    The file appears under ``path`` only when complete (see ``atomic_write``).
    Raises ``ValueError`` for bad arguments and :class:`OutputError` when the file
    cannot be written or LAME fails.
    """
    _check_args(samples, rate, bitrate)  # before any file is created
    with atomic_write(path) as out:
        try:
            for chunk in mp3_chunks(samples, rate, bitrate=bitrate):
                out.write(chunk)
        except RuntimeError as exc:  # what lameenc raises when LAME returns an error
            raise OutputError(f"cannot encode {path}: {exc}") from exc


def decode_audio(path: Path, rate: int = 44100) -> FloatArray:
    """Decode any audio file ffmpeg reads to mono float32 at ``rate`` Hz.

    Raises :class:`InputError` naming the file, with ffmpeg's last error line, when
    the file is missing or cannot be decoded; :class:`OutputError` when ffmpeg itself
    cannot run.
    """
    if not Path(path).is_file():
        raise InputError(f"cannot decode {path}: no such file")
    args = ["-i", str(path), "-map", "0:a:0", "-f", "f32le", "-acodec", "pcm_f32le", "-ac", "1"]
    pcm = run_ffmpeg(
        [*args, "-ar", str(rate), "-"], lambda why: InputError(f"cannot decode {path}: {why}")
    )
    return np.frombuffer(pcm, dtype="<f4").astype(np.float32)


def probe_duration(path: Path) -> float:
    """Length of MP3 ``path`` in seconds as players report it (mutagen's estimate).

    Raises :class:`InputError` naming the file when it is missing or not an MP3.
    """
    try:
        info = MP3(path).info  # type: ignore[no-untyped-call]
        length = float(info.length)  # type: ignore[attr-defined]
    except (MutagenError, OSError) as exc:
        raise InputError(f"cannot read {path}: {reason(exc)}") from exc
    return length
