"""The sample handbook's schema/ is the copy `init` gives every handbook: it must match the package's."""

from __future__ import annotations

from pathlib import Path

from rolebook.resources import SCHEMA_DIR

REPO = Path(__file__).resolve().parent.parent


def test_sample_schema_folder_is_a_current_copy_of_the_packaged_schemas() -> None:
    packaged = {p.name: p.read_bytes() for p in sorted(SCHEMA_DIR.glob("*.schema.json"))}
    sample = {p.name: p.read_bytes() for p in sorted((REPO / "schema").glob("*.schema.json"))}
    assert packaged, "no schemas shipped in the package"
    assert sorted(sample) == sorted(packaged)
    stale = [name for name in packaged if sample[name] != packaged[name]]
    assert stale == [], f"copy rolebook/schema/ to schema/ again: {stale}"
