"""5. Growth: the list pages measured at 10,000 and at 100,000 submissions.

"Flat" is taken as: ten times the rows costs at most 1.5 times the single-client median
latency. A page that grows linearly shows about 10x on its SQL time.
"""

from __future__ import annotations

from bench.common import Row
from bench.lists import ACCOUNT, PAGES, TRIVIAL

FLAT = 1.5


def run(small: dict, big: dict, sizes: tuple[int, int]) -> list[Row]:
    rows = []
    n_small, n_big = sizes
    for label in [TRIVIAL, ACCOUNT, *PAGES]:
        a, b = small["load"][label], big["load"][label]
        ratio = b["single"]["p50_ms"] / a["single"]["p50_ms"]
        sql = ""
        if label in PAGES:
            sa, sb = small["queries"][label]["sql_ms"], big["queries"][label]["sql_ms"]
            sql = f"; SQL {sa:.1f} → {sb:.1f} ms ({sb / sa:.1f}×)"
        rows.append(
            Row(
                "5",
                f"{label}: median latency, 1 client, at {n_big:,} vs {n_small:,} submissions"
                f"{sql}; 16 clients {a['loaded']['rps']:.0f} → {b['loaded']['rps']:.0f} req/s, "
                f"p95 {a['loaded']['p95_ms']:.0f} → {b['loaded']['p95_ms']:.0f} ms",
                f"{b['single']['p50_ms']:.1f} ms",
                f"{a['single']['p50_ms']:.1f} ms at {n_small:,}",
                ratio,
                f"≤ {FLAT} (flat)",
                ratio <= FLAT,
            )
        )
    return rows
