"""Bring each Traditional Chinese catalog (zh_Hant) up to date with its Simplified one (zh_Hans).

For every catalog of the project (LOCALE_PATHS and the apps' own locale folders), each
entry of zh_Hans (with its context and plural forms) that zh_Hant lacks, or holds with an
empty translation, is added converted by complaints.wording.to_traditional (OpenCC s2twp
plus the desk's fix-ups). Entries already translated in zh_Hant are never rewritten: they
may have been reviewed by hand. Nothing is removed, the zh_Hans .po files are only read
(a zh_Hans .mo that lags its .po, as after a merge, is compiled), and each zh_Hant .mo is
compiled again. Safe to run any number of times.

    python manage.py sync_traditional_catalogs          # add what is missing, compile
    python manage.py sync_traditional_catalogs --check  # list what is to do, exit 1 if anything
"""

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from complaints.wording import to_traditional

SOURCE = "zh_Hans"
TARGET = "zh_Hant"
HEADER = (
    "Traditional Chinese for CLEAR Desk, made from the Simplified catalog beside it with OpenCC\n"
    "(s2twp) and complaints.wording.TRADITIONAL_FIXES, then read through. Add new strings with\n"
    "`python manage.py sync_traditional_catalogs`; entries here are never rewritten by it."
)
# %(name)s, %s, %d, %% and {name}: what a translation must carry over unchanged.
PLACEHOLDER = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]|\{[^{}]*\}"
)


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def catalogs_of_project() -> list[Path]:
    """The Simplified .po files of the project: LOCALE_PATHS and the project's apps."""
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(p) for p in settings.LOCALE_PATHS]
    folders += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    found: list[Path] = []
    for folder in folders:
        folder = folder.resolve()
        if not folder.is_relative_to(base) or ".venv" in folder.relative_to(base).parts:
            continue  # Django's own and third-party catalogs are not ours to extend
        for po in sorted((folder / SOURCE / "LC_MESSAGES").glob("*.po")):
            if po not in found:
                found.append(po)
    return found


def target_of(source: Path) -> Path:
    return source.parent.parent.parent / TARGET / "LC_MESSAGES" / source.name


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _is_translated(entry: polib.POEntry) -> bool:
    if getattr(entry, "fuzzy", False):  # a .mo entry has no flags
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _converted(text: str, *, where: str) -> str:
    result = to_traditional(text)
    if placeholders(result) != placeholders(text):
        raise CommandError(f"{where}: converting {text!r} changed its placeholders ({result!r})")
    return result


def _new_catalog(source: polib.POFile) -> polib.POFile:
    catalog = polib.POFile(wrapwidth=source.wrapwidth)
    catalog.header = HEADER
    catalog.metadata = dict(source.metadata)
    return catalog


def _fix_metadata(catalog: polib.POFile, source: polib.POFile) -> bool:
    """Language zh_Hant and the source's plural rule (Chinese has one form)."""
    wanted = {
        "Language": TARGET,
        "Language-Team": "Traditional Chinese",
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": source.metadata.get("Plural-Forms") or "nplurals=1; plural=0;",
    }
    changed = False
    for name, value in wanted.items():
        if catalog.metadata.get(name) != value:
            catalog.metadata[name] = value
            changed = True
    return changed


@dataclass
class Sync:
    source: Path
    target: Path
    added: list[str] = field(default_factory=list)
    untranslated_in_source: list[str] = field(default_factory=list)
    fuzzy_in_target: list[str] = field(default_factory=list)
    catalog: polib.POFile | None = None
    changed: bool = False


def sync_catalog(source_path: Path) -> Sync:
    """Work out (in memory) what the zh_Hant catalog beside `source_path` lacks, and add it."""
    target_path = target_of(source_path)
    source = polib.pofile(str(source_path))
    catalog = polib.pofile(str(target_path)) if target_path.exists() else _new_catalog(source)
    result = Sync(source=source_path, target=target_path, catalog=catalog)
    result.changed = _fix_metadata(catalog, source) or not target_path.exists()
    present = {_key(e): e for e in catalog}
    for entry in source:
        if entry.obsolete:
            continue
        label = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}|{entry.msgid}"
        if not _is_translated(entry):
            result.untranslated_in_source.append(label)
            continue
        existing = present.get(_key(entry))
        if existing is not None and existing.fuzzy:
            result.fuzzy_in_target.append(label)  # someone is reviewing it: leave it to them
            continue
        if existing is not None and _is_translated(existing):
            if existing.obsolete:  # a reviewed translation put aside earlier: bring it back
                existing.obsolete = False
                result.changed = True
            continue
        where = f"{source_path}: {label!r}"
        converted = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgid_plural=entry.msgid_plural,
            msgstr="" if entry.msgid_plural else _converted(entry.msgstr, where=where),
            msgstr_plural={n: _converted(text, where=where) for n, text in entry.msgstr_plural.items()},
            occurrences=list(entry.occurrences),
            flags=list(entry.flags),
            comment=entry.comment,
            tcomment=entry.tcomment,
        )
        if existing is not None:  # present with an empty translation: fill it in place
            catalog[catalog.index(existing)] = converted
        else:
            catalog.append(converted)
        present[_key(entry)] = converted
        result.added.append(label)
        result.changed = True
    return result


def compile_catalog(po_path: Path) -> None:
    """Compile with msgfmt --check where it is installed (it also checks the formats), else polib."""
    mo_path = po_path.with_suffix(".mo")
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        done = subprocess.run(  # noqa: S603 - our own paths, no shell
            [msgfmt, "--check", "-o", str(mo_path), str(po_path)], capture_output=True, text=True
        )
        if done.returncode:
            raise CommandError(f"msgfmt refused {po_path}:\n{done.stderr}")
    else:
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def compiled_is_current(po_path: Path) -> bool:
    """Does the .mo hold exactly the translated entries of the .po?"""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return False

    def table(entries):
        return {
            _key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in entries
            if e.msgid and _is_translated(e)
        }

    po = polib.pofile(str(po_path))
    return table(po.translated_entries()) == table(polib.mofile(str(mo_path)))


class Command(BaseCommand):
    help = (
        "Add the Simplified strings the Traditional Chinese (zh_Hant) catalogs lack, converted with OpenCC."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; list what zh_Hant lacks and exit with status 1 if anything does.",
        )

    def handle(self, *args, check=False, **options):
        sources = catalogs_of_project()
        if not sources:
            raise CommandError(f"No {SOURCE} catalogs found in LOCALE_PATHS or the project's apps.")
        lacking = 0
        base = Path(settings.BASE_DIR).resolve()
        for source in sources:
            result = sync_catalog(source)
            name = result.target.relative_to(base)
            for label in result.untranslated_in_source:
                self.stderr.write(f"{source}: not translated in {SOURCE} either: {label!r}")
            for label in result.fuzzy_in_target:
                self.stderr.write(f"{result.target}: marked fuzzy, so not compiled: {label!r}")
            # After a merge the Simplified .mo may lag its .po: compiling it rewrites no .po.
            source_stale = not compiled_is_current(source)
            if check:
                exists = result.target.exists()
                problems = [f"missing {label!r}" for label in result.added]
                if exists and not result.added and result.changed:
                    problems.append(f"the header should say Language: {TARGET}")
                if exists and not result.added and not compiled_is_current(result.target):
                    problems.append("the .mo is not compiled from the .po")
                if source_stale:
                    problems.append(f"the {SOURCE} .mo beside it is not compiled from its .po")
                for problem in problems:
                    self.stdout.write(f"{name}: {problem}")
                lacking += len(problems)
                continue
            assert result.catalog is not None
            if result.changed:
                result.target.parent.mkdir(parents=True, exist_ok=True)
                result.catalog.save(str(result.target))
            compile_catalog(result.target)
            if source_stale:
                compile_catalog(source)
                self.stdout.write(f"{source.relative_to(base)}: compiled")
            self.stdout.write(f"{name}: {len(result.added)} added, {len(result.catalog)} entries")
        if check and lacking:
            raise CommandError(f"{lacking} thing(s) to do in the {TARGET} catalogs; run without --check.")
        if check:
            self.stdout.write(f"The {TARGET} catalogs are up to date.")
