"""The bundled CJK font is registered with Qt at start-up, so names in Chinese, Japanese and
Korean draw on a machine without a CJK font of its own."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from irae_desktop.ui import app as app_module
from irae_desktop.ui.app import CJK_FAMILY_PROPERTY, make_application, register_bundled_fonts

# the family name inside the bundled WenQuanYiMicroHei.ttf
FAMILY = "WenQuanYi Micro Hei"
NAMES = ("张伟", "山田太郎", "김민준")
FONT_DIR = Path(__file__).parents[2] / "irae_desktop" / "resources" / "fonts"


def test_start_up_registers_the_bundled_cjk_family(qapp) -> None:  # type: ignore[no-untyped-def]
    app = make_application()
    # the family from the bundled file itself, not only a system copy of the same font
    assert app.property(CJK_FAMILY_PROPERTY) == FAMILY
    assert FAMILY in QFontDatabase.families()


def test_the_registered_family_draws_chinese_japanese_and_korean_names(qapp) -> None:  # type: ignore[no-untyped-def]
    make_application()
    metrics = QFontMetrics(QFont(FAMILY))
    for name in NAMES:
        missing = [c for c in name if not metrics.inFontUcs4(ord(c))]
        assert missing == [], name


def test_a_missing_font_file_is_logged_and_start_up_goes_on(
    qapp,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(app_module, "CJK_FONT_FILE", "NoSuchFont.ttf")
    with caplog.at_level(logging.WARNING, logger="irae_desktop.ui.app"):
        assert register_bundled_fonts() is None
        qapp.setProperty(CJK_FAMILY_PROPERTY, None)
        assert make_application() is qapp
    assert qapp.property(CJK_FAMILY_PROPERTY) == ""
    qapp.setProperty(CJK_FAMILY_PROPERTY, None)
    assert "NoSuchFont.ttf" in caplog.text


# run in a process of its own whose fontconfig sees only DejaVu, as on a machine with no CJK
# font installed: each character is grabbed alone, and boxes for missing glyphs look the same
_DRAW_CHARACTERS = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
from irae_desktop.ui.app import make_application
app = make_application() if sys.argv[1] == "register" else QApplication(sys.argv[:1])
pictures = []
for char in "张伟":
    label = QLabel(char)
    label.resize(40, 30)
    image = label.grab().toImage()
    pictures.append(bytes(image.constBits()))
print("different" if pictures[0] != pictures[1] else "same")
"""


def _draw_alone(tmp_path: Path, mode: str) -> str:
    fonts = tmp_path / "fonts"
    fonts.mkdir(exist_ok=True)
    shutil.copy(FONT_DIR / "DejaVuSans.ttf", fonts)
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{fonts}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _DRAW_CHARACTERS, mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_without_a_system_cjk_font_chinese_draws_in_the_bundled_font(tmp_path: Path) -> None:
    # without the bundled font both characters are the same empty box
    assert _draw_alone(tmp_path, "plain") == "same"
    assert _draw_alone(tmp_path, "register") == "different"
