""" "Did you mean …?": the nearest known id, shared by the checks and the commands; and what a
value typed the way people write it (``yes``, ``010``, ``15%``, ``2006年6月1日``) was meant to be."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping

from rolebook.i18n import Messages


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


# --- what a value most likely meant, for the hints of wrong-type and invalid-value ---------------

_TRUE_WORDS = frozenset(("true", "yes", "y", "on", "1", "是", "对", "有"))
_FALSE_WORDS = frozenset(("false", "no", "n", "off", "0", "否", "不", "无"))


def as_boolean(value: object) -> bool | None:
    """True or False for what a person writes as yes or no (``yes``, ``Off``, ``'true'``, ``1``, ``是``), else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if not isinstance(value, str):
        return None
    word = unicodedata.normalize("NFKC", value).strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


# --- the hints themselves ------------------------------------------------------------------------


def boolean_hint(value: object, msgs: Messages, *, quoted: bool = False) -> str:
    """For a yes/no setting written ``yes``, ``off``, ``'true'``, ``1`` …: which of true/false to write."""
    meant = as_boolean(value)
    if meant is None or isinstance(value, bool):
        return msgs.hint("boolean")
    if quoted and value in ("true", "false"):
        return msgs.hint("boolean/quotes", suggestion=value)
    return msgs.hint("boolean/suggest", value=msgs.quote(value), suggestion="true" if meant else "false")
