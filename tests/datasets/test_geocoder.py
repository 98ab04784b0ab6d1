"""The Nominatim client (issue 16 item 3) against a fake Nominatim over real HTTP: Bologna first through the
viewbox, answers cached, requests spaced by GEOCODER_MIN_INTERVAL_S, failures as domain errors."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from lgurban.datasets.geocoder import USER_AGENT, Geocoder, GeocoderUnavailable
from lgurban.errors import BadRequest
from lgurban.settings import Settings
from tests.fakes.nominatim import FakeNominatim


@pytest.fixture(scope="module")
def nominatim() -> Iterator[FakeNominatim]:
    fake = FakeNominatim().start()
    yield fake
    fake.stop()


def _geocoder(fake: FakeNominatim, **overrides: Any) -> Geocoder:
    values: dict[str, Any] = {"environment": "test", "_env_file": None, "geocoder_url": fake.url + "/"}
    values["geocoder_min_interval_s"] = overrides.pop("interval", 0.0)
    return Geocoder(Settings(**values, **overrides))


async def test_search_is_biased_to_bologna_and_cached(nominatim: FakeNominatim) -> None:
    geo = _geocoder(nominatim)
    before = len(nominatim.requests)
    places = await geo.search("  Piazza   Maggiore ")
    assert [p.address["city"] for p in places] == ["Bologna", "Milano"]  # the viewbox ranks Bologna first
    top = places[0]
    assert (round(top.lat, 4), round(top.lon, 4)) == (44.4938, 11.3431)
    assert top.kind == "place/square" and top.osm == "way/25112436"
    assert top.bbox == [11.3424, 44.4932, 11.3437, 44.4944]  # min_lon, min_lat, max_lon, max_lat
    [sent] = nominatim.requests[before:]
    assert sent["path"] == "/search" and sent["query"]["q"] == "Piazza Maggiore"
    assert sent["query"]["viewbox"] == "11.229,44.421,11.434,44.556" and "bounded" not in sent["query"]
    assert sent["query"]["format"] == "jsonv2" and sent["user_agent"] == USER_AGENT
    # the same question again (any case, any spacing) is answered from the cache
    assert await geo.search("piazza maggiore") == places
    assert len(nominatim.requests) == before + 1
    assert await geo.search("nowhere at all") == []
    await geo.close()


async def test_requests_are_spaced_by_the_minimum_interval(nominatim: FakeNominatim) -> None:
    geo = _geocoder(nominatim, interval=0.4)
    before = len(nominatim.requests)
    await asyncio.gather(geo.search("bologna centrale"), geo.reverse(44.4938, 11.3430), geo.search("milano"))
    times = [r["at"] for r in nominatim.requests[before:]]
    assert len(times) == 3
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(g >= 0.38 for g in gaps), gaps
    await geo.close()


async def test_reverse_and_failures(nominatim: FakeNominatim) -> None:
    geo = _geocoder(nominatim)
    place = await geo.reverse(44.5056, 11.3433)
    assert place is not None and place.name.startswith("Bologna Centrale")
    assert nominatim.requests[-1]["query"] == {
        "lat": "44.505600",
        "lon": "11.343300",
        "format": "jsonv2",
        "addressdetails": "1",
    }
    assert await geo.reverse(0.0, 0.0) is None  # {"error": "Unable to geocode"}
    with pytest.raises(BadRequest):
        await geo.reverse(123.0, 11.0)
    with pytest.raises(BadRequest):
        await geo.search("   ")
    nominatim.fail_next(503)
    with pytest.raises(GeocoderUnavailable, match="HTTP 503"):
        await geo.search("stazione")
    nominatim.fail_next(429)
    with pytest.raises(GeocoderUnavailable, match="too many requests"):
        await geo.search("stazione")
    await geo.close()
    down = Geocoder(Settings(environment="test", _env_file=None, geocoder_url="http://127.0.0.1:9"))  # type: ignore[call-arg]
    with pytest.raises(GeocoderUnavailable, match="did not answer"):
        await down.search("x")
    await down.close()
