"""Embed a Folium map in our own page (same document, no iframe), with local assets only."""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass

import folium
from branca.element import Figure
from flask import current_app, url_for
from markupsafe import Markup
from shapely.geometry.base import BaseGeometry

from mmm.present.maps import Assets, Backdrop, carried, street_network
from webmap.extensions import get_store
from webmap.security import csp_nonce
from webmap.tiles import basemap


@dataclass(frozen=True)
class MapParts:
    """The three pieces of a rendered Folium figure: head (css/js), body (div), script."""

    header: Markup
    html: Markup
    script: Markup

    @property
    def size(self) -> int:
        """Characters held (what keeping these parts costs, :mod:`webmap.answers`)."""
        return len(self.header) + len(self.html) + len(self.script)

    def nonced(self) -> MapParts:
        """These parts for this request: the header's scripts get its CSP nonce (Folium
        writes one inline); the template puts the nonce on the ``<script>`` around
        :attr:`script`."""
        header = re.sub(r"<script(?=[\s>])", f'<script nonce="{csp_nonce()}"', self.header)
        return dataclasses.replace(self, header=Markup(header))


def rendered(fmap: folium.Map) -> MapParts:
    """Render ``fmap`` and split it so a Jinja template can place each piece; nothing of the
    request is in them yet (see :meth:`MapParts.nonced`), so they may be kept."""
    figure = fmap.get_root()
    assert isinstance(figure, Figure)  # a Folium map's root is always a branca Figure
    figure.render()
    return MapParts(
        header=Markup(figure.header.render()),
        html=Markup(figure.html.render()),
        script=Markup(figure.script.render()),
    )


def parts(fmap: folium.Map) -> MapParts:
    """:func:`rendered` parts of ``fmap`` for this request."""
    return rendered(fmap).nonced()


def assets() -> Assets:
    """URLs of the vendored Leaflet files served by this app."""
    return Assets.under(url_for("static", filename="vendor").rstrip("/"))


def tiles_url() -> str | None:
    """The basemap's URL template: the app's own tiles (``MMM_BASEMAP``), else the optional
    external server (``MMM_TILES_URL``); ``None`` means a plain background."""
    if basemap() is not None:
        return url_for("tiles.tile", z=0, x=0, y=0).removesuffix("/0/0/0") + "/{z}/{x}/{y}"
    return current_app.config.get("MMM_TILES_URL") or None


def tiles_attribution() -> str | None:
    """The attribution of the app's own basemap file (HTML-escaped text), else ``None``."""
    found = basemap()
    return html.escape(found.attribution) if found is not None and found.attribution else None


def backdrop() -> Backdrop:
    """What lies under a map page served by the app: the basemap (its file's zooms as native
    zooms), the street tiles (their URL carries the data version, so a browser keeps them
    until an import changes them) and the street search."""
    found, store = basemap(), get_store()
    streets = search = None
    if store.street_count():  # the tiles are cut by their own requests, not this page's
        tile = url_for("maps.street_tile", z=0, x=0, y=0).removesuffix("/0/0/0")
        streets = f"{tile}/{{z}}/{{x}}/{{y}}?v={store.data_version()}"
        search = url_for("maps.street_search")
    return Backdrop(
        tiles=tiles_url(),
        attribution=tiles_attribution(),
        native_zooms=None if found is None else (found.min_zoom, found.max_zoom),
        streets=streets,
        search=search,
    )


def carried_backdrop(geometry: BaseGeometry) -> Backdrop:
    """The backdrop a page carries around ``geometry`` to open without the app (a dossier, the
    copy Chromium prints): street tiles, search index and basemap images inside the page."""
    found = carried(geometry.bounds, street_network(get_store()), basemap())
    if basemap() is None and tiles_url():  # an external tile server stays external
        found = dataclasses.replace(found, tiles=tiles_url())
    return found
