#!/bin/sh
# Install the Policy Tracker bundle from this folder (the unpacked Linux archive made by
# `packaging/build.py --installer`) so that it appears in the desktop's application menu.
#
#   ./install.sh                 # for you: ~/.local (no root needed)
#   sudo ./install.sh /opt/policy-tracker-prefix   # or any PREFIX; as root the default is /usr/local
#   ./install.sh --uninstall [PREFIX]
#
# Puts the bundle in PREFIX/lib/policy-tracker, a link in PREFIX/bin, the desktop entry,
# AppStream metadata and icons under PREFIX/share. Uninstalling keeps the user's data.
set -eu
APP_ID=eu.policytracker.PolicyTracker
HERE=$(cd "$(dirname "$0")" && pwd)
uninstall=0
if [ "${1:-}" = "--uninstall" ]; then uninstall=1; shift; fi
if [ "$(id -u)" = 0 ]; then default=/usr/local; else default="$HOME/.local"; fi
PREFIX=${1:-$default}

icons="$PREFIX/share/icons/hicolor"
rm -rf "$PREFIX/lib/policy-tracker"
rm -f "$PREFIX/bin/policy-tracker" "$PREFIX/share/applications/$APP_ID.desktop" \
      "$PREFIX/share/metainfo/$APP_ID.metainfo.xml"
find "$icons" -name "$APP_ID.*" -path '*/apps/*' -exec rm -f {} + 2>/dev/null || true

if [ "$uninstall" = 0 ]; then
  mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/metainfo" "$icons"
  cp -R "$HERE/policy-tracker" "$PREFIX/lib/policy-tracker"
  ln -s "$PREFIX/lib/policy-tracker/policy-tracker" "$PREFIX/bin/policy-tracker"
  # The menu must find the program even where PREFIX/bin is not on the desktop's PATH.
  sed -e "s|^Exec=policy-tracker|Exec=$PREFIX/bin/policy-tracker|" \
      -e "s|^TryExec=policy-tracker|TryExec=$PREFIX/bin/policy-tracker|" \
      "$HERE/share/applications/$APP_ID.desktop" > "$PREFIX/share/applications/$APP_ID.desktop"
  cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$PREFIX/share/metainfo/"
  cp -R "$HERE/share/icons/hicolor/." "$icons/"
fi

command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$PREFIX/share/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
if [ "$uninstall" = 0 ]; then
  echo "Installed Policy Tracker in $PREFIX (run: $PREFIX/bin/policy-tracker)"
else
  echo "Removed Policy Tracker from $PREFIX (your data is kept)"
fi
