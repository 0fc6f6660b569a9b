"""Assemble docs/benchmarks.md from the sections each benchmark writes under docs/benchmarks/.

Run after the benchmarks: ``.venv/bin/python bench/assemble.py``. Each bench script writes its own
``docs/benchmarks/<area>.md`` with the machine, the date and the figures it measured.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["mse", "bayes", "htcds", "cases", "glotip", "glotip_web", "programmes"]


def main() -> None:
    sections = {p.stem: p for p in sorted((ROOT / "docs" / "benchmarks").glob("*.md"))}
    names = [n for n in ORDER if n in sections] + sorted(set(sections) - set(ORDER))
    parts = [
        "# Benchmarks\n",
        "Speed and memory targets are checked by the scripts in `bench/`, never by timed tests. "
        "Each section below was written by its script on the machine it names (2 cores, 24 GB), "
        "with the date of the run; rerun a script to refresh its section, then this file with "
        "`.venv/bin/python bench/assemble.py`.\n",
        "The load benchmark (gunicorn on PostgreSQL under 50 clients, `bench/bench_load.py`) is "
        '[docs/benchmarks/load.md](benchmarks/load.md) (its section "Load" below).\n',
    ]
    for name in names:
        parts.append(sections[name].read_text(encoding="utf-8").strip() + "\n")
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"docs/benchmarks.md: {len(names)} sections ({', '.join(names)})")


if __name__ == "__main__":
    main()
