"""Words that come from data (roles, statuses, datasets), marked here so they get translated."""

from flask_babel import lazy_gettext as _l

from mmm.access.audit import PURPOSES

ROLE_NAMES = {
    "admin": _l("administrator"),
    "analyst": _l("analyst"),
    "officer": _l("neighbourhood officer"),
    "partner": _l("partner"),
    "dpo": _l("data protection officer"),
}
STATUS_NAMES = {"proposed": _l("proposed"), "active": _l("active"), "archived": _l("archived")}
DATASET_NAMES = {"perimeters": _l("Perimeters"), "counts": _l("Counts per perimeter")}

#: Why incident-level data is viewed or exported (codes: mmm.access.audit.PURPOSES).
_PURPOSE_NAMES = {
    "analysis": _l("Crime analysis"),
    "operations": _l("Operational follow-up"),
    "meeting": _l("Preparing a partner meeting"),
    "evaluation": _l("Evaluation of an action plan (PDCA)"),
    "judicial": _l("Request of the public prosecutor"),
}


def purpose_names() -> dict[str, str]:
    """Purpose code → label in the user's language, in the order of mmm.access.audit.PURPOSES."""
    return {code: str(_PURPOSE_NAMES[code]) for code in PURPOSES}
