"""Banners rendered by the OCR benchmark itself (never used by the tests): fonts with Vietnamese
coverage, sizes, colours and backgrounds, one to three lines, the campaign's slogans and others,
half of them with one injected error."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from registry.textcheck.vietnamese import TONES, place_tone, split_tone, strip_marks

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/noto")
FONTS = (
    "DejaVuSans-Bold.ttf",
    "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSerif-Bold.ttf",
    "NotoSans-Bold.ttf",
    "NotoSans-Regular.ttf",
    "NotoSerif-Bold.ttf",
    "NotoSansDisplay-Bold.ttf",
    "NotoSerifDisplay-Bold.ttf",
)
CAMPAIGN = [
    "Đảng Cộng sản Việt Nam quang vinh muôn năm!",
    "Nước Cộng hòa xã hội chủ nghĩa Việt Nam muôn năm!",
    "Một An Giang - Một tầm nhìn - Một ý chí - Một niềm tin thắng lợi",
    "Đoàn kết - Dân chủ - Kỷ cương - Đột phá - Phát triển",
]
OTHERS = [
    "Nhiệt liệt chào mừng kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam",
    "Toàn dân tham gia bảo vệ môi trường xanh sạch đẹp",
    "Xây dựng nông thôn mới văn minh hiện đại",
    "Phòng chống dịch bệnh vì sức khỏe cộng đồng",
    "Tăng cường khối đại đoàn kết toàn dân tộc",
    "Sống và làm việc theo Hiến pháp và pháp luật",
    "An toàn giao thông là hạnh phúc của mọi nhà",
    "Học tập và làm theo tư tưởng đạo đức phong cách Hồ Chí Minh",
    "Chính quyền địa phương hai cấp gần dân sát dân vì dân",
    "Mừng Đảng mừng Xuân mừng đất nước đổi mới",
    "Thi đua lập thành tích chào mừng Đại hội Đảng bộ các cấp",
    "Người dân là trung tâm của chuyển đổi số",
]
SLOGANS = CAMPAIGN + OTHERS
PALETTES = [  # background, text
    ((200, 16, 30), (255, 221, 0)),
    ((200, 16, 30), (255, 255, 255)),
    ((255, 255, 255), (200, 16, 30)),
    ((255, 236, 170), (180, 0, 0)),
    ((0, 70, 150), (255, 255, 255)),
    ((10, 100, 50), (255, 240, 200)),
    ((250, 250, 245), (20, 20, 20)),
]
MARK_SWAPS = {"â": "a", "ă": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u", "đ": "d"}
MARK_SWAPS |= {"a": "â", "e": "ê", "o": "ơ", "u": "ư", "d": "đ"}


@dataclass
class Banner:
    name: str
    slogan: str  # the approved text
    printed: str  # what the banner says
    error: dict | None  # {"kind", "expected", "printed"} or None
    font: str
    palette: int
    lines: int
    upper: bool


def font_path(name: str) -> str:
    for folder in FONT_DIRS:
        path = Path(folder, name)
        if path.exists():
            return str(path)
    raise FileNotFoundError(f"{name} (apt-get install fonts-dejavu-core fonts-noto-core)")


def _letters(word: str) -> str:
    return "".join(ch for ch in word if ch.isalpha())


def inject(slogan: str, rnd: random.Random) -> tuple[str, dict] | None:
    """One error: a tone mark changed, dropped or added, a letter's diacritic changed, two
    words swapped or one dropped. Returns the printed text and what was changed."""
    words = slogan.split()
    candidates = [i for i, w in enumerate(words) if len(_letters(w)) >= 2]
    kind = rnd.choice(["tone", "tone", "tone", "mark", "mark", "swap", "drop"])
    i = rnd.choice(candidates)
    word = words[i]
    if kind == "tone":
        base, tone = split_tone(word)
        choices = [t for t in [*TONES, None] if t != tone]
        new = place_tone(word, rnd.choice(choices))
        if new == word or strip_marks(new) != strip_marks(word):
            return None
    elif kind == "mark":
        base, tone = split_tone(word)
        spots = [k for k, ch in enumerate(base.lower()) if ch in MARK_SWAPS]
        if not spots:
            return None
        k = rnd.choice(spots)
        swapped = MARK_SWAPS[base.lower()[k]]
        swapped = swapped.upper() if base[k].isupper() else swapped
        new = place_tone(base[:k] + swapped + base[k + 1 :], tone)
        if new == word:
            return None
    elif kind == "swap":
        j = i + 1 if i + 1 < len(words) and len(_letters(words[i + 1])) >= 2 else i - 1
        if j < 0 or strip_marks(words[j]) == strip_marks(word):
            return None
        words[i], words[j] = words[j], words[i]
        return " ".join(words), {"kind": kind, "expected": word, "printed": words[i]}
    else:
        del words[i]
        return " ".join(words), {"kind": kind, "expected": word, "printed": None}
    words[i] = new
    return " ".join(words), {"kind": kind, "expected": word, "printed": new}


def _split_lines(text: str, count: int) -> list[str]:
    words = text.split()
    count = min(count, len(words))
    total = sum(len(w) + 1 for w in words)
    lines, current, size = [], [], 0
    for w in words:
        if current and size + len(w) > total / count * (len(lines) + 1) and len(lines) < count - 1:
            lines.append(" ".join(current))
            current = []
        current.append(w)
        size += len(w) + 1
    lines.append(" ".join(current))
    return lines


def render(banner: Banner, width: int, rnd: random.Random) -> Image.Image:
    """Draw the banner: centred lines on a plain, graded or textured background."""
    text = banner.printed.upper() if banner.upper else banner.printed
    lines = _split_lines(unicodedata.normalize("NFC", text), banner.lines)
    background, ink = PALETTES[banner.palette]
    height = int(width / rnd.choice([3.0, 4.0, 5.0]))
    im = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(im)
    if rnd.random() < 0.4:  # a soft vertical gradient
        for y in range(height):
            t = y / height * 0.25
            draw.line(
                [(0, y), (width, y)], fill=tuple(int(c * (1 - t) + 255 * t) for c in background)
            )
    # The largest size at which every line fits in 90 % of the width and the block in 80 %.
    size = int(height * 0.8 / len(lines) / 1.35)
    while size > 8:
        font = ImageFont.truetype(font_path(banner.font), size)
        widths = [draw.textlength(line, font=font) for line in lines]
        if max(widths) <= width * 0.9:
            break
        size = int(size * 0.93)
    step = size * 1.35
    top = (height - step * len(lines)) / 2 + size * 0.2
    for n, line in enumerate(lines):
        draw.text(
            ((width - draw.textlength(line, font=font)) / 2, top + n * step),
            line,
            font=font,
            fill=ink,
        )
    if rnd.random() < 0.3:
        im = im.filter(ImageFilter.GaussianBlur(0.8))
    return im


def banners(count: int, seed: int) -> list[Banner]:
    """`count` banners, every other one with an injected error."""
    rnd = random.Random(seed)
    out: list[Banner] = []
    while len(out) < count:
        slogan = rnd.choice(SLOGANS)
        error = None
        printed = slogan
        if len(out) % 2:
            injected = inject(slogan, rnd)
            if injected is None:
                continue
            printed, error = injected
        out.append(
            Banner(
                name=f"banner-{len(out):03d}",
                slogan=slogan,
                printed=printed,
                error=error,
                font=rnd.choice(FONTS),
                palette=rnd.randrange(len(PALETTES)),
                lines=rnd.choice([1, 1, 2, 2, 3]),
                upper=rnd.random() < 0.8,
            )
        )
    return out
