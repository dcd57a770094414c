"""Text written in both languages at once, as the schemas' titles and descriptions are: ``中文 / English``."""

from __future__ import annotations

import re

from rolebook.i18n import Lang

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
