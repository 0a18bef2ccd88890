"""Geography of An Giang: bounds that placements must lie in, and distances."""

from __future__ import annotations

import math

# Boxes (lat_min, lat_max, lon_min, lon_max) covering the province after the 2025 merger: the
# mainland, Phú Quốc with the Nam Du, Hải Tặc and Kiên Hải islands, and the Thổ Châu islands.
AN_GIANG_BOXES = (
    (9.45, 11.05, 104.35, 105.65),
    (9.55, 10.50, 103.80, 104.90),
    (9.20, 9.40, 103.40, 103.56),
)


def in_an_giang(lat: float, lon: float) -> bool:
    """Whether a point lies within the province's bounds."""
    return any(a <= lat <= b and c <= lon <= d for a, b, c, d in AN_GIANG_BOXES)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))
