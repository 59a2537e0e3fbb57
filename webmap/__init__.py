"""The MMM Planner web app (Flask): thin views on top of the ``mmm`` core.

For now a placeholder page; the zone map, login and exports come with the web issue.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from mmm.settings import load_settings

PLACEHOLDER = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>MMM Planner</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>MMM Planner</h1>
<p>De demozone is geladen. De zonekaart, het aanmelden en de exports volgen in de volgende versie;
gebruik intussen de opdrachtregel: <code>mmm aggregate</code>, <code>mmm export</code>.</p>
<p lang="en">The demo zone is loaded. The zone map, log-in and exports come in the next version;
meanwhile use the command line: <code>mmm aggregate</code>, <code>mmm export</code>.</p>
</body></html>
"""


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory: settings from ``MMM_*`` env vars, overridden by ``test_config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config["MMM_STORE"] = load_settings().store
    if test_config:
        app.config.update(test_config)

    @app.get("/")
    def index() -> str:
        return PLACEHOLDER

    return app
