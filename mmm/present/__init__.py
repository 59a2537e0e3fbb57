"""What a page or a file shows: zone and perimeter overviews, exports, the progress report, the
meeting dossier and slides, the API's count table, inlining and PDF — and the walk of every view
a partner can open, for the disclosure audit. The Folium maps are the subpackage
:mod:`mmm.present.maps`; charts are Vega-Lite specs (:mod:`mmm.present.charts`,
:mod:`mmm.present.plan_charts`).
"""

from mmm.present.count_table import (
    count_table,
)
from mmm.present.disclosure_walk import (
    audit_partner,
)
from mmm.present.dossier import (
    Dossier,
    perimeter_dossier,
    record_download,
)
from mmm.present.export import (
    ExportOptions,
    export,
)
from mmm.present.inline import (
    inline_assets,
)
from mmm.present.meeting import (
    Lateness,
    lateness,
    meeting_slides,
)
from mmm.present.overview import (
    PerimeterOverview,
    ZoneOverview,
    perimeter_overview,
    zone_overview,
)
from mmm.present.pdf import (
    PdfError,
    PrinterBusy,
    PrintQueue,
    html_to_pdf,
)
from mmm.present.report import (
    PlanProgress,
    current_plan,
    plan_progress,
    plans_of,
)

__all__ = [
    "Dossier",
    "ExportOptions",
    "Lateness",
    "PdfError",
    "PerimeterOverview",
    "PlanProgress",
    "PrintQueue",
    "PrinterBusy",
    "ZoneOverview",
    "audit_partner",
    "count_table",
    "current_plan",
    "export",
    "html_to_pdf",
    "inline_assets",
    "lateness",
    "meeting_slides",
    "perimeter_dossier",
    "perimeter_overview",
    "plan_progress",
    "plans_of",
    "record_download",
    "zone_overview",
]
