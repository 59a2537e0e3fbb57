"""Files in and out: reading any GDAL source (pyogrio), the row rules an import applies, an
import run with its rejection report, GeoJSON for the browser, and the file writers of exports.
"""

from mmm.io.files import (
    Source,
    read_source,
    write_geofile,
)
from mmm.io.geojson import (
    feature_collection,
    perimeter_features,
)
from mmm.io.imports import (
    ImportReport,
    IncidentColumns,
    import_incident_source,
    import_incidents,
    import_perimeters,
    import_zone,
    write_rejects,
)
from mmm.io.writers import (
    WRITERS,
)

__all__ = [
    "ImportReport",
    "IncidentColumns",
    "Source",
    "WRITERS",
    "feature_collection",
    "import_incident_source",
    "import_incidents",
    "import_perimeters",
    "import_zone",
    "perimeter_features",
    "read_source",
    "write_geofile",
    "write_rejects",
]
