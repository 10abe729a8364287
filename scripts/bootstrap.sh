#!/usr/bin/env bash
# Set up PMKS Desktop on a fresh Debian/Ubuntu machine, then run it or its tests.
#
#   bash scripts/bootstrap.sh app  [ARGS...]   install what is missing, start the application
#   bash scripts/bootstrap.sh test [ARGS...]   install what is missing, run the whole test suite
#
# Installs the Qt system libraries with apt when running as root and they are missing, makes a
# virtualenv in .venv with the pinned packages (again only when pyproject.toml changed).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-app}"
shift || true
python="${PYTHON:-python3}"
venv=".venv"

# Libraries Qt needs even offscreen, and those a real window (xcb) needs on top.
QT_LIBS="libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
 libx11-6 libgssapi-krb5-2 fonts-dejavu-core"
XCB_LIBS="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0
 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1"

say() { printf '\033[1m[pmks]\033[0m %s\n' "$*" >&2; }

missing_debs() {
  local pkg out=""
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || out="$out $pkg"
  done
  echo "$out"
}

install_system_packages() {
  command -v dpkg-query >/dev/null || return 0
  local wanted="$QT_LIBS"
  [ "$mode" = "app" ] && wanted="$wanted $XCB_LIBS"
  "$python" -c 'import venv, ensurepip' 2>/dev/null || wanted="$wanted python3-venv"
  local missing
  missing=$(missing_debs $wanted)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "Pustaka sistem belum terpasang:$missing"
    say "Pasang dengan: sudo apt-get install -y$missing"
    return 0
  fi
  say "Memasang pustaka sistem:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

check_python() {
  "$python" - <<'PY' || { say "Perlu Python 3.11 atau lebih baru ($python)."; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
}

install_python_packages() {
  local stamp="$venv/.pmks-installed" want
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)-$mode"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  if [ -f "$stamp" ] && grep -qx "$want" "$stamp"; then
    return 0
  fi
  say "Memasang paket Python (sekali saja; berikutnya dilewati)…"
  "$venv/bin/python" -m pip install -q --upgrade pip
  local extras="test"
  "$venv/bin/python" -m pip install -q -e ".[$extras]"
  echo "$want" > "$stamp"
}

check_python
install_system_packages
install_python_packages

case "$mode" in
  app)
    exec "$venv/bin/pmks-desktop" "$@" ;;
  test)
    export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
    exec "$venv/bin/python" -m pytest "$@" ;;
  *)
    say "Pemakaian: bash scripts/bootstrap.sh app|test [argumen...]"; exit 2 ;;
esac
