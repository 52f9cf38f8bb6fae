#!/usr/bin/env python3
"""Plot ns/op against live locks, one line per tool, as a plain SVG.

Usage: plot.py DATA OUT.svg
DATA has lines "TOOL LOCKS NS"; NS may be "n/a".  Both axes are log10.
"""
import math
import sys

W, H = 720, 460
L, R, T, B = 80, 150, 40, 60          # margins
COLORS = {"plain": "#1f77b4", "ulockdep": "#d62728", "tsan": "#2ca02c",
          "helgrind": "#9467bd"}


def main():
    series = {}
    for line in open(sys.argv[1]):
        f = line.split()
        if len(f) == 3 and f[2] != "n/a":
            series.setdefault(f[0], []).append((float(f[1]), float(f[2])))
    pts = [p for s in series.values() for p in s]
    if not pts:
        sys.exit("plot.py: no data")
    x0 = math.floor(math.log10(min(x for x, _ in pts)))
    x1 = math.ceil(math.log10(max(x for x, _ in pts)))
    y0 = math.floor(math.log10(min(y for _, y in pts)))
    y1 = math.ceil(math.log10(max(y for _, y in pts)))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)

    def px(x):
        return L + (math.log10(x) - x0) / (x1 - x0) * (W - L - R)

    def py(y):
        return H - B - (math.log10(y) - y0) / (y1 - y0) * (H - T - B)

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15" text-anchor="middle">'
           'ns per lock/unlock vs live lock objects (log-log)</text>'
           % ((L + W - R) // 2)]
    for e in range(x0, x1 + 1):
        x = px(10 ** e)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>'
                   % (x, T, x, H - B))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                   % (x, H - B + 18, "{:,}".format(10 ** e)))
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>'
                   % (L, y, W - R, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>'
                   % (L - 6, y + 4, "{:,}".format(10 ** e)))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
               'stroke="black"/>' % (L, T, W - L - R, H - T - B))
    out.append('<text x="%d" y="%d" text-anchor="middle">live lock objects'
               '</text>' % ((L + W - R) // 2, H - 15))
    out.append('<text transform="translate(20,%d) rotate(-90)" '
               'text-anchor="middle">ns/op</text>' % ((T + H - B) // 2))
    for i, (tool, s) in enumerate(series.items()):
        c = COLORS.get(tool, "#ff7f0e")
        s.sort()
        path = " ".join("%.1f,%.1f" % (px(x), py(y)) for x, y in s)
        out.append('<polyline points="%s" fill="none" stroke="%s" '
                   'stroke-width="2"/>' % (path, c))
        for x, y in s:
            out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>'
                       % (px(x), py(y), c))
        ly = T + 10 + 20 * i
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" '
                   'stroke-width="2"/>' % (W - R + 12, ly, W - R + 36, ly, c))
        out.append('<text x="%d" y="%d">%s</text>' % (W - R + 42, ly + 4, tool))
    out.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


main()
