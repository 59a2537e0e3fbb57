"""Embed a Folium map in our own page (same document, no iframe), with local assets only."""

from __future__ import annotations

from dataclasses import dataclass

import folium
from branca.element import Figure
from flask import current_app, url_for
from markupsafe import Markup

from mmm.present.maps import Assets


@dataclass(frozen=True)
class MapParts:
    """The three pieces of a rendered Folium figure: head (css/js), body (div), script."""

    header: Markup
    html: Markup
    script: Markup


def parts(fmap: folium.Map) -> MapParts:
    """Render ``fmap`` and split it so a Jinja template can place each piece."""
    figure = fmap.get_root()
    assert isinstance(figure, Figure)  # a Folium map's root is always a branca Figure
    figure.render()
    return MapParts(
        header=Markup(figure.header.render()),
        html=Markup(figure.html.render()),
        script=Markup(figure.script.render()),
    )


def assets() -> Assets:
    """URLs of the vendored Leaflet files served by this app."""
    return Assets.under(url_for("static", filename="vendor").rstrip("/"))


def tiles_url() -> str | None:
    """The optional basemap (``MMM_TILES_URL``); ``None`` means a plain background."""
    return current_app.config.get("MMM_TILES_URL") or None
