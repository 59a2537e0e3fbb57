"""What the perimeter editor page hands its script: the map's data, URLs and interface text.

Kept apart from the routes so each view stays a few lines. Everything goes to the page as one
JSON block (``<script type="application/json">``, escaped by Jinja's ``tojson``), never through
a template that could evaluate a perimeter's name.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from mmm import access
from mmm.access.users import User
from mmm.perimeters.geometry import to_geojson
from mmm.store import Store
from mmm.store.perimeter_rows import STATUSES, PerimeterVersion
from webmap.api.routes import version_feature
from webmap.folium_page import backdrop


def editor_data(
    store: Store, user: User, current: PerimeterVersion | None, earlier: int | None
) -> dict[str, Any]:
    """The editor's data for a new perimeter (``current`` is ``None``) or an existing one.

    ``earlier`` is a version number to draw beside the one being edited (``None``: none).
    """
    zone = store.zone()
    perimeters = store.perimeters()
    others = perimeters[perimeters["status"] != "archived"]
    if current is not None:
        others = others[others["id"] != current.perimeter_id]
    features = [
        {
            "type": "Feature",
            "geometry": to_geojson(geom),
            "properties": {"id": int(pid), "status": status, "label": _label(name, status)},
        }
        for pid, name, status, geom in zip(
            others["id"], others["name"], others["status"], others.geometry.values, strict=True
        )
    ]
    old = None
    if current is not None and earlier is not None:
        old = to_geojson(store.perimeter_version(current.perimeter_id, earlier).geometry)
    return {
        "zone": None if zone is None else to_geojson(zone.geometry),
        "others": {"type": "FeatureCollection", "features": features},
        "perimeter": None if current is None else version_feature(current),
        "earlier": old,
        "backdrop": backdrop().script_data(_),  # basemap, streets, street search
        "createUrl": url_for("api.create_perimeter"),
        "updateUrl": url_for("api.update_perimeter", perimeter_id=0),
        "editUrl": url_for("perimeters.edit", perimeter_id=0),
        "pageUrl": url_for("perimeters.show", perimeter_id=0),
        "splitUrl": url_for("api.split_perimeter", perimeter_id=0),
        "mayArchive": access.can(user, "edit_perimeter"),
        "mayEdit": may_edit(user, current),
        "text": _texts(),
    }


def statuses(user: User, current: PerimeterVersion | None) -> list[str]:
    """The statuses this user may choose in the form (officers: proposed only)."""
    old = None if current is None else current.fields.status
    return [
        s
        for s in STATUSES
        if s != "archived" and access.perimeter_edit_refusal(user, s, old) is None
    ]


def may_edit(user: User, current: PerimeterVersion | None) -> bool:
    """Whether the user may save this perimeter in any status (officers: proposed ones)."""
    return bool(statuses(user, current))


def _label(name: str, status: str) -> str:
    from webmap.vocabulary import STATUS_NAMES

    return f"{name} ({STATUS_NAMES.get(status, status)})"


def _texts() -> dict[str, str]:
    return {
        "saved": _("%(name)s: version %(version)s saved"),
        "overlap": _("Overlaps %(name)s: %(area)s m² (allowed; incidents there count in both)"),
        "period": _("Incidents %(first)s – %(last)s"),
        "none": _("No incidents in this period"),
        "draw": _("Draw the perimeter on the map first (the polygon button on the left)."),
        "saving": _("Saving…"),
        "reload": _("Reload"),
        "failed": _("The server did not answer; nothing was saved."),
        "saveFirst": _("Save your changes first, then split a part off."),
        "splitName": _("Give the new perimeter a name first."),
        "clickPart": _("Click the part that becomes the new perimeter."),
        "splitDone": _("The part is now the perimeter %(name)s."),
        "confirmArchive": _(
            "Archive this perimeter? It stays in the history and can be made active again."
        ),
    }
