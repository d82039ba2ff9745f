"""The web client's message catalogues, for tests to find the UI by its translated text."""

import json
from pathlib import Path

I18N = Path(__file__).parents[2] / "gateway" / "web" / "src" / "i18n"
LANGUAGES = ("en", "nl", "pl", "fr")


def catalogue(lang: str) -> dict[str, str]:
    return json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))


def message(lang: str, key: str, **values: str) -> str:
    """The catalogue's text with its {placeholders} filled in, as the client does."""
    text = catalogue(lang)[key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text
