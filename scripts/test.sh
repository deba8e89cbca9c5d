#!/usr/bin/env bash
# The test command (README, CI): install what the tests need, then run them.
#
# The review page is tested in a real browser: Debian's chromium, driven by the
# playwright package through its executable path (playwright downloads no browser).
# ffmpeg/ffprobe are only for ../shared/tools/audit_audio.py (the retailer audit tests,
# skipped without it); audiobook itself encodes with LAME in-process.
# Arguments go to pytest, e.g. `bash scripts/test.sh -m "not slow" tests/script`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update && apt-get install -y "${missing[@]}"
fi
python -m pip install '.[test]'
python -m pytest "$@"
