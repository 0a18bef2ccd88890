"""The physical limit of an ingest: Pillow alone opens, decodes and thumbnails the file.

    .venv/bin/python -m bench.pillow_baseline FILE  ->  {"seconds": …, "maxrss_kib": …}

Run in its own process, so that its peak resident size is the decode's and nothing else's.
"""

import json
import resource
import sys
import time

from PIL import Image

Image.MAX_IMAGE_PIXELS = None  # 100 MP is above Pillow's default bomb warning

started = time.perf_counter()
with Image.open(sys.argv[1]) as im:
    im.load()
    im.thumbnail((2048, 2048))  # the size of the ingest's preview
seconds = time.perf_counter() - started
print(
    json.dumps(
        {"seconds": seconds, "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    )
)
