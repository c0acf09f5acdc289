"""Every string the desk shows has a Simplified and a Traditional Chinese translation.

The msgids are extracted the way translators get them, with Django's makemessages, but in
a copy of the project (makemessages rewrites the catalogs it finds), then compared with the
project's own catalogs: each must be translated, in the .po and in what Django serves.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

ROOT = Path(__file__).resolve().parent.parent.parent
LANGUAGES = {"zh-hans": "zh_Hans", "zh-hant": "zh_Hant"}
OUR_CATALOGS = ["locale", "config/locale", "complaints/locale", "customers/locale"]
# What the copy leaves out: tooling, the tests themselves, and what a run leaves behind.
NOT_COPIED = {".venv", ".git", "tests", "test-artifacts", "var", "staticfiles", "media", "node_modules"}

# Read the same in every language, so no catalog needs them (the reason beside each).
SAME_IN_EVERY_LANGUAGE = {
    "API": "the name of the programming interface, in the header",
    "HTML": "the format of an email's body, in the admin",
    "%(from)s → %(to)s": "an arrow between two values already translated",
}

pytestmark = pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """{(msgctxt, msgid): msgid_plural} for every translatable string of code and templates."""
    copy = tmp_path_factory.mktemp("project") / "desk"
    shutil.copytree(
        ROOT, copy, ignore=lambda folder, names: [n for n in names if n in NOT_COPIED or n == "__pycache__"]
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "xx", "--no-obsolete", "--verbosity", "0"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    found = {}
    catalogs = sorted(copy.glob("**/locale/xx/LC_MESSAGES/django.po"))
    assert catalogs, "makemessages wrote no catalog"
    for path in catalogs:
        for entry in polib.pofile(str(path)):
            found[(entry.msgctxt, entry.msgid)] = entry.msgid_plural
    return found


def _catalog_entries(folder):
    """(msgctxt, msgid) -> the set of translations our catalogs give it (fuzzy ones left out)."""
    entries = {}
    for base in OUR_CATALOGS:
        path = ROOT / base / folder / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)).translated_entries():
            text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
            entries.setdefault((entry.msgctxt, entry.msgid), set()).add(text)
    return entries


def _served(language, msgctxt, msgid, plural):
    with translation.override(language):
        if plural and msgctxt:
            return npgettext(msgctxt, msgid, plural, 1)
        if plural:
            return ngettext(msgid, plural, 1)
        if msgctxt:
            return pgettext(msgctxt, msgid)
        return gettext(msgid)


def test_extraction_finds_the_strings_of_code_and_templates(extracted):
    keys = {msgid for _ctxt, msgid in extracted}
    assert "Traditional Chinese" in keys  # settings and models
    assert "Tell us what went wrong" in keys  # a template
    assert len(extracted) > 500


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_has_a_chinese_translation(extracted, language):
    catalog = _catalog_entries(LANGUAGES[language])
    missing, not_served = [], []
    for (msgctxt, msgid), plural in sorted(extracted.items(), key=lambda item: item[0][1]):
        if msgid in SAME_IN_EVERY_LANGUAGE:
            continue
        translations = catalog.get((msgctxt, msgid))
        if not translations:
            missing.append(msgid if msgctxt is None else f"{msgctxt}|{msgid}")
        elif _served(language, msgctxt, msgid, plural) not in translations:
            not_served.append(msgid)
    assert not missing, f"{len(missing)} strings have no {language} translation: {missing}"
    assert not not_served, (
        f"compile the {language} .mo files (msgfmt); Django serves these untranslated: {not_served}"
    )


def test_the_allow_list_holds_only_strings_still_in_the_code(extracted):
    keys = {msgid for _ctxt, msgid in extracted}
    assert set(SAME_IN_EVERY_LANGUAGE) <= keys, set(SAME_IN_EVERY_LANGUAGE) - keys


def _our_po_files(folder):
    return [ROOT / base / folder / "LC_MESSAGES" / "django.po" for base in OUR_CATALOGS]


@pytest.mark.parametrize("folder", LANGUAGES.values())
def test_catalog_headers_say_the_language_and_one_plural_form(folder):
    for path in _our_po_files(folder):
        po = polib.pofile(str(path))
        assert po.metadata["Language"] == folder, path
        assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;", path
        assert "charset=UTF-8" in po.metadata["Content-Type"], path


@pytest.mark.parametrize("folder", LANGUAGES.values())
def test_translations_keep_their_placeholders(folder):
    from complaints.management.commands.sync_traditional_catalogs import placeholders

    wrong = []
    for path in _our_po_files(folder):
        for entry in polib.pofile(str(path)).translated_entries():
            # One Chinese form stands for every English one: it may use the plural's placeholders.
            allowed = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
            for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
                if not set(placeholders(text)) <= set(allowed) or (
                    not entry.msgid_plural and placeholders(text) != placeholders(entry.msgid)
                ):
                    wrong.append((entry.msgid, text))
    assert not wrong, wrong


def test_traditional_catalogs_hold_no_simplified_text():
    import opencc

    # s2tw changes characters only (no phrases); 台 and 臺 are both Traditional.
    to_traditional = opencc.OpenCC("s2tw")
    simplified = []
    for path in _our_po_files("zh_Hant"):
        for entry in polib.pofile(str(path)).translated_entries():
            for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
                if to_traditional.convert(text).replace("臺", "台") != text.replace("臺", "台"):
                    simplified.append(text)
    assert not simplified, simplified
