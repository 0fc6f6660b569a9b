#!/usr/bin/env bash
# Create .venv with Python >= 3.12 and install vinculo with the pinned versions in constraints.txt.
# Re-running is cheap: the install is skipped while pyproject.toml and constraints.txt are unchanged.
# --tests also installs what the test suite needs beyond that: Chromium (Debian's package) for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
for_tests=""
for arg in "$@"; do
  case "$arg" in
    --tests) for_tests=1 ;;
    *) echo "usage: scripts/setup.sh [--tests]" >&2; exit 2 ;;
  esac
done

# System libraries and fonts. WeasyPrint (the PDF reports) needs Pango and HarfBuzz's subsetter; reports in
# Arabic and Chinese need fonts with those scripts. Each entry: a check, then the Debian/Ubuntu package.
system_missing=()
# (Read the cache once: `ldconfig -p | grep -q` fails under pipefail when grep stops reading early.)
library_cache=$(ldconfig -p 2>/dev/null || true)
have_library() { grep -qF "$1" <<<"$library_cache"; }
have_font_for() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list ":lang=$1" family 2>/dev/null)" ]; }
have_library 'libpango-1.0.so.0' || system_missing+=(libpango-1.0-0)
have_library 'libpangoft2-1.0.so.0' || system_missing+=(libpangoft2-1.0-0)
have_library 'libharfbuzz-subset.so.0' || system_missing+=(libharfbuzz-subset0)
command -v fc-list >/dev/null 2>&1 || system_missing+=(fontconfig)
have_font_for en || system_missing+=(fonts-dejavu-core)
have_font_for ar || system_missing+=(fonts-dejavu-core)
have_font_for zh-cn || system_missing+=(fonts-noto-cjk)
# Record linkage at national scale runs splink on Spark (local mode), which needs a Java 17+ runtime.
java_ok() { command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; }
java_ok || system_missing+=(default-jre-headless)
# The browser tests (tests/browser/) drive Debian's Chromium through Playwright; nothing is downloaded at run time.
if [ -n "$for_tests" ]; then
  [ -x /usr/bin/chromium ] || system_missing+=(chromium)
fi
if [ ${#system_missing[@]} -gt 0 ] && [ -z "${VINCULO_SKIP_SYSTEM_PACKAGES:-}" ]; then
  readarray -t system_missing < <(printf '%s\n' "${system_missing[@]}" | sort -u)
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${system_missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${system_missing[@]}" >/dev/null
  else
    echo "vinculo needs these system packages (Debian/Ubuntu names): ${system_missing[*]}" >&2
    echo "Install them, e.g. sudo apt-get install ${system_missing[*]}, and retry." >&2
    echo "(On other systems: Pango, HarfBuzz with its subset library, fonts for Latin, Arabic and Chinese, Java 17+.)" >&2
    echo "Set VINCULO_SKIP_SYSTEM_PACKAGES=1 to go on without them: PDF reports and the Spark engine will then fail." >&2
    exit 1
  fi
fi

find_python() {
  local candidates=("${VINCULO_PYTHON:-}" python3.13 python3.12 python3)
  for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin; do
    [ -d "$dir" ] && candidates+=("$dir/python3")
  done
  for candidate in "${candidates[@]}"; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  python=$(find_python) || {
    echo "vinculo needs Python 3.12 or newer. Install it (or set VINCULO_PYTHON=/path/to/python3.12) and retry." >&2
    exit 1
  }
  echo "Creating .venv with $($python --version)"
  "$python" -m venv .venv
fi

stamp=.venv/.vinculo-installed
wanted=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing vinculo and its dependencies into .venv (pinned by constraints.txt)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
  echo "$wanted" > "$stamp"
fi
