#!/usr/bin/env bash
# The browser tests (test/browser) drive a real Chromium with playwright-core, which never downloads a browser of
# its own. This makes sure one is there, with a Chinese font so the pages' words (and the screenshots the tests
# keep) are characters rather than empty boxes: it installs Debian's `chromium` and `fonts-wqy-microhei` when they are
# missing and apt-get is usable (root, or passwordless sudo), and otherwise says exactly what to do. The browser
# tests are part of the suite: there is no switch to skip them.
set -euo pipefail
BROWSER="${CHROMIUM_PATH:-/usr/bin/chromium}"
# Small (a 1.6 MB download) and complete for Simplified Chinese; fonts-noto-cjk is prettier but a 57 MB download.
FONT_PACKAGE=fonts-wqy-microhei

chromium_version() {
  # Debian's wrapper script prints a harmless shell warning on stderr; only the version line matters.
  "$BROWSER" --version 2>/dev/null | grep -Eo '[0-9]+(\.[0-9]+){1,3}' | head -n 1 || true
}
has_browser() { [ -x "$BROWSER" ] && [ -n "$(chromium_version)" ]; }
has_chinese_font() {
  if command -v fc-list >/dev/null 2>&1; then [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]; else dpkg -s "$FONT_PACKAGE" >/dev/null 2>&1; fi
}

if has_browser && has_chinese_font; then
  exit 0
fi

if ! has_browser && [ -n "${CHROMIUM_PATH:-}" ]; then
  cat >&2 <<MSG

✖ CHROMIUM_PATH is set to '$CHROMIUM_PATH', but that is not a Chromium that answers \`--version\`.
  Point CHROMIUM_PATH at a working Chromium or Chrome, or unset it to use (and install) /usr/bin/chromium.

MSG
  exit 1
fi

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi

MISSING=()
has_browser || MISSING+=(chromium)
has_chinese_font || MISSING+=("$FONT_PACKAGE")

if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; }; then
  echo "The browser tests need ${MISSING[*]}; installing with apt-get (one time)…"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when apt does not know a package yet (a fresh container has empty lists).
  for package in "${MISSING[@]}"; do
    if ! apt-cache show "$package" >/dev/null 2>&1; then $SUDO apt-get update -qq; break; fi
  done
  if ! $SUDO apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null; then
    # Lists that are there but stale name package versions the mirror no longer has: refresh them once and retry.
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null || true
  fi
  if has_browser && has_chinese_font; then
    echo "Chromium $(chromium_version) and a Chinese font are installed."
    exit 0
  fi
fi

if has_browser; then
  # Only the font is missing: the tests still read the pages' words, but what they show and save has empty boxes.
  cat >&2 <<MSG
⚠ No Chinese font: the browser tests will run, but their screenshots (test/artifacts/screenshots) will show empty
  boxes for Chinese. On Debian or Ubuntu:  sudo apt-get install -y $FONT_PACKAGE
MSG
  exit 0
fi

cat >&2 <<MSG

✖ The browser tests (test/browser) need Chromium at $BROWSER, and this machine has none (and apt-get could not
  install it here).
  On Debian or Ubuntu:  sudo apt-get install -y --no-install-recommends chromium $FONT_PACKAGE
  Elsewhere: install Chromium or Google Chrome and point the tests at it:  CHROMIUM_PATH=/path/to/chrome npm test
  (playwright-core drives that browser; \`npx playwright install\` is not used. The browser tests are part of the
  suite and cannot be skipped.)

MSG
exit 1
