"""Reading the text printed on artwork with Tesseract (through tesserocr): words with boxes in
relative coordinates (like pins), confidences and letter heights. No Flask here.

Large artwork is not read at whatever size arrives: a first pass over a working image (long
side ``work_px``) finds the lines, then each line is read again from a tile of the picture at
the scale where its capitals are ``target_px`` high, cut from the full-size original where the
working image is too coarse (small letters) and from the working image where it suffices.
Words that a caller doubts are read again at other scales (``reread``): a difference that only
one reading sees is not reported as certain.
"""

from __future__ import annotations

import math
import os
import statistics
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from PIL import Image

from registry.textcheck.vietnamese import nfc, strip_marks

TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
# Letters whose box spans the cap height, sitting on the baseline: capitals and digits without
# marks or descenders, and lower-case letters with an ascender.
PLAIN_TALL = set("ABCDEFGHIKLMNOPRSTUVWXYZ0123456789bdhkl")
# Debian's package of each model, where its name is not tesseract-ocr-<model>.
PACKAGES = {"Vietnamese": "tesseract-ocr-script-viet"}
KHMER = range(0x1780, 0x1800)
CHAM = range(0xAA00, 0xAA60)
# A line's tile reaches this many cap heights above the capitals (stacked tone marks) and below
# the baseline (dots below, descenders): enough for its own marks, short of the next line's.
ABOVE = 0.6
BELOW = 0.35
# Side of the sweep's tiles, in pixels at the sweep's scale.
SWEEP_TILE = 2000
# A doubtful word is read again by readers that err differently: other letter heights (as a
# factor of the target), Tesseract's model of the Vietnamese script besides the language model,
# and the picture made black on white, or black on white with its strokes thickened (display
# serif typefaces have hairlines that vanish at Tesseract's line height). A difference must be
# seen by several readings, and the slogan's word by none, before it is reported.
REREADS = [
    (0.7, "vie", "colour"),
    (1.0, "vie", "colour"),
    (1.36, "vie", "ink"),
    (1.0, "vie", "thick"),
    (0.7, "Vietnamese", "colour"),
    (1.0, "Vietnamese", "thick"),
]


# Letters whose marks are read again one at a time (``glyph_reading``), and the margin left
# beside a letter's own box, as a share of the cap height.
VOWELS = frozenset("aeiouy")
GLYPH_MARGIN = 0.06


class OcrUnavailable(RuntimeError):
    """Tesseract or its language data is missing; the message says what to install."""


@dataclass
class Word:
    text: str
    conf: float
    box: tuple[float, float, float, float]  # x, y, w, h relative to the image (0..1)
    line: int = 0
    alts: list[str] = field(default_factory=list)
    dots_below: int | None = None
    glyph: str | None = None  # the slogan's word with its vowels as read one at a time


@dataclass
class Line:
    text: str
    conf: float
    box: tuple[float, float, float, float]
    band: tuple[float, float]  # top and bottom of the line's rows, relative
    letter_px: float  # cap height in pixels of the original
    script: str = "latin"  # latin | khmer | cham
    words: list[int] = field(default_factory=list)


@dataclass
class Reading:
    words: list[Word]
    lines: list[Line]
    passes: list[dict]
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def find_tessdata(configured: str | None = None) -> str | None:
    """The tessdata folder holding vie.traineddata: the configured one if set, else
    TESSDATA_PREFIX or Debian's."""
    candidates = (
        (configured,) if configured else (os.environ.get("TESSDATA_PREFIX"), *TESSDATA_CANDIDATES)
    )
    for candidate in candidates:
        if candidate and Path(candidate, "vie.traineddata").is_file():
            return candidate
    return None


def check_available(tessdata: str | None, languages: tuple[str, ...] = ("vie",)) -> str:
    """The engine's name, or OcrUnavailable saying what is missing."""
    try:
        import tesserocr
    except ImportError as error:
        raise OcrUnavailable(
            _("Thư viện tesserocr chưa được cài (pip install tesserocr).")
        ) from error
    path = find_tessdata(tessdata)
    if path is None:
        raise OcrUnavailable(
            _(
                "Máy chủ chưa có dữ liệu tiếng Việt của Tesseract "
                "(apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet "
                "tesseract-ocr-khm)."
            )
        )
    missing = [lang for lang in languages if not Path(path, f"{lang}.traineddata").is_file()]
    if missing:
        raise OcrUnavailable(
            _(
                "Thiếu dữ liệu ngôn ngữ %(languages)s của Tesseract trong %(path)s "
                "(apt-get install %(packages)s).",
                languages=", ".join(missing),
                path=path,
                packages=" ".join(PACKAGES.get(m, "tesseract-ocr-" + m) for m in missing),
            )
        )
    version = tesserocr.tesseract_version().split()[1]
    return f"Tesseract {version} ({'+'.join(languages)})"


class Engine:
    """Tesseract instances per thread and language (an instance is not thread-safe)."""

    def __init__(self, tessdata: str | None = None) -> None:
        self.tessdata = find_tessdata(tessdata)
        self._local = threading.local()

    def has(self, lang: str) -> bool:
        return bool(self.tessdata) and Path(self.tessdata, f"{lang}.traineddata").is_file()

    def _api(self, lang: str, psm):
        import tesserocr

        apis = self._local.__dict__.setdefault("apis", {})
        key = (lang, int(psm))
        if key not in apis:
            apis[key] = tesserocr.PyTessBaseAPI(
                path=self.tessdata, lang=lang, psm=psm, oem=tesserocr.OEM.LSTM_ONLY
            )
        return apis[key]

    def read_char(self, image: Image.Image, lang: str = "vie") -> str:
        """The one letter the image shows, read alone: no word around it for the model of the
        language to "correct" its marks by."""
        from tesserocr import PSM

        api = self._api(lang, PSM.SINGLE_CHAR)
        api.SetImage(image)
        text = (api.GetUTF8Text() or "").strip()
        api.Clear()
        return text

    def read(self, image: Image.Image, lang: str = "vie", *, block: bool = False) -> list:
        """Lines of the image: [(box, conf, [(text, conf, box, [(char, box)])])], in pixels."""
        from tesserocr import PSM, RIL, iterate_level

        api = self._api(lang, PSM.SINGLE_BLOCK if block else PSM.AUTO)
        api.SetImage(image)
        api.Recognize()
        lines: list = []
        for it in iterate_level(api.GetIterator(), RIL.SYMBOL):
            symbol = _text(it, RIL.SYMBOL)
            if it.IsAtBeginningOf(RIL.TEXTLINE) or not lines:
                lines.append([it.BoundingBox(RIL.TEXTLINE), it.Confidence(RIL.TEXTLINE), []])
            words = lines[-1][2]
            if it.IsAtBeginningOf(RIL.WORD) or not words:
                text = _text(it, RIL.WORD)
                words.append([text, it.Confidence(RIL.WORD), it.BoundingBox(RIL.WORD), []])
            words[-1][3].append((symbol, it.BoundingBox(RIL.SYMBOL)))
        api.Clear()
        return [line for line in lines if any(w[0].strip() for w in line[2])]


def _text(iterator, level) -> str:
    try:
        return iterator.GetUTF8Text(level) or ""
    except RuntimeError:  # tesserocr raises on an element without text
        return ""


class Picture:
    """The artwork at two resolutions: a working image, and the full-size original on demand."""

    def __init__(
        self,
        size: tuple[int, int],
        load_work: Callable[[int], Image.Image],
        load_full: Callable[[], Image.Image],
        work_px: int,
    ) -> None:
        self.size = size
        self.work = load_work(min(work_px, max(size))).convert("RGB")
        self.work_scale = self.work.width / size[0]
        self._load_full = load_full
        self._full: Image.Image | None = None
        # The passes are a stored record whose "what" the review panel counts (keys, not words).
        whole = "toàn ảnh"  # not interface: a stored key of passes
        self.passes = [{"what": whole, "scale": round(self.work_scale, 4)}]

    def tile(self, box: tuple[float, float, float, float], scale: float) -> Image.Image:
        """The region `box` (pixels of the original) at `scale`, from the coarsest source that
        is sharp enough."""
        if scale > self.work_scale * 1.25:
            if self._full is None:
                self._full = self._load_full().convert("RGB")
                what = "nạp ảnh gốc"  # not interface: a stored key of passes
                self.passes.append({"what": what, "size": list(self._full.size)})
            source, source_scale = self._full, 1.0
        else:
            source, source_scale = self.work, self.work_scale
        tile = source.crop(tuple(round(v * source_scale) for v in box))
        factor = scale / source_scale
        wanted = (max(1, round(tile.width * factor)), max(1, round(tile.height * factor)))
        if wanted != tile.size:
            tile = tile.resize(wanted, Image.Resampling.LANCZOS)
        self.passes.append(
            {
                "what": "ô ảnh",  # not interface: a stored key of passes
                "scale": round(scale, 4),
                "size": list(tile.size),
                "from": "gốc" if source is self._full else "ảnh làm việc",  # not interface: key
            }
        )
        return tile

    def clamp(self, box) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = box
        return (max(0.0, x0), max(0.0, y0), min(self.size[0], x1), min(self.size[1], y1))


def _script(text: str) -> str:
    if any(ord(ch) in KHMER for ch in text):
        return "khmer"
    if any(ord(ch) in CHAM for ch in text):
        return "cham"
    return "latin"


def _cap_rows(words, fallback: tuple[float, float]) -> tuple[float, float]:
    """Top of the capitals and the baseline of a line, from its plain letters."""
    boxes = [box for _, _, _, symbols in words for ch, box in symbols if ch in PLAIN_TALL and box]
    if not boxes:
        top, bottom = fallback
        return top + (bottom - top) * 0.2, bottom - (bottom - top) * 0.1
    return statistics.median(b[1] for b in boxes), statistics.median(b[3] for b in boxes)


def _to_original(found: list, scale: float, origin=(0.0, 0.0)) -> list:
    """Engine lines from an image at `scale` whose corner is `origin` (pixels of the original),
    with every box in pixels of the original."""

    def conv(b):
        return (
            origin[0] + b[0] / scale,
            origin[1] + b[1] / scale,
            origin[0] + b[2] / scale,
            origin[1] + b[3] / scale,
        )

    return [
        (
            conv(box),
            [
                (text, conf, conv(wbox), [(ch, conv(cb)) for ch, cb in symbols])
                for text, conf, wbox, symbols in words
            ],
        )
        for box, _, words in found
    ]


def _overlaps(box, boxes) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _find_lines(picture: Picture, engine: Engine, min_px: float) -> list:
    """Lines of text (boxes and words in pixels of the original): a pass over the working
    image, then a sweep over tiles at twice its scale with the lines already found painted
    out, for letters too small to be seen beside large ones."""
    ws = picture.work_scale
    lines = [
        ln
        for ln in _to_original(engine.read(picture.work), ws)
        if ln[0][3] - ln[0][1] >= min_px / ws
    ]
    scale = min(1.0, 2 * ws)
    step = SWEEP_TILE / scale
    width, height = picture.size
    y = 0.0
    while y < height:
        x = 0.0
        while x < width:
            region = picture.clamp((x, y, x + step, y + step))
            tile = picture.tile(region, scale)
            _paint_out(tile, [ln[0] for ln in lines], region, scale)
            for line in _to_original(engine.read(tile), scale, region[:2]):
                box = line[0]
                if box[3] - box[1] >= min_px / scale and not _overlaps(
                    box, [ln[0] for ln in lines]
                ):
                    lines.append(line)
            x += step * 0.9
        y += step * 0.9
    return _merge_rows(sorted(lines, key=lambda ln: (ln[0][1], ln[0][0])))


def _merge_rows(lines: list) -> list:
    """Join pieces of one line that the sweep's tile edges cut apart: same rows, touching."""
    merged: list = []
    for box, words in sorted(lines, key=lambda ln: ln[0][0]):
        height = box[3] - box[1]
        for i, (other, other_words) in enumerate(merged):
            rows = min(box[3], other[3]) - max(box[1], other[1])
            gap = box[0] - other[2]
            if rows > 0.5 * min(height, other[3] - other[1]) and gap < height:
                union = (
                    min(box[0], other[0]),
                    min(box[1], other[1]),
                    max(box[2], other[2]),
                    max(box[3], other[3]),
                )
                merged[i] = (union, other_words + words)
                break
        else:
            merged.append((box, words))
    return sorted(merged, key=lambda ln: (ln[0][1], ln[0][0]))


def _paint_out(tile: Image.Image, boxes, region, scale: float) -> None:
    """Cover the given boxes (pixels of the original) with the tile's background colour."""
    from PIL import ImageDraw, ImageStat

    inside = []
    for b in boxes:
        x0, y0 = (b[0] - region[0]) * scale, (b[1] - region[1]) * scale
        x1, y1 = (b[2] - region[0]) * scale, (b[3] - region[1]) * scale
        if x1 > 0 and y1 > 0 and x0 < tile.width and y0 < tile.height:
            inside.append((x0, y0, x1, y1))
    if not inside:
        return
    fill = tuple(int(v) for v in ImageStat.Stat(tile).median)
    draw = ImageDraw.Draw(tile)
    for x0, y0, x1, y1 in inside:
        pad = (y1 - y0) * 0.3
        draw.rectangle((x0 - pad, y0 - pad, x1 + pad, y1 + pad), fill=fill)


def read_artwork(
    picture: Picture,
    engine: Engine,
    *,
    target_px: int = 44,
    min_px: int = 6,
    max_upscale: float = 3.0,
    khmer: bool = True,
) -> Reading:
    """Read every line of the artwork at the scale that suits its letters."""
    started = time.monotonic()
    width, height = picture.size
    words: list[Word] = []
    lines: list[Line] = []
    for box, line_words in _find_lines(picture, engine, min_px):
        x0, y0, x1, y1 = box
        cap_top, baseline = _cap_rows(line_words, (y0, y1))
        cap = max(baseline - cap_top, 1.0)
        scale = min(target_px / cap, max_upscale)
        region = picture.clamp(
            (x0 - cap * 0.8, cap_top - ABOVE * cap, x1 + cap * 0.8, baseline + BELOW * cap)
        )
        tile = picture.tile(region, scale)
        found = engine.read(tile, block=True)
        script = _script(" ".join(w[0] for ln in found for w in ln[2]))
        best_conf = max((ln[1] for ln in found), default=0.0)
        if khmer and script == "latin" and best_conf < 60 and engine.has("khm"):
            other = engine.read(tile, "khm", block=True)
            other_text = " ".join(w[0] for ln in other for w in ln[2])
            if _script(other_text) == "khmer" and max(ln[1] for ln in other) > best_conf:
                found, script = other, "khmer"
        all_words = [
            w for _, ws in _to_original(found, scale, region[:2]) for w in ws if w[0].strip()
        ]
        if not all_words:
            continue

        def rel(b):
            return _round(
                (b[0] / width, b[1] / height, (b[2] - b[0]) / width, (b[3] - b[1]) / height)
            )

        line_index = len(lines)
        line = Line(
            text=" ".join(w[0] for w in all_words),
            conf=round(min(ln[1] for ln in found), 1),
            box=rel(
                (
                    min(w[2][0] for w in all_words),
                    min(w[2][1] for w in all_words),
                    max(w[2][2] for w in all_words),
                    max(w[2][3] for w in all_words),
                )
            ),
            band=(round(region[1] / height, 5), round(region[3] / height, 5)),
            letter_px=round(cap, 1),
            script=script,
        )
        for text, wconf, wbox, _symbols in all_words:
            line.words.append(len(words))
            words.append(Word(text, round(wconf, 1), rel(wbox), line_index))
        lines.append(line)
    return Reading(words, lines, picture.passes, round(time.monotonic() - started, 3))


def _word_tile(picture: Picture, reading: Reading, index: int, factor: float, target_px, max_up):
    """A word's tile (its line's band, half a letter to each side) at `factor` times the target
    letter height, with its region (pixels of the original), scale and cap height."""
    width, height = picture.size
    word = reading.words[index]
    line = reading.lines[word.line]
    cap = max(line.letter_px, 1.0)
    x, w = word.box[0], word.box[2]
    region = picture.clamp(
        (
            (x * width) - cap * 0.5,
            line.band[0] * height,
            (x + w) * width + cap * 0.5,
            line.band[1] * height,
        )
    )
    scale = min(target_px * factor / cap, max_up)
    return picture.tile(region, scale), region, scale, cap


def reread(
    picture: Picture,
    engine: Engine,
    reading: Reading,
    indices: list[int],
    *,
    expected: dict[int, str] | None = None,
    target_px: int = 44,
    max_upscale: float = 3.0,
) -> None:
    """Read the given words again at other scales, storing the readings in `alts`; and count
    the marks under the word's baseline (`dots_below`): Tesseract sometimes sees a dot below
    (dấu nặng) under a capital I that has none. Words standing for a slogan's word
    (`expected`, by index) also get their vowels read one at a time (`glyph`)."""
    width = picture.size[0]
    expected = expected or {}
    for index in indices:
        word = reading.words[index]
        x, w = word.box[0], word.box[2]
        word.alts = []
        for factor, lang, look in REREADS:
            if not engine.has(lang):
                continue
            tile, region, scale, cap = _word_tile(
                picture, reading, index, factor, target_px, max_upscale
            )
            found = engine.read(prepared(tile, look, cap * scale), lang, block=True)
            texts = [w[0] for ln in found for w in ln[2] if w[0].strip()]
            word.alts.append(" ".join(texts))
            if (factor, look) == (1.0, "colour") and not set(word.text) & set("gjpqyQJ,;"):
                left = (x * width - region[0]) * scale
                right = ((x + w) * width - region[0]) * scale
                word.dots_below = dots_below(
                    tile, (left - cap * 0.05 * scale, right + cap * 0.05 * scale)
                )
    read_glyphs(picture, engine, reading, expected, target_px=target_px, max_upscale=max_upscale)


def read_glyphs(
    picture: Picture,
    engine: Engine,
    reading: Reading,
    expected: dict[int, str],
    *,
    target_px: int = 44,
    max_upscale: float = 3.0,
) -> None:
    """For each word (by index) standing for the slogan's word `expected[index]`, the slogan's
    word with each vowel as read alone (`glyph`); None where the word's letters are not the
    slogan word's."""
    for index, slogan_word in expected.items():
        tile, _region, _scale, _cap = _word_tile(
            picture, reading, index, 1.0, target_px, max_upscale
        )
        reading.words[index].glyph = glyph_reading(engine, tile, slogan_word)


def glyph_reading(engine: Engine, tile: Image.Image, expected: str) -> str | None:
    """The word `expected` with each vowel as read alone from the one-word `tile`: its own box
    (from Tesseract's letter boxes) and a narrow margin, the marks of the letters beside it
    painted out above the capitals and below the baseline. Tesseract reads a whole word against
    its model of the language and puts a misprinted mark right; a letter read alone has no word
    to be put right by. None where the letters read are not the expected word's."""
    from PIL import ImageDraw, ImageOps, ImageStat

    found = engine.read(tile, block=True)
    symbols = [
        (ch, box)
        for ln in found
        for w in ln[2]
        for ch, box in w[3]
        if ch.strip() and unicodedata.category(ch[0])[0] == "L"
    ]
    letters = list(nfc(expected))
    read_letters = "".join(ch for ch, _box in symbols)
    if len(symbols) != len(letters) or strip_marks(read_letters) != strip_marks(expected):
        return None
    top, baseline = _cap_rows([("", 0.0, None, symbols)], (0, tile.height))
    top_row, base_row = int(top), int(baseline) + 1
    cap = max(baseline - top, 1.0)
    fill = tuple(int(v) for v in ImageStat.Stat(tile).median)
    out = []
    for j, letter in enumerate(letters):
        base = strip_marks(letter)
        if base not in VOWELS:
            out.append(letter)
            continue
        own = symbols[j][1]
        clean = tile.copy()
        draw = ImageDraw.Draw(clean)
        for k, (_ch, box) in enumerate(symbols):
            if k == j:
                continue
            if box[1] < top_row:
                draw.rectangle((box[0], box[1], box[2], top_row - 1), fill=fill)
            if box[3] > base_row:
                draw.rectangle((box[0], base_row, box[2], box[3]), fill=fill)
        clean.paste(tile.crop(own), own[:2])
        left = max(0, round(own[0] - cap * GLYPH_MARGIN))
        right = min(tile.width, round(own[2] + cap * GLYPH_MARGIN))
        crop = ImageOps.expand(
            clean.crop((left, 0, right, tile.height)), round(cap * 0.4), fill=fill
        )
        seen = {ch.lower() for ch in engine.read_char(crop) if strip_marks(ch) == base}
        if len(seen) == 1:
            read = seen.pop()
            out.append(read.upper() if letter.isupper() else read)
        else:
            out.append(letter)
    return nfc("".join(out))


def prepared(tile: Image.Image, look: str, cap_px: float) -> Image.Image:
    """The tile as a reader sees it: in colour as printed, or black ink on white with a margin
    ("ink"), its strokes thickened by a few percent of the cap height ("thick")."""
    if look == "colour":
        return tile
    from PIL import ImageFilter, ImageOps

    ink = _ink_mask(tile.convert("L"))
    if look == "thick":
        ink = ink.filter(ImageFilter.MaxFilter(max(3, round(cap_px * 0.08) | 1)))
    return ImageOps.expand(ImageOps.invert(ink), border=round(cap_px * 0.5), fill=255)


def dots_below(tile: Image.Image, span: tuple[float, float]) -> int | None:
    """How many marks sit under the baseline between columns `span` of a one-line tile: the
    dots below (dấu nặng) of a word in capitals. None where the letters cannot tell."""
    ink = _ink_mask(tile.convert("L"))
    width, height = ink.size
    pixels = ink.load()
    rows = [sum(1 for x in range(width) if pixels[x, y]) for y in range(height)]
    peak = max(rows, default=0)
    if peak == 0:
        return None
    body = [y for y, count in enumerate(rows) if count >= 0.3 * peak]
    top, baseline = body[0], body[-1]
    cap = baseline - top
    if cap < 10:
        return None
    first, last = round(baseline + 0.1 * cap), min(height - 1, round(baseline + 0.45 * cap))
    x0, x1 = max(0, round(span[0])), min(width, round(span[1]))
    columns = [any(pixels[x, y] for y in range(first, last + 1)) for x in range(x0, x1)]
    runs, run = [], 0
    for filled in [*columns, False]:
        if filled:
            run += 1
        elif run:
            runs.append(run)
            run = 0
    return sum(1 for r in runs if r >= 0.06 * cap)


def _ink_mask(gray: Image.Image) -> Image.Image:
    """Ink white on black: Otsu's threshold, the background being the colour of the border."""
    histogram = gray.histogram()
    total = sum(histogram)
    weighted = sum(i * h for i, h in enumerate(histogram))
    best, threshold, seen, seen_weight = -1.0, 128, 0, 0
    for level in range(256):
        seen += histogram[level]
        seen_weight += level * histogram[level]
        if seen == 0 or seen == total:
            continue
        mean_low = seen_weight / seen
        mean_high = (weighted - seen_weight) / (total - seen)
        between = seen * (total - seen) * (mean_low - mean_high) ** 2
        if between > best:
            best, threshold = between, level
    border = [
        gray.crop(box).histogram()
        for box in ((0, 0, gray.width, 1), (0, gray.height - 1, gray.width, gray.height))
    ]
    light = sum(sum(h[threshold + 1 :]) for h in border)
    light_background = light * 2 > sum(sum(h) for h in border)
    if light_background:
        return gray.point(lambda v: 255 if v <= threshold else 0)
    return gray.point(lambda v: 255 if v > threshold else 0)


def _round(box) -> tuple[float, float, float, float]:
    return tuple(round(max(0.0, v), 5) for v in box)  # type: ignore[return-value]


def fit_long_side(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """The size scaled (never up) so that its long side is at most `long_side`."""
    scale = min(1.0, long_side / max(size))
    return max(1, math.floor(size[0] * scale + 0.5)), max(1, math.floor(size[1] * scale + 0.5))
