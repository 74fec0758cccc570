#!/usr/bin/env bash
# Builds the one-folder application with PyInstaller and, on Linux, a .tar.gz of it.
#
#   packaging/build.sh [--dist DIR] [--work DIR] [--no-archive]
#
# Needs the project installed (pip install -e '.[test]') and PyInstaller (pip install
# 'pyinstaller>=6.5'). The icons are rendered from irae_desktop/resources/icons/irae-desktop.svg when absent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
dist="$repo/dist"
work="$repo/build/pyinstaller"
archive=1

while [ $# -gt 0 ]; do
    case "$1" in
        --dist) dist="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --no-archive) archive=0; shift ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

python=${PYTHON:-python3}
if ! "$python" -c "import PyInstaller" 2>/dev/null; then
    echo "build.sh: PyInstaller is not installed; run: pip install 'pyinstaller>=6.5'" >&2
    exit 2
fi

if [ ! -f "$repo/irae_desktop/resources/icons/irae-desktop-512.png" ] || [ ! -f "$repo/irae_desktop/resources/icons/irae-desktop.ico" ]; then
    QT_QPA_PLATFORM=offscreen "$python" "$here/make_icons.py"
fi

"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$work" "$here/irae-desktop.spec"

app="$dist/irae-desktop"
version="$("$python" -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' "$repo/pyproject.toml")"

if [ "$(uname -s)" = "Linux" ]; then
    # the freedesktop layout, so `cp -r share ~/.local/` installs the menu entry with its icon
    mkdir -p "$app/share/applications" "$app/share/metainfo"
    cp "$here/irae-desktop.desktop" "$app/share/applications/"
    cp "$here/org.irae_desktop.IraeDesktop.metainfo.xml" "$app/share/metainfo/"
    for size in 16 24 32 48 64 128 256 512; do
        mkdir -p "$app/share/icons/hicolor/${size}x${size}/apps"
        cp "$repo/irae_desktop/resources/icons/irae-desktop-$size.png" \
            "$app/share/icons/hicolor/${size}x${size}/apps/irae-desktop.png"
    done
    mkdir -p "$app/share/icons/hicolor/scalable/apps"
    cp "$repo/irae_desktop/resources/icons/irae-desktop.svg" "$app/share/icons/hicolor/scalable/apps/"
    "$app/irae-desktop-cli" --version
    if [ "$archive" = 1 ]; then
        tarball="$dist/irae-desktop-$version-linux-$(uname -m).tar.gz"
        tar -C "$dist" -czf "$tarball" irae-desktop
        echo "built $tarball"
    fi
fi
echo "built $app"
