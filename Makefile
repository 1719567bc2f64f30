# One-command set-up: the virtual environment is created on first use and
# re-installed whenever pyproject.toml changes (the stamp files track that).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test lint typecheck pytest clean test-under-load check-display-libs

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

# Qt's X11 platform needs these X11 libraries (libxcb-cursor0 since Qt 6.5), which
# many Linux desktops lack in part; without them the window never opens. Say which,
# with the one command that installs them. Skipped where there is no X11 window to open
# (offscreen, Wayland) and off Linux. Each entry: the library's file, its Debian package.
XCB_LIBS := libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 \
	libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-image.so.0:libxcb-image0 \
	libxcb-render-util.so.0:libxcb-render-util0 libxkbcommon-x11.so.0:libxkbcommon-x11-0
check-display-libs:
	@if [ "$$(uname -s)" = Linux ] && [ "$${QT_QPA_PLATFORM:-xcb}" = xcb ]; then \
	  missing=""; \
	  for entry in $(XCB_LIBS); do \
	    ldconfig -p 2>/dev/null | grep -qF "$${entry%%:*}" || missing="$$missing $${entry##*:}"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    echo "The app's window needs X11 libraries that are not installed:$$missing."; \
	    echo "Install them with:  sudo apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi

run: $(VENV)/.installed check-display-libs
	$(PY) -m app

test: $(VENV)/.installed-test lint typecheck pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# The whole suite with every core kept busy by another process (docs/testing.md): a test
# that depends on the machine's speed fails here first.
test-under-load: $(VENV)/.installed-test
	$(PY) -m tests.busy_cores & busy=$$!; \
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest; status=$$?; \
	kill $$busy; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build

# Renders every screen to docs/screenshots/*.png from a demo file in a temporary folder,
# on a 1366x768 screen, then the key windows at 125% scaling to docs/screenshots/1093x614/.
.PHONY: screenshots
screenshots: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.screenshots
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.screenshots --small

# Builds the bundle with PyInstaller (build/bundle-cache, reused while its inputs are the
# same), runs its --self-test offline, prints its size, then compiles the Windows setup
# with the real Inno Setup compiler under Wine into build/setup-cache (installer/build.py,
# installer/inno.py). inno-tools installs Wine, Xvfb and the compiler where missing
# (apt-get, which needs root or sudo, and npm).
.PHONY: installer inno-tools
installer: $(VENV)/.installed-test inno-tools
	$(PY) installer/build.py --reuse --installer

inno-tools:
	installer/inno_tools.sh

# Benchmarks against baselines measured in the same run (bench/run.py).
.PHONY: bench
bench: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run
