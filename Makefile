# Porchlight: `make run` opens the app, `make test` runs every test. Both set up what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

APT_PACKAGES := build-essential pkg-config file libwebkit2gtk-4.1-dev libsoup-3.0-dev \
	libayatana-appindicator3-dev librsvg2-dev libxdo-dev xvfb xdotool webkit2gtk-driver python3 python3-venv \
	poppler-utils lintian rpm systemd postgresql faketime
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
APP := target/debug/porchlight
# Fuzzes the hub from its OpenAPI document; a Python tool from PyPI, kept in its own venv.
SCHEMATHESIS := target/schemathesis/bin/schemathesis
# The same venv's Python with the icalendar library: an independent reader of the calendars we write.
ICALENDAR := target/schemathesis/icalendar-6.3.1.installed
# Embeds ui/dist in the binary, as `tauri build` does; without it the window loads the Vite dev server.
APP_FEATURES := --features tauri/custom-protocol

.PHONY: run test check lint lint-sources clippy-gate setup system-deps rust-tools ui-deps tauri-driver cargo-deb schemathesis ui \
	app test-rust test-ui test-e2e packages-for-test dist test-dist bench measure demo clean

run: app
	$(APP) $(ARGS)

# One cargo invocation builds and runs every Rust test: the workspace's unit and integration
# tests, the benchmarks once each (criterion's test mode), and the end-to-end tests against the
# app binary it has just built with the UI embedded. One selection of packages and features means
# no crate is compiled twice; its TypeScript bindings (ts-rs) are then type-checked by the UI.
TEST_SELECTION := --workspace $(APP_FEATURES) --lib --bins --tests --bench '*'
# The installers' tests read packages made from the binaries under test, from the debug build
# (not stripped, so lintian's check for that is left to `make test-dist`).
TEST_PACKAGES := target/debug/packages
E2E_ENV := PORCHLIGHT_APP=$(CURDIR)/$(APP) PORCHLIGHT_HUB=$(CURDIR)/target/debug/porchlight-hub \
	SCHEMATHESIS=$(CURDIR)/$(SCHEMATHESIS) PORCHLIGHT_PYTHON=$(CURDIR)/target/schemathesis/bin/python \
	PORCHLIGHT_PACKAGES=$(CURDIR)/$(TEST_PACKAGES) PORCHLIGHT_PACKAGES_PROFILE=debug

# The test build is clippy's pass too: clippy-driver, the compiler `cargo clippy` runs for the
# workspace's own crates, compiles them here with clippy's lints and every warning an error, so
# the dependencies are built once rather than checked by `cargo clippy` and then built again
# (a minute and a half of a clean clone). CLIPPY_ARGS is how `cargo clippy` itself hands
# clippy-driver its arguments (`-D warnings`, joined as clippy-driver splits them). The
# environment takes part in cargo's fingerprints, so every cargo run that shares the test
# build's artifacts passes it.
LINTED_BUILD := RUSTC_WORKSPACE_WRAPPER=$$(rustc --print sysroot)/bin/clippy-driver \
	CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__

# Builds everything first, so the packages are made before any test runs (Tauri's bundler writes
# into the app binary, which must not be running then); the second cargo compiles nothing.
test: setup ui
	$(MAKE) lint-sources clippy-gate
	$(LINTED_BUILD) $(E2E_ENV) cargo test $(TEST_SELECTION) --no-run
	$(MAKE) packages-for-test
	$(LINTED_BUILD) $(E2E_ENV) cargo test $(TEST_SELECTION) --no-fail-fast
	$(MAKE) test-ui
	@if [ "$$PORCHLIGHT_TEST_DIST" = 1 ]; then $(MAKE) test-dist; fi

setup: system-deps rust-tools ui-deps tauri-driver cargo-deb schemathesis $(ICALENDAR)

# The gates open-source Rust and TypeScript projects run, first and cheap: rustfmt, clippy's
# lints as errors (over the same packages and features as the tests), ESLint (with the rule that
# keeps each UI domain to itself) and Prettier. `make test` runs the ones that compile nothing
# and has its test build do clippy's.
lint: lint-sources
	cargo clippy --workspace $(APP_FEATURES) --all-targets -- -D warnings

# Proves the test build still fails on clippy's lints: a crate with one lint clippy only warns
# about must not build with LINTED_BUILD (a second, with nothing to fix).
clippy-gate: rust-tools
	@out=$$($(LINTED_BUILD) cargo build --manifest-path tests/clippy-gate/Cargo.toml \
		--target-dir target/clippy-gate 2>&1); built=$$?; \
	if [ $$built -eq 0 ] || ! grep -q 'needless.return' <<<"$$out"; then \
		echo "$$out"; echo "The test build no longer fails on clippy's lints: see LINTED_BUILD in the Makefile."; \
		exit 1; \
	fi

lint-sources: rust-tools ui-deps ui
	cargo fmt --all --check
	cd ui && npm run lint

# The inner loop on a warm tree, in under two minutes: the gates, core's and the protocol's own
# tests (which also write the TypeScript bindings), and the UI's type check and tests.
check: lint
	cargo test -p porchlight-core -p porchlight-protocol --lib
	$(MAKE) test-ui

rust-tools:
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

system-deps:
	@missing=$$(for pkg in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || echo $$pkg; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system libraries:" $$missing; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

ui-deps: ui/node_modules/.package-lock.json

ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund

schemathesis: $(SCHEMATHESIS)

$(SCHEMATHESIS):
	python3 -m venv target/schemathesis
	target/schemathesis/bin/pip install --quiet --disable-pip-version-check "schemathesis==4.32.5"

$(ICALENDAR): $(SCHEMATHESIS)
	target/schemathesis/bin/pip install --quiet --disable-pip-version-check "icalendar==6.3.1"
	touch $@

tauri-driver:
	@[ -x "$(CARGO_BIN)/tauri-driver" ] || command -v tauri-driver >/dev/null || \
		cargo install tauri-driver --locked --version ^2

# Packages the hub's .deb (the desk's come from Tauri's bundler, an npm package in ui/).
cargo-deb:
	@[ -x "$(CARGO_BIN)/cargo-deb" ] || command -v cargo-deb >/dev/null || \
		cargo install cargo-deb --locked --version 3.8.0

ui: ui-deps
	cd ui && npm run build

app: system-deps ui
	cargo build -p porchlight $(APP_FEATURES)

test-rust:
	$(LINTED_BUILD) $(E2E_ENV) cargo test $(TEST_SELECTION) --no-fail-fast

test-ui:
	cd ui && npm run check
	cd ui && npm test

# Only the end-to-end tests, with the two binaries they run (built with the same packages and
# features as `make test`, so nothing is rebuilt).
E2E_TARGETS := --workspace $(APP_FEATURES) --bin porchlight --bin porchlight-hub --test e2e
test-e2e: setup ui
	$(LINTED_BUILD) $(E2E_ENV) cargo test $(E2E_TARGETS) --no-run
	$(MAKE) packages-for-test
	$(LINTED_BUILD) $(E2E_ENV) cargo test $(E2E_TARGETS)

packages-for-test:
	packaging/bundle debug $(TEST_PACKAGES)

# Installers a center runs: the desk's .deb and .rpm and the hub's .deb, in target/dist.
dist: setup ui
	cargo build --release -p porchlight -p porchlight-hub $(APP_FEATURES)
	packaging/bundle release target/dist

# The installers' tests on the release packages, which lintian also checks are stripped. The
# release build compiles every crate a second time (about 9 minutes), which CI's budget leaves
# out of `make test`; PORCHLIGHT_TEST_DIST=1 adds it.
test-dist: dist
	$(E2E_ENV) PORCHLIGHT_PACKAGES=$(CURDIR)/target/dist PORCHLIGHT_PACKAGES_PROFILE=release \
		$(LINTED_BUILD) cargo test $(E2E_TARGETS) -- installers::

bench:
	cargo bench -p porchlight-core -p porchlight-hub

# The front desk's memory beside an empty Tauri window, and keystroke-to-painted-results, in the
# real window under Xvfb; fails when either is past its target.
measure: setup ui
	$(LINTED_BUILD) $(E2E_ENV) cargo test $(E2E_TARGETS) -- --ignored --nocapture measure_

demo: app
	$(APP) --data-dir $(CURDIR)/target/demo-desk demo || true
	$(APP) --data-dir $(CURDIR)/target/demo-desk

clean:
	cargo clean
	rm -rf ui/node_modules ui/dist tests/artifacts
