"""The console's vendored JavaScript is pinned: each file's sha256, version and licence are
written down in vendor.json, and nothing the console serves points outside relchain."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import relchain.http.console

STATIC = Path(relchain.http.console.__file__).parent / "static"


def test_every_vendored_file_matches_its_pinned_hash_and_has_its_licence() -> None:
    entries = json.loads((STATIC / "vendor" / "vendor.json").read_text())
    assert {e["name"] for e in entries} == {"preact", "htm"}
    for entry in entries:
        data = (STATIC / "vendor" / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"])
        assert (STATIC / "vendor" / f"LICENSE-{entry['name']}.txt").exists()
    vendored = {p.name for p in (STATIC / "vendor").iterdir()}
    assert vendored == {e["file"] for e in entries} | {
        "vendor.json",
        "LICENSE-preact.txt",
        "LICENSE-htm.txt",
    }


def test_the_consoles_own_files_load_nothing_from_elsewhere() -> None:
    for path in [*STATIC.glob("*.css"), *STATIC.glob("js/*.js")]:
        text = path.read_text()
        assert not re.search(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/""", text), path
        for target in re.findall(r"""from\s+['"]([^'"]+)['"]""", text):
            assert target.startswith("./") or target in {"preact", "preact/hooks", "htm"}, target
