"""Which :data:`mmm.access.RULES` action each route needs, checked before every view.

Why a table: each view asks :mod:`mmm.access` itself, but a route whose view forgot to would
serve anyone who is logged in. The table names the action(s) of every endpoint; a request to an
endpoint missing from it is refused (403, and the log says which), and
``tests/webmap/test_route_rules.py`` walks every route of the app × every role against
``RULES`` — a new route without a rule fails it. The views keep their finer checks (an officer
edits only proposed perimeters, a partner sees only its own perimeters and plans).

The data a page carries is checked where it leaves, by the same rules: the zone map's grid
(``view_grid``), incident points on a perimeter page (``view_incidents``, with a purpose) and
the comparison with the zone (``view_zone_comparisons``).
"""

from __future__ import annotations

from flask import Flask, abort, current_app, request
from flask_login import current_user

from mmm import access

#: endpoint → the actions of :data:`mmm.access.RULES` a user needs (all of them); ``()``: any
#: logged-in user (or, for the login page and static files, anyone).
ROUTE_RULES: dict[str, tuple[str, ...]] = {
    "static": (),
    "auth.login": (),
    "auth.logout": (),
    "auth.language": (),
    "maps.home": (),
    "maps.zone": ("view_map",),
    "tiles.tile": (),  # the basemap under every map page: any logged-in user
    # the streets under every map page and their search: reference data, any logged-in user
    "maps.street_tile": (),
    "maps.street_search": (),
    "maps.segments": ("view_segments",),  # counts per street segment: staff only
    "perimeters.index": ("view_perimeter",),
    "perimeters.show": ("view_perimeter",),
    "perimeters.new": ("propose_perimeter",),
    "perimeters.edit": ("propose_perimeter",),
    "perimeters.upload": ("import_perimeters",),
    "api.perimeters": ("view_perimeter",),
    "api.perimeter": ("view_perimeter",),
    "api.counts": ("view_perimeter",),
    "api.create_perimeter": ("propose_perimeter",),
    "api.update_perimeter": ("propose_perimeter",),
    "api.split_perimeter": ("propose_perimeter",),
    "api.versions": ("view_perimeter_history",),
    "hotspots.index": ("view_hotspots",),
    "hotspots.compute": ("view_hotspots",),  # the page's script: the same run, as a job
    "hotspots.download": ("view_hotspots", "export"),
    "hotspots.adopt": ("view_hotspots", "propose_perimeter"),
    "hotspots.save_weights": ("set_weights",),
    "exports.index": ("export",),
    "exports.download": ("export",),
    "partners.index": ("view_assignments",),
    "partners.csv": ("view_assignments",),
    "partners.add": ("manage_partners",),
    "partners.add_assignment": ("manage_partners",),
    "partners.remove_assignment": ("manage_partners",),
    "plans.index": ("view_plans",),
    "plans.show": ("view_plans",),
    "plans.new": ("edit_plans",),
    "plans.edit": ("edit_plans",),
    "plans.resource_view": ("edit_plans",),
    "plans.add_indicator_view": ("edit_plans",),
    "plans.update_indicator_view": ("edit_plans",),
    "plans.remove_indicator_view": ("edit_plans",),
    "plans.new_cycle": ("edit_plans",),
    "plans.step": ("edit_plans",),
    "plans.act": ("record_findings",),
    "plans.add_action_view": ("edit_actions",),
    "plans.update_action_view": ("edit_actions",),
    "plans.surveys": ("import_surveys",),
    "reports.index": ("view_reports",),
    "reports.progress": ("view_reports",),
    "reports.progress_pdf": ("view_reports",),
    "reports.dossier": ("download_dossier",),
    "meeting.choose": ("run_meeting",),
    "meeting.walk": ("run_meeting",),
    "audit.index": ("view_audit",),
    "audit.download": ("view_audit",),  # the filtered view as CSV, with a purpose (audited)
    "admin.users": ("manage_users",),
    "admin.user": ("manage_users",),
    "admin.password": ("manage_users",),
    "admin.active": ("manage_users",),
    # OGC API – Features: the perimeters and their counts, as the reader's scope shows them
    "ogc.landing": ("view_perimeter",),
    "ogc.conformance": ("view_perimeter",),
    "ogc.api": ("view_perimeter",),
    "ogc.collections": ("view_perimeter",),
    "ogc.collection": ("view_perimeter",),
    "ogc.items": ("view_perimeter",),
    "ogc.item": ("view_perimeter",),
    "tokens.index": (),  # your own API tokens (an administrator: everyone's)
    "tokens.revoke": (),  # the view lets only a token's user or an administrator revoke it
    # a job's status and its file: any logged-in user, the view answers only the job's owner
    # (starting one needed the rule of the route that started it)
    "jobs.status": (),
    "jobs.result": (),
}


def init_app(app: Flask) -> None:
    """Check every request against :data:`ROUTE_RULES` (after the login guard)."""
    app.before_request(check_route)


def check_route() -> None:
    """403 unless the logged-in user may do every action of the endpoint's rule.

    An endpoint that is not in the table is refused too, and logged as a bug: a route must say
    who may use it. Requests that match no route (404) pass on to Flask.
    """
    endpoint = request.endpoint
    if endpoint is None:
        return
    actions = ROUTE_RULES.get(endpoint)
    if actions is None:
        current_app.logger.error("%s has no access rule in webmap/route_rules.py", endpoint)
        abort(403)
    if actions and not all(access.can(current_user.user, a) for a in actions):
        abort(403)
