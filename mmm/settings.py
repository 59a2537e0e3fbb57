"""One settings object, read from ``MMM_*`` environment variables when asked for.

Nothing is read at import time: call :func:`load_settings` (the CLI and the app do it once).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields

DEFAULT_STORE = "sqlite:///instance/mmm.sqlite"


@dataclass(frozen=True)
class Settings:
    """Run-time settings; each field documents the environment variable that sets it."""

    store: str = field(
        default=DEFAULT_STORE,
        metadata={"env": "MMM_STORE", "help": "Store URL, e.g. sqlite:///path.db"},
    )
    outside_distance_m: float = field(
        default=1000.0,
        metadata={
            "env": "MMM_OUTSIDE_DISTANCE",
            "help": "Incidents farther than this (metres) from the zone outline are rejected",
        },
    )
    tiles_url: str = field(
        default="",
        metadata={
            "env": "MMM_TILES_URL",
            "help": "Optional tile basemap URL template (e.g. an internal WMTS); empty: none",
        },
    )
    basemap: str = field(
        default="",
        metadata={
            "env": "MMM_BASEMAP",
            "help": "An MBTiles or PMTiles file of raster tiles the app serves as the maps' basemap",
        },
    )
    secret_key: str = field(
        default="",
        metadata={
            "env": "MMM_SECRET_KEY",
            "help": "Web session signing key; empty: one is generated in instance/secret_key",
        },
    )
    suppress_below: int = field(
        default=5,
        metadata={
            "env": "MMM_SUPPRESS_BELOW",
            "help": "Partners see counts below this as '<N' (small-count suppression)",
        },
    )
    suppress_overrides: str = field(
        default="intrafamily_violence=10",
        metadata={
            "env": "MMM_SUPPRESS_OVERRIDES",
            "help": "Per-phenomenon thresholds, e.g. 'intrafamily_violence=10,drugs=5'",
        },
    )
    perimeter_min_area_m2: float = field(
        default=100.0,
        metadata={
            "env": "MMM_PERIMETER_MIN_AREA",
            "help": "Smallest area (m²) of a perimeter saved in the editor; smaller is refused",
        },
    )
    perimeter_max_area_m2: float = field(
        default=10_000_000.0,
        metadata={
            "env": "MMM_PERIMETER_MAX_AREA",
            "help": "Largest area (m²) of a perimeter saved in the editor (default 10 km²)",
        },
    )
    chromium: str = field(
        default="/usr/bin/chromium",
        metadata={
            "env": "MMM_CHROMIUM",
            "help": "The Chromium that prints PDF reports (and runs the browser tests)",
        },
    )
    max_upload_mb: float = field(
        default=20.0,
        metadata={
            "env": "MMM_MAX_UPLOAD_MB",
            "help": "Largest request the web app accepts (an upload, a JSON body), in MB",
        },
    )
    pdf_queue: int = field(
        default=3,
        metadata={
            "env": "MMM_PDF_QUEUE",
            "help": "PDF requests that may wait while Chromium prints one; more are refused (503)",
        },
    )
    progress_min_rows: int = field(
        default=50_000,
        metadata={
            "env": "MMM_PROGRESS_MIN_ROWS",
            "help": "Show a progress bar on a terminal for files with at least this many rows",
        },
    )
    secure_cookies: str = field(
        default="auto",
        metadata={
            "env": "MMM_SECURE_COOKIES",
            "help": "'auto': the session cookie is Secure when the request came over HTTPS; 'on': always",
        },
    )
    proxy_hops: int = field(
        default=0,
        metadata={
            "env": "MMM_PROXY_HOPS",
            "help": "Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed",
        },
    )
    login_limit_name: str = field(
        default="5 per minute; 20 per hour",
        metadata={
            "env": "MMM_LOGIN_LIMIT_NAME",
            "help": "Failed logins allowed per user name before further tries are refused (429)",
        },
    )
    login_limit_address: str = field(
        default="20 per minute; 100 per hour",
        metadata={
            "env": "MMM_LOGIN_LIMIT_ADDRESS",
            "help": "Failed logins allowed per client address before further tries are refused",
        },
    )
    login_limit_storage: str = field(
        default="memory://",
        metadata={
            "env": "MMM_LOGIN_LIMIT_STORAGE",
            "help": "Where failed logins are counted ('memory://': in the process; redis://…)",
        },
    )


_PARSERS: dict[str, Callable[[str], object]] = {"str": str, "float": float, "int": int}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build :class:`Settings` from ``environ`` (default: ``os.environ``).

    Raises
    ------
    ValueError
        When a variable holds a value of the wrong type; the message names the variable.
    """
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in fields(Settings):
        name = f.metadata["env"]
        if name not in env:
            continue
        raw = env[name]
        parse = _PARSERS[str(f.type)]
        try:
            values[f.name] = parse(raw)
        except ValueError:
            raise ValueError(f"{name}={raw!r} is not a valid {f.type}") from None
    return Settings(**values)  # type: ignore[arg-type]


def thresholds(settings: Settings) -> dict[str, int]:
    """The per-phenomenon overrides of ``MMM_SUPPRESS_OVERRIDES`` as a dict.

    Raises
    ------
    ValueError
        For an entry that is not ``code=number``.
    """
    result: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in settings.suppress_overrides.split(","))):
        code, _, number = item.partition("=")
        if not code.strip() or not number.strip().isdigit():
            raise ValueError(f"MMM_SUPPRESS_OVERRIDES: {item!r} is not code=number")
        result[code.strip()] = int(number)
    return result
