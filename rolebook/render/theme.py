"""The site's theme overrides (templates/site/theme: footer, 404 page) and the words they show.

Material draws the page frame; rolebook overrides two pieces of it: the footer (organisation, the
page's document number, revision and effective date, previous / next — for a role page its
neighbours in its department, which the navigation does not list) and the 404 page (in the
handbook's language, with a home link that finds the site's root when the site sits in a
sub-folder). The palette toggle's tooltips follow the handbook's language too.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from markupsafe import escape

from rolebook.i18n import Lang
from rolebook.labels import LABELS, label
from rolebook.resources import TEMPLATES_DIR

THEME_DIR = TEMPLATES_DIR / "site" / "theme"

# what the theme templates read from config.extra.rolebook (HTML-escaped: Material's templates print it as is)
THEME_LABELS = ("previous", "next", "not_found_title", "not_found_text", "back_home")


def configure_theme(theme: Any, extra: MutableMapping[str, Any], lang: Lang) -> None:
    """Put the overrides in front of Material's templates (after a handbook's own custom_dir) and their words into ``extra``."""
    here = str(THEME_DIR)
    if here not in theme.dirs:
        theme.dirs.insert(1 if getattr(theme, "custom_dir", None) else 0, here)
    extra["rolebook"] = {key: str(escape(label(lang, key))) for key in THEME_LABELS}
    palette = theme.get("palette")
    if isinstance(palette, list):
        for option in palette:
            toggle = option.get("toggle") if isinstance(option, dict) else None
            if isinstance(toggle, dict) and toggle.get("name") in (None, *_TOGGLE_NAMES):
                dark = option.get("scheme") == "slate"
                toggle["name"] = label(lang, "light_mode" if dark else "dark_mode")


_TOGGLE_NAMES = {*LABELS["dark_mode"], *LABELS["light_mode"]}  # a toggle named by rolebook, in either language
