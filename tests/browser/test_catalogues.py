"""The four message catalogues agree (no browser needed)."""

import re

import pytest

from tests.browser.messages import I18N, LANGUAGES, catalogue

WEB = I18N.parents[1]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_the_catalogues_have_the_same_keys():
    english = set(catalogue("en"))
    for lang in LANGUAGES:
        keys = set(catalogue(lang))
        assert keys == english, (
            f"{lang}: missing {sorted(english - keys)}, extra {sorted(keys - english)}"
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_is_empty_and_placeholders_match_english(lang):
    english = catalogue("en")
    for key, text in catalogue(lang).items():
        assert isinstance(text, str) and text.strip(), f"{lang}: {key} is empty"
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), (
            f"{lang}: {key} has other placeholders than English"
        )


def test_every_message_is_used_by_the_client():
    # Keys the code uses but the catalogues lack fail `tsc` (npm run build); this is the
    # other direction: no dead messages for translators to keep up.
    sources = [WEB / "index.html", *(WEB / "src").rglob("*.ts")]
    code = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    unused = [key for key in catalogue("en") if key not in code]
    assert not unused, f"messages no code uses: {unused}"


def test_the_catalogues_are_truly_translated():
    # A copied English catalogue would pass the key checks: most texts must differ.
    english = catalogue("en")
    for lang in LANGUAGES[1:]:
        same = [k for k, text in catalogue(lang).items() if text == english[k]]
        assert len(same) < len(english) / 4, f"{lang}: mostly English still: {same}"
