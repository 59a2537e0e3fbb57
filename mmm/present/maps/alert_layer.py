"""The near-repeat alert layer: the last 14 days' incidents of each phenomenon that shows a
near-repeat pattern, each with the circle of its raised risk (staff only).

Why: "after a burglary, the risk is raised within 200 m for 14 days" becomes a patrol plan and a
warning to the neighbours only where it holds now. The circles' radius and the last day of each
alert come from the zone's own Knox table (:mod:`mmm.hotspots.near_repeat_alerts`). Staff only:
the places and days of recent incidents are those of victims' homes, which no release rule
lets a partner see.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from mmm.hotspots.near_repeat_alerts import Alert, NearRepeatFinding
from mmm.present.maps.hotspot_text import phenomenon_label
from mmm.present.maps.numbers import numbers_for
from mmm.present.maps.overlays import Overlay
from mmm.present.style import Translate

#: The circles' colour.
ALERT_COLOUR = "#d7301f"


def alert_layer(
    alerts: Sequence[Alert],
    findings: Sequence[NearRepeatFinding],
    phenomena: dict[str, str],
    translate: Translate,
    *,
    reference: date,
    days: int,
) -> Overlay:
    """The overlay of ``alerts``: a dashed circle of the raised risk around each, its popup
    (what, when, until when), and a legend with each phenomenon's reach."""
    _ = translate
    fmt = numbers_for(_)
    title = _("Near-repeat alerts (last %(days)s days)") % {"days": days}
    reaches = "".join(
        "<div>"
        + html.escape(
            _("%(phenomenon)s: within %(distance)s m for %(days)s days")
            % {
                "phenomenon": phenomenon_label(phenomena, f.phenomenon),
                "distance": fmt.metres(f.reach.distance_m),
                "days": f.reach.days,
            }
        )
        + "</div>"
        for f in findings
        if f.reach is not None
    )
    note = _(
        "Incidents up to %(day)s; circle: the raised risk the zone's own near-repeat test shows."
    ) % {"day": fmt.day(reference)}
    legend = (
        f'<h4><i class="dot" style="background:{ALERT_COLOUR}"></i>{html.escape(title)}</h4>'
        f"{reaches}<small>{html.escape(note)}</small>"
    )
    layer = Overlay(title, legend)
    for alert in alerts:
        text = _("%(phenomenon)s on %(day)s: raised risk within %(distance)s m until %(until)s") % {
            "phenomenon": phenomenon_label(phenomena, alert.phenomenon),
            "day": fmt.day(alert.day),
            "distance": fmt.metres(alert.radius_m),
            "until": fmt.day(alert.until),
        }
        circle = {
            "radius": alert.radius_m,
            "color": ALERT_COLOUR,
            "weight": 2,
            "dashArray": "6 4",
            "fillColor": ALERT_COLOUR,
            "fillOpacity": 0.12,
        }
        layer.add_circle(
            alert.x, alert.y, circle, f'<div class="mmm-popup">{html.escape(text)}</div>'
        )
    return layer
