#!/usr/bin/env bash
# Create .venv with Python >= 3.12 and install vinculo with the pinned versions in constraints.txt.
# Re-running is cheap: the install is skipped while pyproject.toml and constraints.txt are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

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
