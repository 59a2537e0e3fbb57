"""Re-extract the interface strings and fill the nl/fr/de catalogs from a JSON file.

    .venv/bin/python tools/translate.py new-strings.json

The JSON maps each English msgid (for a plural: its singular) to its translations::

    {"Save": {"nl": "Opslaan", "fr": "Enregistrer", "de": "Speichern"},
     "%(n)d plan": {"nl": ["%(n)d plan", "%(n)d plannen"], "fr": [...], "de": [...]}}

Why a script rather than editing the .po files by hand: ``make messages`` rewrites every catalog,
so two people working in one tree would overwrite each other's entries. The script holds a lock
for the whole extract → fill → compile, marks what it filled as no longer fuzzy, and says which
msgids it did not find (a typo would otherwise pass silently).
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "webmap" / "translations"
LANGUAGES = ("nl", "fr", "de")
LOCK = ROOT / "build" / ".i18n.lock"


def fill(lang: str, translations: dict[str, dict[str, str | list[str]]]) -> list[str]:
    """Set the given translations in one catalog; return the msgids it does not contain."""
    path = CATALOGS / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    missing = []
    for msgid, by_lang in translations.items():
        message = catalog.get(msgid)
        if message is None:
            missing.append(msgid)
            continue
        text = by_lang[lang]
        message.string = tuple(text) if isinstance(text, list) else text
        message.flags.discard("fuzzy")
        message.previous_id = []
    with path.open("wb") as f:
        write_po(f, catalog, width=76)
    return missing


def clean_source_catalog() -> None:
    """Keep the English catalog as the source language: no fuzzy flag, no msgstr.

    ``pybabel update`` fuzzy-matches a new msgid to a similar old one in every catalog, English
    too; an English entry is never translated, so such a flag only hides the source text.
    """
    path = CATALOGS / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale="en")
    for message in catalog:
        if message.id and message.fuzzy:
            message.flags.discard("fuzzy")
            message.string = ("",) * len(message.string) if message.pluralizable else ""
            message.previous_id = []
    with path.open("wb") as f:
        write_po(f, catalog, width=76)


def main(source: str) -> int:
    translations = json.loads(Path(source).read_text(encoding="utf-8"))
    incomplete = [k for k, v in translations.items() if set(LANGUAGES) - set(v)]
    if incomplete:
        print(f"missing a language for: {incomplete}", file=sys.stderr)
        return 1
    LOCK.parent.mkdir(exist_ok=True)
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(["make", "-s", "messages"], cwd=ROOT, check=True)
        missing = set()
        for lang in LANGUAGES:
            missing.update(fill(lang, translations))
        clean_source_catalog()
        subprocess.run(["make", "-s", "translations"], cwd=ROOT, check=True)
    if missing:
        print(f"not in the sources (check spelling): {sorted(missing)}", file=sys.stderr)
        return 1
    print(f"filled {len(translations)} messages in {', '.join(LANGUAGES)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
