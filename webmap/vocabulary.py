"""Words that come from data (roles, statuses, datasets), marked here so they get translated."""

from flask_babel import lazy_gettext as _l

ROLE_NAMES = {
    "admin": _l("administrator"),
    "analyst": _l("analyst"),
    "officer": _l("neighbourhood officer"),
    "partner": _l("partner"),
}
STATUS_NAMES = {"proposed": _l("proposed"), "active": _l("active"), "archived": _l("archived")}
DATASET_NAMES = {"perimeters": _l("Perimeters"), "counts": _l("Counts per perimeter")}
