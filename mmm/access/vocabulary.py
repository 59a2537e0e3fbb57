"""The fixed words of access control: roles, interface languages and purposes of a read.

A module of constants with no imports, so that the ``mmm`` command can offer them as choices
without loading the store or the geometry libraries (``mmm --help`` stays fast).
"""

from __future__ import annotations

#: Every role a user can have; :mod:`mmm.access.rules` says what each may do.
ROLES = ("admin", "analyst", "officer", "partner", "dpo")

#: The interface languages, Dutch first.
LANGUAGES = ("nl", "fr", "de", "en")

#: Why someone looks at incident-level data or exports (code → English label).
PURPOSES: dict[str, str] = {
    "analysis": "Crime analysis",
    "operations": "Operational follow-up",
    "meeting": "Preparing a partner meeting",
    "evaluation": "Evaluation of an action plan (PDCA)",
    "judicial": "Request of the public prosecutor",
}
