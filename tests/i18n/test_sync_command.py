"""manage.py sync_traditional_catalogs on a small project of its own (tmp_path)."""

import io

import polib
import pytest
from django.core.management import CommandError, call_command

SIMPLIFIED = """\
msgid ""
msgstr ""
"Language: zh_Hans\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

#: templates/a.html:1
msgid "Log out"
msgstr "退出登录"

#: complaints/b.py:2
#, python-format
msgid "Complaint %(reference)s is now yours"
msgstr "投诉 %(reference)s 现由您负责"

msgctxt "report column"
msgid "Change"
msgstr "变化"

#, python-format
msgid "%(count)s complaint"
msgid_plural "%(count)s complaints"
msgstr[0] "%(count)s 条投诉，请回复“确认”"

msgid "Not yet translated"
msgstr ""

#, fuzzy
msgid "Unsure"
msgstr "不确定"
"""

REVIEWED = """\
# Read through by hand.
msgid ""
msgstr ""
"Language: zh_Hant\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "Log out"
msgstr "登出系統"

msgid "Only in Traditional"
msgstr "只有繁體"
"""


@pytest.fixture
def project(tmp_path, settings):
    """A project whose one catalog folder is tmp_path/locale (the real apps' lie outside it)."""
    settings.BASE_DIR = tmp_path
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    source = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    source.parent.mkdir(parents=True)
    source.write_text(SIMPLIFIED, encoding="utf-8")
    return tmp_path


def _target(project):
    return project / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"


def _run(*args):
    call_command("sync_traditional_catalogs", *args, stdout=io.StringIO(), stderr=io.StringIO())


def test_first_run_makes_the_traditional_catalog_and_compiles_it(project):
    source_before = (project / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_bytes()
    _run()
    po = polib.pofile(str(_target(project)))
    assert po.metadata["Language"] == "zh_Hant"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    by_key = {(e.msgctxt, e.msgid): e for e in po}
    assert by_key[(None, "Log out")].msgstr == "登出"
    assert by_key[(None, "Complaint %(reference)s is now yours")].msgstr == "投訴 %(reference)s 現由您負責"
    assert "python-format" in by_key[(None, "Complaint %(reference)s is now yours")].flags
    assert by_key[("report column", "Change")].msgstr == "變化"
    plural = by_key[(None, "%(count)s complaint")]
    assert plural.msgid_plural == "%(count)s complaints"
    assert plural.msgstr_plural == {0: "%(count)s 條投訴，請回覆「確認」"}
    # Nothing to convert from an untranslated or fuzzy Simplified entry.
    assert (None, "Not yet translated") not in by_key and (None, "Unsure") not in by_key
    mo = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural[0]
        for e in polib.mofile(str(_target(project).with_suffix(".mo")))
    }
    assert mo[("report column", "Change")] == "變化"
    assert mo[(None, "%(count)s complaint")] == "%(count)s 條投訴，請回覆「確認」"
    # The Simplified catalog is only read.
    assert (project / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_bytes() == source_before


def test_reviewed_entries_are_kept_and_only_missing_ones_added(project):
    _target(project).parent.mkdir(parents=True)
    _target(project).write_text(REVIEWED, encoding="utf-8")
    _run()
    po = polib.pofile(str(_target(project)))
    by_key = {(e.msgctxt, e.msgid): e.msgstr for e in po}
    assert by_key[(None, "Log out")] == "登出系統"  # reviewed: never rewritten
    assert by_key[(None, "Only in Traditional")] == "只有繁體"  # nothing is removed
    assert by_key[("report column", "Change")] == "變化"
    assert po.header.startswith("Read through by hand.")


def test_second_run_changes_nothing(project):
    _run()
    po_first = _target(project).read_bytes()
    mo_first = _target(project).with_suffix(".mo").read_bytes()
    _run()
    assert _target(project).read_bytes() == po_first
    assert _target(project).with_suffix(".mo").read_bytes() == mo_first


def test_an_emptied_translation_is_filled_in_again(project):
    _run()
    po = polib.pofile(str(_target(project)))
    po.find("Log out").msgstr = ""
    po.save()
    _run()
    assert polib.pofile(str(_target(project))).find("Log out").msgstr == "登出"


def test_check_lists_what_is_missing_and_changes_nothing(project, capsys):
    with pytest.raises(CommandError, match="5 thing"):
        call_command("sync_traditional_catalogs", "--check")
    out = capsys.readouterr().out
    assert "missing 'Log out'" in out and "missing 'report column|Change'" in out
    assert not _target(project).exists()
    _run()
    call_command("sync_traditional_catalogs", "--check")  # up to date: no error


def test_check_notices_a_catalog_not_compiled(project, capsys):
    _run()
    po = polib.pofile(str(_target(project)))
    po.find("Log out").msgstr = "登出系統"
    po.save()
    with pytest.raises(CommandError):
        call_command("sync_traditional_catalogs", "--check")
    assert "not compiled" in capsys.readouterr().out


def test_the_projects_catalogs_are_up_to_date():
    """What the lead runs after a merge: nothing missing, every .mo compiled."""
    call_command("sync_traditional_catalogs", "--check", stdout=io.StringIO())


def test_a_simplified_catalog_left_uncompiled_by_a_merge_is_compiled(project, capsys):
    source = project / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    source_text = source.read_bytes()
    assert not source.with_suffix(".mo").exists()
    with pytest.raises(CommandError):
        call_command("sync_traditional_catalogs", "--check")
    assert "the zh_Hans .mo beside it is not compiled" in capsys.readouterr().out
    _run()
    assert source.read_bytes() == source_text  # the .po is never rewritten
    simplified = {e.msgid: e.msgstr for e in polib.mofile(str(source.with_suffix(".mo")))}
    assert simplified["Log out"] == "退出登录"
    call_command("sync_traditional_catalogs", "--check", stdout=io.StringIO())
