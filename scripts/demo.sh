#!/usr/bin/env bash
# Set up .venv, create the SQLite database in var/, load demo data and serve at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/vinculo demo "$@"
