"""The app icon: every size present, square, transparent corners, and the same as its SVG source."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
ICONS = REPO / "irae_desktop" / "resources" / "icons"
sys.path.insert(0, str(REPO / "packaging"))

import make_icons  # noqa: E402

# The renderer needs a Qt application. It takes pytest-qt's QApplication (the `qapp` fixture):
# a bare QGuiApplication made here would outlive this module, and every QWidget created by
# later tests in the same process would abort.


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_png_at_each_size_is_square_with_a_transparent_corner(size: int) -> None:
    with Image.open(make_icons.png_path(ICONS, size)) as image:
        assert image.size == (size, size)
        rgba = image.convert("RGBA")
        corner = rgba.getpixel((0, 0))
        centre = rgba.getpixel((size // 2, size // 2))
        assert isinstance(corner, tuple) and isinstance(centre, tuple)
        assert corner[3] == 0  # rounded tile: the corner shows the desktop
        assert centre[3] == 255


def test_ico_carries_the_windows_sizes() -> None:
    with Image.open(ICONS / "irae-desktop.ico") as ico:
        sizes = ico.info["sizes"]
    assert {(s, s) for s in (16, 32, 48, 256)} <= set(sizes)


def test_icns_opens_with_a_large_image() -> None:
    with Image.open(ICONS / "irae-desktop.icns") as icns:
        assert icns.size[0] >= 256


# How far a fresh rendering may stray from the committed PNG. Another Qt patch release
# anti-aliases an edge a shade differently (a few channel steps on a handful of pixels); an
# edited SVG changes whole shapes or colours, which is hundreds of steps over many pixels.
_MAX_MEAN_STEP = 1.0  # mean absolute difference per RGBA channel, in 0-255 steps
_MAX_PIXEL_STEP = 48  # largest difference of one channel at one pixel


def _difference(first: Image.Image, second: Image.Image) -> tuple[float, int]:
    """(mean, largest) absolute difference over every RGBA channel of every pixel."""
    assert first.size == second.size
    a = first.convert("RGBA").tobytes()
    b = second.convert("RGBA").tobytes()
    steps = [abs(x - y) for x, y in zip(a, b, strict=True)]
    return sum(steps) / len(steps), max(steps)


def test_committed_pngs_are_what_the_svg_renders(tmp_path: Path, qapp: object) -> None:
    # an edited SVG without re-running packaging/make_icons.py would ship stale icons
    sizes = (32, 128)
    make_icons.render_pngs(ICONS / make_icons.SVG_NAME, tmp_path, sizes)
    for size in sizes:
        with (
            Image.open(make_icons.png_path(tmp_path, size)) as fresh,
            Image.open(make_icons.png_path(ICONS, size)) as shipped,
        ):
            assert fresh.size == shipped.size == (size, size)
            mean, largest = _difference(fresh, shipped)
            assert mean <= _MAX_MEAN_STEP and largest <= _MAX_PIXEL_STEP, (size, mean, largest)


def test_the_icon_comparison_sees_an_edited_svg(tmp_path: Path, qapp: object) -> None:
    # the tolerance above must not hide a real change: a recoloured SVG fails it
    svg = (ICONS / make_icons.SVG_NAME).read_text(encoding="utf-8")
    colours = sorted(set(re.findall(r"#[0-9a-fA-F]{6}", svg)))
    assert colours, "the icon source has no colour to change"
    edited = tmp_path / make_icons.SVG_NAME
    edited.write_text(svg.replace(colours[0], "#ff00ff"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    make_icons.render_pngs(edited, out, (128,))
    with (
        Image.open(make_icons.png_path(out, 128)) as fresh,
        Image.open(make_icons.png_path(ICONS, 128)) as shipped,
    ):
        mean, largest = _difference(fresh, shipped)
    assert mean > _MAX_MEAN_STEP or largest > _MAX_PIXEL_STEP


def test_the_icon_comparison_allows_an_anti_aliasing_shade(tmp_path: Path) -> None:
    # a renderer that shades a few edge pixels differently still matches
    with Image.open(make_icons.png_path(ICONS, 128)) as shipped:
        shaded = shipped.convert("RGBA")
    for x in range(10):
        r, g, b, a = shaded.getpixel((40 + x, 64))  # type: ignore[misc]
        shaded.putpixel((40 + x, 64), (min(r + 3, 255), g, max(b - 2, 0), a))
    with Image.open(make_icons.png_path(ICONS, 128)) as shipped:
        mean, largest = _difference(shaded, shipped)
    assert mean <= _MAX_MEAN_STEP and largest <= _MAX_PIXEL_STEP


@pytest.mark.qt_log_ignore("Cannot read file")
def test_unreadable_svg_is_refused_with_a_message(tmp_path: Path, qapp: object) -> None:
    bad = tmp_path / "bad.svg"
    bad.write_text("<svg this is not xml")
    with pytest.raises(SystemExit, match="cannot read the icon source"):
        make_icons.render_pngs(bad, tmp_path, (16,))
    assert not make_icons.png_path(tmp_path, 16).exists()
