"""Build audiobook/data/first_names.txt from the nomquamgender package's name data.

Development-time only (the package is not a run-time dependency):

    pip download --no-deps nomquamgender==0.1.4 && unzip -o nomquamgender-*.whl -d /tmp/nqg
    python scripts/build_first_names.py /tmp/nqg/nomquamgender/name_data.json

nomquamgender (c) 2022 Ian Van Buskirk, MIT License. Each entry there is
[number of sources, count, p(female), ...]; we keep alphabetic names seen often enough
whose gender is clear (p <= 0.1 or >= 0.9), as "name<TAB>f|m" lines.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MIN_COUNT = 200
OUT = Path(__file__).resolve().parent.parent / "audiobook" / "data" / "first_names.txt"


def main(source: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    rows = []
    for name, entry in data.items():
        if not (name.isascii() and name.isalpha() and 2 <= len(name) <= 14):
            continue
        count, p_female = entry[1], entry[2]
        if count < MIN_COUNT:
            continue
        if p_female >= 0.9:
            rows.append(f"{name}\tf")
        elif p_female <= 0.1:
            rows.append(f"{name}\tm")
    header = (
        "# First names and their usual gender (f/m), derived from nomquamgender 0.1.4\n"
        "# (c) 2022 Ian Van Buskirk, MIT License; see scripts/build_first_names.py.\n"
    )
    OUT.write_text(header + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"{len(rows)} names -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
