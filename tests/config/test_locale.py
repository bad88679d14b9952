"""Translators' catalogs are complete for every language, and compile."""

import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _ in settings.LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_is_complete(language):
    path = LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / "django.po"
    catalog = polib.pofile(str(path))
    assert not catalog.untranslated_entries(), [e.msgid for e in catalog.untranslated_entries()][:10]
    assert not catalog.fuzzy_entries(), [e.msgid for e in catalog.fuzzy_entries()][:10]
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")
    catalog = polib.pofile(str(LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / "django.po"))
    for entry in catalog.translated_entries():
        if entry.msgid_plural:
            # A plural form may leave out the count ("one e-mail"), but must not invent placeholders.
            allowed = set(placeholder.findall(entry.msgid + entry.msgid_plural))
            for text in entry.msgstr_plural.values():
                assert set(placeholder.findall(text)) <= allowed, (entry.msgid, text)
        else:
            assert set(placeholder.findall(entry.msgstr)) == set(placeholder.findall(entry.msgid)), (
                entry.msgid,
                entry.msgstr,
            )
