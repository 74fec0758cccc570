"""Owner-only file modes, checked where the system has them.

Windows has no POSIX permission bits (os.chmod there only sets or clears the read-only flag); a
file in the user's profile is private through its NTFS access list instead. There a mode check
can only say that the file exists.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

HAS_POSIX_MODES = sys.platform != "win32"


def mode_is(path: Path, expected: int) -> bool:
    if not HAS_POSIX_MODES:
        return path.exists()
    return stat.S_IMODE(path.stat().st_mode) == expected
