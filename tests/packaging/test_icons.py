"""The app icon: every size present, square, transparent corners, and the same as its SVG source."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
ICONS = REPO / "resources" / "icons"
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


def test_committed_pngs_are_what_the_svg_renders(tmp_path: Path, qapp: object) -> None:
    # an edited SVG without re-running packaging/make_icons.py would ship stale icons
    sizes = (32, 128)
    make_icons.render_pngs(ICONS / make_icons.SVG_NAME, tmp_path, sizes)
    for size in sizes:
        with (
            Image.open(make_icons.png_path(tmp_path, size)) as fresh,
            Image.open(make_icons.png_path(ICONS, size)) as shipped,
        ):
            assert fresh.convert("RGBA").tobytes() == shipped.convert("RGBA").tobytes()


@pytest.mark.qt_log_ignore("Cannot read file")
def test_unreadable_svg_is_refused_with_a_message(tmp_path: Path, qapp: object) -> None:
    bad = tmp_path / "bad.svg"
    bad.write_text("<svg this is not xml")
    with pytest.raises(SystemExit, match="cannot read the icon source"):
        make_icons.render_pngs(bad, tmp_path, (16,))
    assert not make_icons.png_path(tmp_path, 16).exists()
