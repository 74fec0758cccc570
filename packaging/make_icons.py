"""Renders the app icon SVG to PNGs at the usual sizes and writes the .ico and .icns files."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "irae_desktop" / "resources" / "icons"
SVG_NAME = "irae-desktop.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Windows shows 16..256; macOS wants 16..512 (Pillow builds the retina variants from the 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(icon_dir: Path, size: int) -> Path:
    return icon_dir / f"irae-desktop-{size}.png"


def render_pngs(svg: Path, icon_dir: Path, sizes: tuple[int, ...] = PNG_SIZES) -> list[Path]:
    """Draws the SVG at each size with Qt's SVG renderer, antialiased, on a transparent ground."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read the icon source {svg}")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        target = png_path(icon_dir, size)
        if not image.save(str(target)):  # the .png suffix picks the format
            raise SystemExit(f"cannot write {target}")
        written.append(target)
    return written


def write_ico_icns(icon_dir: Path) -> list[Path]:
    """The Windows .ico and macOS .icns, built by Pillow from the largest PNG."""
    from PIL import Image

    with Image.open(png_path(icon_dir, 512)) as big:
        rgba = big.convert("RGBA")
        ico = icon_dir / "irae-desktop.ico"
        rgba.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
        icns = icon_dir / "irae-desktop.icns"
        rgba.save(icns, format="ICNS")
    return [ico, icns]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ICON_DIR, help="folder for the icon files")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    files = render_pngs(ICON_DIR / SVG_NAME, args.out)
    files += write_ico_icns(args.out)
    for path in files:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
