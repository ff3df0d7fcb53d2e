# Developer commands. `make demo` (the whole chain on the example scene) and `make test` each
# run the idempotent `make setup` first, so they work as they are on a fresh Debian 12 or 13 machine.

PYTHON ?= /usr/bin/python3
TOOLS := build/tools
# The ruff version pinned in .pre-commit-config.yaml, so `make lint` and pre-commit agree.
RUFF_VERSION := $(shell sed -n 's/.*"ruff==\([0-9.]*\)".*/\1/p' .pre-commit-config.yaml | head -n 1)
RUFF := $(TOOLS)/ruff-$(RUFF_VERSION)/bin/ruff
APT_PACKAGES := qgis python3-qgis qgis-providers python3-rasterio python3-sklearn \
	python3-scipy python3-pytest python3-gdal gdal-bin xvfb xauth python3-venv \
	pyqt5-dev-tools qttools5-dev-tools zip python3-distributed
# Peers of `make bench`, installed by it when missing (Orfeo ToolBox, GDAL's scripts).
BENCH_APT_PACKAGES := otb-bin gdal-bin python3-gdal
export QT_QPA_PLATFORM ?= offscreen
export XDG_RUNTIME_DIR ?= /tmp

.PHONY: setup test test-qgis344 qt6-check demo lint format zip bench i18n i18n-compile docs clean

setup:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else echo "Debian packages: all present"; fi
	@$(PYTHON) -c "import qgis.core, rasterio, sklearn, scipy; print('QGIS', qgis.core.Qgis.QGIS_VERSION)"

test: setup
	$(PYTHON) -m pytest -p no:cacheprovider test

# The same suite on QGIS 3.44 LTR in a Debian 13 chroot (root; built once, then reused).
test-qgis344:
	bash scripts/chroot_test.sh test

# QGIS's PyQt5 -> PyQt6 migration script must propose no change (PyQt6 from PyPI).
qt6-check:
	bash scripts/qt6_check.sh

demo: setup
	$(PYTHON) scripts/demo.py

$(RUFF):
	@test -n "$(RUFF_VERSION)" || { echo "no ruff==X.Y.Z in .pre-commit-config.yaml"; exit 1; }
	python3 -m venv $(TOOLS)/ruff-$(RUFF_VERSION) && \
		$(TOOLS)/ruff-$(RUFF_VERSION)/bin/pip install -q ruff==$(RUFF_VERSION)

lint: $(RUFF)
	$(RUFF) check .
	$(RUFF) format --check .

format: $(RUFF)
	$(RUFF) check --fix .
	$(RUFF) format .

zip: i18n-compile
	$(PYTHON) scripts/make_zip.py

bench:
	@missing=""; for p in $(BENCH_APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing for the benchmarks:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
	$(PYTHON) scripts/bench.py

i18n:
	$(PYTHON) scripts/i18n.py

clean:
	rm -rf build dist

docs:
	$(PYTHON) scripts/make_docs.py

i18n-compile:
	$(PYTHON) scripts/i18n.py --compile-only
