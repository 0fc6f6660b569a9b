#!/usr/bin/env bash
# The whole test suite, as CI runs it: static checks, then pytest on SQLite, then pytest on PostgreSQL.
# The PostgreSQL pass uses 127.0.0.1:5432 (user postgres, trust auth; override with PGHOST/PGPORT/PGUSER).
# Without a reachable server it is skipped with one line, except under CI=true, where that fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
export PYTHONDONTWRITEBYTECODE=1
py=.venv/bin/python

echo "== ruff"
.venv/bin/ruff check src tests bench
echo "== mypy (strict) on src/"
.venv/bin/mypy
echo "== migrations complete"
DJANGO_SETTINGS_MODULE=vinculo.web.settings.test $py manage.py makemigrations --check --dry-run
echo "== translations compiled"
(cd src/vinculo/web && DJANGO_SETTINGS_MODULE=vinculo.web.settings.test ../../../.venv/bin/django-admin compilemessages >/dev/null)
git diff --quiet -- src/vinculo/web/locale 2>/dev/null || echo "note: compiled catalogues differ from the committed ones"

echo "== pytest on SQLite"
VINCULO_TEST_DATABASE=sqlite $py -m pytest -n 2 -q "$@"

echo "== pytest on PostgreSQL"
if $py - <<'PY'
import os, sys
import psycopg
try:
    psycopg.connect(host=os.environ.get("PGHOST", "127.0.0.1"), port=os.environ.get("PGPORT", "5432"),
                    user=os.environ.get("PGUSER", "postgres"), dbname="postgres", connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
then
  VINCULO_TEST_DATABASE=postgres $py -m pytest -n 2 -q tests/web "$@"
else
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL at ${PGHOST:-127.0.0.1}:${PGPORT:-5432} is not reachable, and CI=true requires the PostgreSQL pass." >&2
    exit 1
  fi
  echo "PostgreSQL pass skipped: no server at ${PGHOST:-127.0.0.1}:${PGPORT:-5432} (it runs in CI)."
fi
