"""``mmm serve``: run the web app (:mod:`webmap`) on the store given to ``mmm``.

Flask and the web app are imported when the command runs, never for ``mmm --help``.
"""

from __future__ import annotations

import threading

import click

from mmm.cli.common import command_store


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int) -> None:
    """Run the web app on this store."""
    from webmap import create_app, warm_up

    command_store(ctx)  # a store that cannot be opened (or needs `mmm db upgrade`) stops here
    app = create_app({"MMM_STORE": ctx.find_root().obj["store_url"]})
    threading.Thread(target=warm_up, args=(app,), daemon=True).start()
    click.echo(f"MMM Planner on http://{host}:{port}/  (Ctrl+C stops it)")
    app.run(host=host, port=port)
