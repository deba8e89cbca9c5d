"""Running the ``audiobook`` command in-process, as the CLI tests do."""

from __future__ import annotations

import sys

import pytest

from audiobook.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``audiobook ARGS`` in-process; (exit code, stdout, stderr)."""
    sys.argv = ["audiobook", *args]
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err
