"""The physical limit of an ingest: Pillow alone opens, decodes and thumbnails the file.

    .venv/bin/python -m bench.pillow_baseline FILE  ->  {"seconds": …, "maxrss_kib": …}

Run in its own process, so that its peak resident size is the decode's and nothing else's.
"""

import json
import re
import sys
import time

from PIL import Image

Image.MAX_IMAGE_PIXELS = None  # 100 MP is above Pillow's default bomb warning

started = time.perf_counter()
with Image.open(sys.argv[1]) as im:
    im.load()
    im.thumbnail((2048, 2048))  # the size of the ingest's preview
seconds = time.perf_counter() - started
# VmHWM, not getrusage: ru_maxrss keeps the parent's peak across fork and exec.
with open("/proc/self/status") as status:
    peak = re.search(r"^VmHWM:\s+(\d+) kB", status.read(), re.M)
print(json.dumps({"seconds": seconds, "maxrss_kib": int(peak.group(1))}))
