"""The ffmpeg binary bundled in imageio-ffmpeg, run without a shell."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence

import imageio_ffmpeg

from audiobook.errors import AudiobookError, OutputError
from audiobook.publish.files import reason


def ffmpeg_exe() -> str:
    """Path of the bundled ffmpeg binary; :class:`OutputError` when it is missing."""
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:
        raise OutputError(f"cannot find ffmpeg (imageio-ffmpeg): {exc}") from exc


def run_ffmpeg(args: Sequence[str], failed: Callable[[str], AudiobookError]) -> bytes:
    """Run ``ffmpeg ARGS`` quietly and return its stdout.

    When ffmpeg cannot start: :class:`OutputError`. When it fails: the error ``failed``
    builds from ffmpeg's last stderr line (so each caller names its own file).
    """
    cmd = [ffmpeg_exe(), "-nostdin", "-v", "error", *args]
    try:
        done = subprocess.run(cmd, capture_output=True, check=False)
    except OSError as exc:
        raise OutputError(f"cannot run ffmpeg: {reason(exc)}") from exc
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise failed(lines[-1] if lines else f"ffmpeg exited with status {done.returncode}")
    return done.stdout
