"""OGC API – Features at ``/ogc``: the documents, paging, ``bbox``, one item, and the counts —
checked against ``/api/counts`` of the same reader and against shapely, on the demo zone."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import shapely
from shapely.geometry import shape

from mmm.present.ogc import CONFORMANCE, MAX_LIMIT

ITEMS = "/ogc/collections/{}/items"


def _all_items(client, collection: str, query: str = "", limit: int = 3) -> list[dict[str, Any]]:
    """Every item of a collection, page by page along the ``next`` links."""
    url = f"{ITEMS.format(collection)}?limit={limit}{'&' + query if query else ''}"
    features, pages = [], 0
    while url:
        page = client.get(url)
        assert page.status_code == 200 and page.mimetype == "application/geo+json"
        body = page.get_json()
        assert body["numberReturned"] == len(body["features"]) <= limit
        features += body["features"]
        pages += 1
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
    assert len(features) == body["numberMatched"] and pages == -(-len(features) // limit)
    return features


def test_landing_conformance_collections_and_api(login) -> None:
    client = login("officer")
    for path in ("/ogc", "/ogc/"):
        landing = client.get(path).get_json()
        rels = {link["rel"]: link["href"] for link in landing["links"]}
        assert rels["data"] == "http://localhost/ogc/collections"
        assert rels["conformance"] == "http://localhost/ogc/conformance"
        assert rels["service-desc"] == "http://localhost/ogc/api"
    assert client.get("/ogc/conformance").get_json() == {"conformsTo": list(CONFORMANCE)}
    collections = client.get("/ogc/collections").get_json()["collections"]
    assert [c["id"] for c in collections] == ["perimeters", "counts"]
    for c in collections:
        west, south, east, north = c["extent"]["spatial"]["bbox"][0]
        assert 4.5 < west < east < 4.9 and 50.7 < south < north < 51.0
        items = next(link for link in c["links"] if link["rel"] == "items")
        assert items["href"].endswith(f"/ogc/collections/{c['id']}/items")
    api = client.get("/ogc/api")
    assert api.mimetype == "application/vnd.oai.openapi+json"
    limit = api.get_json()["paths"]["/collections/{collectionId}/items"]["get"]["parameters"][1]
    assert limit["name"] == "limit" and limit["schema"]["maximum"] == MAX_LIMIT
    assert client.get("/ogc/collections/incidents").status_code == 404


def test_paging_follows_next_links_and_limits_are_bounded(login) -> None:
    client = login("analyst")
    features = _all_items(client, "perimeters", limit=3)
    assert sorted(f["id"] for f in features) == [f["id"] for f in features] == list(range(1, 11))
    whole = client.get(ITEMS.format("perimeters") + "?limit=99999").get_json()
    assert whole["numberReturned"] == 10 and "next" not in [x["rel"] for x in whole["links"]]
    page = client.get(ITEMS.format("perimeters") + "?limit=4&offset=8").get_json()
    assert [f["id"] for f in page["features"]] == [9, 10]
    prev = next(x["href"] for x in page["links"] if x["rel"] == "prev")
    assert prev.endswith("/ogc/collections/perimeters/items?limit=4&offset=4")
    assert page["timeStamp"].endswith("Z")
    for query in (
        "limit=0",
        "limit=abc",
        "offset=-1",
        "bbox=1,2,3",
        "bbox=5,51,4,50",
        "colour=red",
    ):
        refused = client.get(f"{ITEMS.format('perimeters')}?{query}")
        assert refused.status_code == 400 and refused.is_json, query
    assert client.get(f"{ITEMS.format('perimeters')}?period=2024").status_code == 400


def test_bbox_selects_what_intersects_it(login) -> None:
    client = login("analyst")
    every = client.get("/api/perimeters").get_json()["features"]
    box = (4.68, 50.86, 4.70, 50.875)
    expected = sorted(f["id"] for f in every if shape(f["geometry"]).intersects(shapely.box(*box)))
    assert 0 < len(expected) < len(every)
    query = "bbox=" + ",".join(map(str, box))
    assert [f["id"] for f in _all_items(client, "perimeters", query, limit=2)] == expected
    assert [f["id"] for f in _all_items(client, "counts", query, limit=2)] == expected
    nothing = client.get(ITEMS.format("perimeters") + "?bbox=3.0,50.0,3.1,50.1").get_json()
    assert (nothing["numberMatched"], nothing["features"]) == (0, [])


def test_one_item_and_what_a_partner_may_not_see(login) -> None:
    analyst, partner = login("analyst"), login("partner")
    one = analyst.get(ITEMS.format("perimeters") + "/5")
    assert one.status_code == 200 and one.get_json()["properties"]["name"] == "Marktplein"
    assert (
        one.get_json()["links"][0]["href"] == "http://localhost/ogc/collections/perimeters/items/5"
    )
    assert analyst.get(ITEMS.format("counts") + "/99").status_code == 404
    for collection in ("perimeters", "counts"):  # Marktplein is not the partner's
        assert partner.get(f"{ITEMS.format(collection)}/5").status_code == 404
    mine = {f["properties"]["name"] for f in _all_items(partner, "perimeters")}
    assert mine == {"Stationsbuurt", "Stadspark", "Winkelstraat"}


def _api_counts(client, period: str) -> dict[tuple[str, str, str], Any]:
    rows = client.get(f"/api/counts?period={period}").get_json()
    return {(r["perimeter"], r["phenomenon"], r["period"]): r["count"] for r in rows}


def test_staff_counts_add_up_to_the_api_months(login) -> None:
    client = login("analyst")
    months = _api_counts(client, "month")
    codes = sorted({code for _, code, _ in months})
    for query, chosen in (
        ("period=2024", lambda m: m.startswith("2024")),
        ("period=2024-Q2", lambda m: m in ("2024-04", "2024-05", "2024-06")),
        ("from=2024-11&to=2025-02", lambda m: "2024-11" <= m <= "2025-02"),
    ):
        expected: dict[tuple[str, str], int] = defaultdict(int)
        for (name, code, month), n in months.items():
            if chosen(month):
                expected[name, code] += n
        features = _all_items(client, "counts", query)
        assert len(features) == 10
        for f in features:
            props = f["properties"]
            assert [c for c in props if c not in ("id", "name", "from", "to")] == codes
            for code in codes:
                assert props[code] == expected[props["name"], code], (query, props["name"], code)
    span = _all_items(client, "counts", "from=2024-11&to=2025-02")[0]["properties"]
    assert (span["from"], span["to"]) == ("2024-11", "2025-02")
    everything = _all_items(client, "counts")[0]["properties"]
    assert (everything["from"], everything["to"]) == ("all", "all")


@pytest.mark.parametrize(
    "period,label", [("year", "2024"), ("quarter", "2025-Q3"), ("month", "2025-06")]
)
def test_a_partner_gets_the_api_figures_of_its_own_pairs_only(login, period, label) -> None:
    client = login("partner")
    api = _api_counts(client, period)
    mine = {(name, code) for name, code, _ in api}
    features = _all_items(client, "counts", f"period={label}")
    assert {f["properties"]["name"] for f in features} == {name for name, _ in mine}
    shown = 0
    for f in features:
        props = f["properties"]
        for code in (c for c in props if c not in ("id", "name", "from", "to")):
            if (props["name"], code) in mine:  # the very figure /api/counts gives, as text
                assert props[code] == str(api[props["name"], code, label])
                shown += 1
            else:
                assert props[code] is None
    assert shown == len(mine)


def test_bad_spans_are_refused(login) -> None:
    client = login("analyst")
    for query in ("period=2024-13", "period=week", "period=2024&from=2024-01", "from=1990-01",
                  "from=2025-03&to=2025-01", "from=2024-1x"):  # fmt: skip
        refused = client.get(f"{ITEMS.format('counts')}?{query}")
        assert refused.status_code == 400 and refused.get_json()["error"], query
