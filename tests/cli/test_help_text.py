"""Every command's help reads as written: a per cent sign is printed once, never doubled."""

from __future__ import annotations

import argparse

from irae_desktop.cli.main import build_parser


def test_no_help_text_shows_a_doubled_per_cent_sign() -> None:
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    texts = {"irae-desktop": parser.format_help()}
    texts.update({name: sub.format_help() for name, sub in commands.choices.items()})
    assert len(texts) > 10
    assert [name for name, text in texts.items() if "%%" in text] == []
    assert "50% fall" in texts["outcomes"]
