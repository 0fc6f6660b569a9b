# Quick start: `make demo` serves the platform with demo data; `make test` runs every check CI runs.
.PHONY: demo test setup serve lint

demo:
	scripts/demo.sh

test:
	scripts/test.sh

setup:
	scripts/setup.sh

serve: setup
	.venv/bin/vinculo serve
