"""The audit trail in words: actions, objects, detail keys and their values, translated.

The trail keeps short English codes (``create``, ``plan_cycle``, ``{"role": "dpo"}``), which
the command line and other tools read; the viewer and its CSV say them in the reader's
language. A code no table knows is shown in words (``set_weights`` → ``set weights``), never
hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webmap.auth.forms import LANGUAGE_NAMES
from webmap.plans import words as plan_words
from webmap.vocabulary import (
    PARTNER_TYPE_NAMES,
    RESPONSIBILITY_NAMES,
    ROLE_NAMES,
    STATUS_NAMES,
    geometry_message,
    name_of,
)

ACTION_NAMES = {
    "read": _l("viewed incidents"),
    "export": _l("downloaded"),
    "import": _l("imported"),
    "create": _l("created"),
    "update": _l("changed"),
    "archive": _l("archived"),
    "delete": _l("deleted"),
    "add": _l("added"),
    "set": _l("set"),
    "init": _l("set up"),
    "assign": _l("assigned"),
    "unassign": _l("unassigned"),
    "label": _l("labelled"),
    "login": _l("logged in"),
    "logout": _l("logged out"),
    "login_failed": _l("failed login"),
    "login_locked": _l("login locked"),
    "reset_password": _l("password reset"),
    "activate": _l("activated"),
    "deactivate": _l("deactivated"),
    "revoke": _l("revoked"),
    "token_use": _l("used an API token"),
    "token_refused": _l("API token refused"),
    "set_resource": _l("resources set"),
    "remove_resource": _l("resources removed"),
    "set_weights": _l("weights set"),
    "planned": _l("PDCA cycle planned"),
    "do": _l("PDCA step Do"),
    "check": _l("PDCA step Check"),
    "act": _l("PDCA step Act"),
    "closed": _l("PDCA cycle closed"),
}
ENTITY_NAMES = {
    "user": _l("user"),
    "perimeter": _l("perimeter"),
    "perimeters": _l("perimeters"),
    "incidents": _l("incidents"),
    "counts": _l("counts per perimeter"),
    "streets": _l("streets"),
    "zone": _l("zone"),
    "phenomenon": _l("phenomenon"),
    "phenomena": _l("phenomena"),
    "partner": _l("partner"),
    "partner_type": _l("partner type"),
    "action_plan": _l("action plan"),
    "plan_action": _l("action"),
    "plan_cycle": _l("PDCA cycle"),
    "plan_indicator": _l("target"),
    "survey_results": _l("survey results"),
    "api_token": _l("API token"),
    "hotspot_cells": _l("hotspot cells"),
    "hotspot_candidates": _l("candidate perimeters"),
    "progress_report": _l("progress report"),
    "dossier": _l("meeting dossier"),
    "audit_events": _l("audit log"),
}
#: Who acted when no user did.
SYSTEM_ACTORS = {
    "cli": _l("command line"),
    "demo": _l("demo data"),
    "web": _l("web (not logged in)"),
    "api": _l("API (no valid token)"),
}
DETAIL_NAMES = {
    "role": _l("role"),
    "partner": _l("partner"),
    "perimeter": _l("perimeter"),
    "phenomenon": _l("phenomenon"),
    "phenomena": _l("phenomena"),
    "type": _l("type"),
    "name": _l("name"),
    "status": _l("status"),
    "version": _l("version"),
    "area_m2": _l("area (m²)"),
    "area_change_m2": _l("area change (m²)"),
    "notes": _l("remarks"),
    "source": _l("source"),
    "file": _l("file"),
    "rows": _l("rows"),
    "read": _l("rows read"),
    "imported": _l("rows imported"),
    "rejected": _l("rows rejected"),
    "replaced": _l("replaced"),
    "period": _l("period"),
    "from": _l("from"),
    "to": _l("to"),
    "language": _l("language"),
    "languages": _l("languages"),
    "address": _l("address"),
    "active": _l("active"),
    "by": _l("locked by"),
    "name_known": _l("known user name"),
    "plan": _l("plan"),
    "number": _l("number"),
    "on": _l("on"),
    "target": _l("target value"),
    "deadline": _l("deadline"),
    "owner": _l("owner"),
    "weights": _l("weights"),
    "weight": _l("weight"),
    "hours_per_month": _l("hours per month"),
    "budget_eur": _l("budget (€)"),
    "cell_m": _l("cell size (m)"),
    "expires_at": _l("expires"),
    "split_off": _l("split off"),
    "split_from": _l("split from"),
    "zvp_period": _l("ZVP period"),
    "labels": _l("labels"),
    "threshold": _l("threshold"),
    "person": _l("person"),
    "action": _l("action"),
    "kind": _l("kind"),
    "subject": _l("subject"),
    "unit": _l("unit"),
    "comparison": _l("comparison"),
    "title": _l("title"),
    "filters": _l("filters"),
    "before": _l("period before"),
    "after": _l("period after"),
}
#: Detail keys not shown: the purpose has its own column, note codes become the remarks.
HIDDEN = {"purpose", "note_codes"}
#: Words for the values of a detail key (a value no table knows is shown as it is).
_VALUE_NAMES: dict[str, tuple[Mapping[str, Any], ...]] = {
    "role": (ROLE_NAMES, RESPONSIBILITY_NAMES),
    "type": (PARTNER_TYPE_NAMES,),
    "status": (STATUS_NAMES, plan_words.PLAN_STATUS_NAMES, plan_words.ACTION_STATUS_NAMES),
    "language": (LANGUAGE_NAMES,),
    "kind": ({"incidents": _l("incidents"), "survey": _l("survey")},),
}


def action_name(code: str) -> str:
    """An audit action in words."""
    return name_of(ACTION_NAMES, code)


def entity_name(code: str) -> str:
    """What an audit event is about, in words."""
    return name_of(ENTITY_NAMES, code)


def actor_name(person: str, actor: str) -> str:
    """The person who acted, or what acted when no user did (the command line…)."""
    return str(SYSTEM_ACTORS[actor]) if actor in SYSTEM_ACTORS else person


@dataclass(frozen=True)
class Names:
    """What a detail's codes and ids stand for: phenomenon labels by code, perimeter and plan
    names by id."""

    phenomena: Mapping[str, str]
    perimeters: Mapping[int, str]
    plans: Mapping[int, str]


def detail_items(detail: Mapping[str, Any], names: Names) -> list[tuple[str, str]]:
    """An event's detail as (label, value) pairs in the reader's language."""
    items = []
    for key, value in detail.items():
        if key in HIDDEN:
            continue
        if key == "notes" and detail.get("note_codes"):
            shown = "; ".join(
                geometry_message(n["code"], n.get("params", {}), note=True)
                for n in detail["note_codes"]
            )
        else:
            shown = _value(key, value, names)
        items.append((name_of(DETAIL_NAMES, key), shown))
    return items


def details_text(items: list[tuple[str, str]]) -> str:
    """Detail pairs as one line: ``role: analyst; partner: OCMW``."""
    return "; ".join(f"{label}: {value}" for label, value in items)


def _value(key: str, value: Any, names: Names) -> str:
    """One detail value in words: ids as names, codes as words, numbers for the reader."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) and key in _IDS:
        return _IDS[key](names).get(value, str(value))
    if isinstance(value, int):
        return str(format_number(value))
    if isinstance(value, float):
        return str(format_decimal(value, format="#,##0.##"))
    if isinstance(value, list):
        return ", ".join(_value(key, v, names) for v in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{names.phenomena.get(k, k) if key == 'weights' else name_of(DETAIL_NAMES, k)}: "
            f"{_value(key if key == 'weights' else k, v, names)}"
            for k, v in value.items()
        )
    text = "" if value is None else str(value)
    if key in ("phenomenon", "phenomena", "subject") and text in names.phenomena:
        return names.phenomena[text]
    if key == "subject":
        return plan_words.survey_label(text)
    for table in _VALUE_NAMES.get(key, ()):
        if text in table:
            return str(table[text])
    return text


#: Detail keys holding the id of a named row.
_IDS: dict[str, Callable[[Names], Mapping[int, str]]] = {
    "perimeter": lambda n: n.perimeters,
    "split_from": lambda n: n.perimeters,
    "plan": lambda n: n.plans,
}
