"""Files in and out: reading any GDAL source (pyogrio), the row rules an import applies, an
import run with its rejection report (incidents, perimeters, the zone, its streets), GeoJSON for
the browser, a raster basemap's tiles, and the file writers of exports.
"""

from mmm.io.basemap import (
    Basemap,
    BasemapUnusable,
    open_basemap,
)
from mmm.io.files import (
    Source,
    read_source,
    write_geofile,
)
from mmm.io.geojson import (
    feature_collection,
    perimeter_features,
    street_features,
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
from mmm.io.streets import (
    import_street_source,
    import_streets,
)
from mmm.io.writers import (
    WRITERS,
)

__all__ = [
    "Basemap",
    "BasemapUnusable",
    "ImportReport",
    "IncidentColumns",
    "Source",
    "WRITERS",
    "feature_collection",
    "import_incident_source",
    "import_incidents",
    "import_perimeters",
    "import_street_source",
    "import_streets",
    "import_zone",
    "open_basemap",
    "perimeter_features",
    "read_source",
    "street_features",
    "write_geofile",
    "write_rejects",
]
