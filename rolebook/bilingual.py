"""Text in two languages: written at once (``中文 / English``, as the schemas' titles are), or given per language
in a handbook's files (``{zh: 物业助理, en: Property Assistant}``) and chosen for one language."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from rolebook.i18n import LANGS, Lang

# A description's halves are sentences, so its separator follows a full stop or a closing bracket or quote;
# a title has one " / " only.
_SENTENCE_SPLIT = re.compile(r"(?<=[。）”])\s/\s")


def half(text: str, lang: Lang) -> str:
    """The Chinese or the English half of ``text`` written 'zh / en' (the whole text when it has one language)."""
    parts = _SENTENCE_SPLIT.split(text, maxsplit=1)
    if len(parts) == 1:
        parts = text.split(" / ", 1)
    if len(parts) == 1:
        return parts[0]
    return parts[0] if lang == "zh" else (parts[1] or parts[0])


# ---------------------------------------------------------------------------
# Text given per language in a handbook's files: ``title: {zh: 物业助理, en: Property Assistant}``
# (a plain string is the same text in every language). Lists of text may be given item by item
# (``kpis: [{zh: 及时性, en: Timeliness}]``) or, as a spreadsheet's column per language gives them,
# as one list per language (``kpis: {zh: [及时性], en: [Timeliness]}``).


HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")  # Chinese characters


class Fallback(str):
    """Text shown in another language than the one asked for, because its translation is missing.

    A plain ``str`` everywhere (pages print it as it is); ``lang`` says which language it is in,
    so a page can mark it."""

    lang: Lang

    def __new__(cls, text: str, lang: Lang) -> Fallback:
        made = super().__new__(cls, text)
        made.lang = lang
        return made

    def __reduce__(self) -> tuple[object, ...]:  # PDF workers receive the model pickled
        return (Fallback, (str(self), self.lang))


def untranslated_in(value: object) -> Lang | None:
    """The language of the first ``Fallback`` in ``value`` (a text, a list, a model dataclass such as a
    role), None when every text of it is in the language asked for."""
    if isinstance(value, Fallback):
        return value.lang
    if isinstance(value, str) or value is None or isinstance(value, int | float | bool):
        return None
    if isinstance(value, tuple | list):
        items: Any = value
    elif isinstance(value, dict):
        items = value.values()
    elif dataclasses.is_dataclass(value):
        items = (getattr(value, f.name) for f in dataclasses.fields(value))
    else:
        return None
    return next((lang for item in items if (lang := untranslated_in(item)) is not None), None)


def is_per_language(value: object) -> bool:
    """A mapping whose keys are all handbook languages: a text (or a list) given per language."""
    return isinstance(value, dict) and bool(value) and all(k in LANGS for k in value)


@dataclass(frozen=True)
class Choice:
    """Which language to take a handbook's text in, and the main language to fall back to."""

    lang: Lang
    main: Lang

    def _order(self) -> tuple[Lang, ...]:
        return (self.lang, self.main, *(x for x in LANGS if x not in (self.lang, self.main)))

    def text(self, value: Any) -> Any:
        """The text in this language; from the main language (as a ``Fallback``) when it has none.

        A plain text is the same in every language, except Chinese written plainly in a handbook whose
        main language is Chinese: in English it is an untranslated text, so it is marked too."""
        if not isinstance(value, dict):
            if self.lang == "en" and self.main != "en" and isinstance(value, str) and HAN.search(value):
                return Fallback(value, self.main)
            return value
        for lang in self._order():
            found = value.get(lang)
            if isinstance(found, str):
                return found if lang == self.lang else Fallback(found, lang)
        return None

    def texts(self, value: Any) -> tuple[str, ...]:
        """A list of text in this language: given item by item, or as one list per language."""
        if value is None:
            return ()
        if isinstance(value, dict):
            for lang in self._order():
                found = value.get(lang)
                if isinstance(found, list):
                    return tuple(x if lang == self.lang else Fallback(x, lang) for x in found)
            return ()
        return tuple(self.text(x) for x in value)


def languages_of(value: Any) -> frozenset[str]:
    """The languages a text (or list of text) is given in; every language for a plain value."""
    if is_per_language(value):
        return frozenset(value)
    return frozenset(LANGS)


def main_text(value: object, main: Lang = LANGS[0]) -> str | None:
    """A text as one line of a message or a match: the plain text, or the ``main`` language's of a
    text given per language (else its first); None for anything else."""
    if isinstance(value, str):
        return value
    if is_per_language(value):
        assert isinstance(value, dict)
        found = value.get(main)
        return found if isinstance(found, str) else next((v for v in value.values() if isinstance(v, str)), None)
    return None


def keep_translations(new: Any, old: Any, main: Lang) -> Any:
    """``new`` (read from a source in one language: a sheet without columns per language, the JSON, a Word document) with the
    other languages of ``old`` kept: a plain text written where the file gives text per language
    replaces the main language's text only, so importing such an export never loses a translation."""
    if isinstance(old, dict) and old and all(k in LANGS for k in old):
        if isinstance(new, str) and isinstance(old.get(main, ""), str):
            return {**old, main: new} if main in old else {main: new, **old}
        if isinstance(new, list) and all(isinstance(v, list) for v in old.values()):
            return {**old, main: new} if main in old else {main: new, **old}
        return new
    if isinstance(new, dict) and isinstance(old, dict):
        return {k: keep_translations(v, old[k], main) if k in old else v for k, v in new.items()}
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        return [keep_translations(n, o, main) for n, o in zip(new, old, strict=True)]
    return new
