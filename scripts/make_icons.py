"""Draw the app's icons into static/icons/ with the standard library only (zlib and struct, no imaging package).

The mark: two overlapping discs, the two sides of a meeting, on the header's navy. Run it again after changing the
drawing (`python scripts/make_icons.py`); the files it writes are committed, the app only serves them:
icon-192.png, icon-512.png (rounded corners), icon-maskable-512.png (full bleed, the mark inside the safe zone),
apple-touch-icon.png (180 px, full bleed: iOS rounds it itself), favicon.ico (16 and 32 px PNGs in an ICO file)
and icon.svg (the same drawing as vectors).
"""

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
NAVY = (13, 42, 74)
WHITE = (255, 255, 255)
AMBER = (245, 166, 35)
BLEND = (249, 210, 145)  # where the two discs overlap
SAMPLES = 4  # per pixel and axis: edges are anti-aliased from 16 samples


def _shade(x: float, y: float, rounded: bool, scale: float) -> tuple[int, int, int] | None:
    """The colour at (x, y) in a 1×1 square, or None outside a rounded square's corners."""
    if rounded:
        radius = 0.2
        cx = min(max(x, radius), 1 - radius)
        cy = min(max(y, radius), 1 - radius)
        if (x - cx) ** 2 + (y - cy) ** 2 > radius**2:
            return None
    # The mark is drawn around the centre, `scale` times its full size (maskable icons keep it in the safe zone).
    u, v = 0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale
    r2 = 0.22**2
    left = (u - 0.38) ** 2 + (v - 0.5) ** 2 <= r2
    right = (u - 0.62) ** 2 + (v - 0.5) ** 2 <= r2
    if left and right:
        return BLEND
    if left:
        return WHITE
    if right:
        return AMBER
    return NAVY


def draw(size: int, rounded: bool = True, scale: float = 1.0) -> list[bytes]:
    """Rows of RGBA pixels."""
    rows = []
    step = 1 / (size * SAMPLES)
    for py in range(size):
        row = bytearray()
        for px in range(size):
            r = g = b = a = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    colour = _shade((px * SAMPLES + sx + 0.5) * step, (py * SAMPLES + sy + 0.5) * step, rounded, scale)
                    if colour is not None:
                        r, g, b, a = r + colour[0], g + colour[1], b + colour[2], a + 1
            n = SAMPLES * SAMPLES
            row += bytes((r // a, g // a, b // a, 255 * a // n)) if a else bytes(4)
        rows.append(bytes(row))
    return rows


def png(rows: list[bytes]) -> bytes:
    height, width = len(rows), len(rows[0]) // 4

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA
    raw = b"".join(b"\x00" + row for row in rows)  # filter 0 (none) on every row
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file holding PNG images (allowed since Windows Vista, read by every browser)."""
    head = struct.pack("<HHH", 0, 1, len(images))
    offset = len(head) + 16 * len(images)
    entries, data = b"", b""
    for size, image in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset + len(data))
        data += image
    return head + entries + data


SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <rect width="100" height="100" rx="20" fill="#0d2a4a"/>
  <circle cx="38" cy="50" r="22" fill="#ffffff"/>
  <circle cx="62" cy="50" r="22" fill="#f5a623"/>
  <path d="M50 31.56 A22 22 0 0 1 50 68.44 A22 22 0 0 1 50 31.56 Z" fill="#f9d291"/>
</svg>
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon-192.png").write_bytes(png(draw(192)))
    (OUT / "icon-512.png").write_bytes(png(draw(512)))
    (OUT / "icon-maskable-512.png").write_bytes(png(draw(512, rounded=False, scale=0.75)))
    (OUT / "apple-touch-icon.png").write_bytes(png(draw(180, rounded=False, scale=0.85)))
    (OUT / "favicon.ico").write_bytes(ico([(16, png(draw(16))), (32, png(draw(32)))]))
    (OUT / "icon.svg").write_text(SVG, encoding="utf-8")


if __name__ == "__main__":
    main()
