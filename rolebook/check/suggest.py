""" "Did you mean …?": the nearest known id, shared by the checks and the commands."""

from __future__ import annotations

import difflib
from collections.abc import Mapping


def nearest_id(wanted: str, names: Mapping[str, str | None]) -> str | None:
    """The id nearest to ``wanted``, by id or else by its display name (title of a role, name of a
    department): HR often writes the title where the id belongs. ``names`` maps every known id to
    its display name (None when unknown). When two ids share a name, the alphabetically last wins."""
    ids = sorted(names)
    # an id written as a path ('../cs', 'roles/cs/boss.yaml') most likely means its last part
    tail = wanted.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".yml")
    for candidate in dict.fromkeys((wanted, tail)):
        near = difflib.get_close_matches(candidate, ids, n=1, cutoff=0.6)
        if near:
            return near[0]
    by_name: dict[str, str] = {}
    for ident in ids:
        name = names[ident]
        if name:
            by_name[name] = ident
    near = difflib.get_close_matches(wanted, list(by_name), n=1, cutoff=0.5)
    return by_name[near[0]] if near else None
