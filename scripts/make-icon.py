#!/usr/bin/env python3
"""Draws the app icon source (1024x1024 PNG, standard library only): a boundary marker
(界碑) in white on a deep green rounded square, with a red band. `npx tauri icon` turns it
into the sizes tauri.conf.json's bundle.icon names."""
import struct
import sys
import zlib

SIZE = 1024
SS = 3  # supersampling per axis for smooth edges

GREEN = (22, 101, 66)
WHITE = (250, 250, 245)
RED = (200, 40, 40)


def inside_rounded_square(x, y, margin=40, radius=200):
    lo, hi = margin, SIZE - margin
    if not (lo <= x <= hi and lo <= y <= hi):
        return False
    cx = min(max(x, lo + radius), hi - radius)
    cy = min(max(y, lo + radius), hi - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def inside_marker(x, y):
    # A stele: a column with a pointed top standing on a base.
    left, right, top, bottom = 382, 642, 300, 800
    if left <= x <= right and top <= y <= bottom:
        return True
    apex_y, mid = 190, (left + right) / 2
    if apex_y <= y < top:
        half = (y - apex_y) / (top - apex_y) * (right - left) / 2
        return abs(x - mid) <= half
    return 300 <= x <= 724 and 800 <= y <= 860


def inside_band(x, y):
    return 382 <= x <= 642 and 420 <= y <= 500


def colour_at(x, y):
    if not inside_rounded_square(x, y):
        return None
    if inside_band(x, y):
        return RED
    if inside_marker(x, y):
        return WHITE
    return GREEN


def render():
    rows = []
    for py in range(SIZE):
        row = bytearray([0])  # filter: none
        for px in range(SIZE):
            r = g = b = a = 0
            for sy in range(SS):
                for sx in range(SS):
                    c = colour_at(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    if c is not None:
                        r += c[0]
                        g += c[1]
                        b += c[2]
                        a += 1
            n = SS * SS
            if a:
                row += bytes((r // a, g // a, b // a, 255 * a // n))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return b"".join(rows)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def main(path):
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    png += chunk(b"IDAT", zlib.compress(render(), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as out:
        out.write(png)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "app-icon.png")
