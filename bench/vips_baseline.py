"""The floor of a streaming ingest: libvips alone makes the 2,048-px WebP preview, as
`vipsthumbnail FILE -s 2048 -o preview.webp` does (pyvips-binary ships no vipsthumbnail CLI).

    .venv/bin/python -m bench.vips_baseline FILE  ->  {"seconds": …, "maxrss_kib": …}

Run in its own process, so that its peak resident size is libvips's and nothing else's.
"""

import json
import re
import sys
import time

import pyvips

started = time.perf_counter()
preview = pyvips.Image.thumbnail(sys.argv[1], 2048, height=2048, size="down")
preview.webpsave_buffer(Q=82)
seconds = time.perf_counter() - started
# VmHWM, not getrusage: ru_maxrss keeps the parent's peak across fork and exec.
with open("/proc/self/status") as status:
    peak = re.search(r"^VmHWM:\s+(\d+) kB", status.read(), re.M)
print(json.dumps({"seconds": seconds, "maxrss_kib": int(peak.group(1))}))
