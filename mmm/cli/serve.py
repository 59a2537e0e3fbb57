"""``mmm serve``: run the web app (:mod:`webmap`) on the store given to ``mmm``.

Flask and the web app are imported when the command runs, never for ``mmm --help``. The banner
says when the store is the demo's; the ``Server`` header names the app, not Werkzeug.
It serves with waitress (:func:`webmap.serving.production_server`, ``--threads`` worker
threads); ``--dev`` runs Flask's development server instead.
"""

from __future__ import annotations

import threading

import click

from mmm.cli.common import command_store


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Requests served at once (waitress's worker threads).",
)
@click.option(
    "--dev", is_flag=True, help="Flask's development server instead (never in production)."
)
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int, threads: int, dev: bool) -> None:
    """Run the web app on this store (waitress; --dev: Flask's development server)."""
    from mmm.demo import ZONE_NAME, is_demo_store
    from webmap import create_app, warm_up
    from webmap.serving import development_server, production_server

    store = command_store(ctx)  # one that cannot be opened (or needs `mmm db upgrade`) stops here
    app = create_app({"MMM_STORE": ctx.find_root().obj["store_url"]})
    threading.Thread(target=warm_up, args=(app,), daemon=True).start()
    if dev:
        run = development_server(app, host=host, port=port).serve_forever
    else:
        run = production_server(app, host=host, port=port, threads=threads).run
    how = "Flask's development server" if dev else f"waitress, {threads} threads"
    click.echo(f"MMM Planner on http://{host}:{port}/  ({how}; Ctrl+C stops it)")
    if is_demo_store(store):
        click.echo(
            f"This is a demo store: the fictional zone {ZONE_NAME!r}, with the demo log-ins "
            "and their published password. Never put real data in it."
        )
    run()
