"""The bundled CJK font is registered with Qt at start-up, so names in Chinese, Japanese and
Korean draw on a machine without a CJK font of its own."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from irae_desktop.ui import app as app_module
from irae_desktop.ui.app import CJK_FAMILY_PROPERTY, make_application, register_bundled_fonts

# the family name inside the bundled WenQuanYiMicroHei.ttf
FAMILY = "WenQuanYi Micro Hei"
NAMES = ("张伟", "山田太郎", "김민준")


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
