# Porchlight: `make run` opens the app, `make test` runs every test. Both set up what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

APT_PACKAGES := build-essential pkg-config file libwebkit2gtk-4.1-dev libsoup-3.0-dev \
	libayatana-appindicator3-dev librsvg2-dev libxdo-dev xvfb webkit2gtk-driver python3 python3-venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
APP := target/debug/porchlight
# Fuzzes the hub from its OpenAPI document; a Python tool from PyPI, kept in its own venv.
SCHEMATHESIS := target/schemathesis/bin/schemathesis
# Embeds ui/dist in the binary, as `tauri build` does; without it the window loads the Vite dev server.
APP_FEATURES := --features tauri/custom-protocol

.PHONY: run test setup system-deps ui-deps tauri-driver schemathesis ui app test-rust test-ui test-e2e bench measure demo clean

run: app
	$(APP) $(ARGS)

test: setup ui
	$(MAKE) test-rust test-ui test-e2e

setup: system-deps ui-deps tauri-driver schemathesis

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

tauri-driver:
	@[ -x "$(CARGO_BIN)/tauri-driver" ] || command -v tauri-driver >/dev/null || \
		cargo install tauri-driver --locked --version ^2

ui: ui-deps
	cd ui && npm run build

app: system-deps ui
	cargo build -p porchlight $(APP_FEATURES)

# Rust tests also regenerate the TypeScript bindings (ts-rs) that the UI type-checks against.
test-rust:
	cargo test --workspace --exclude porchlight-e2e
# The benchmarks in criterion's test mode: one short iteration each, so one that no longer
# builds or runs fails here and not months later in `make bench`.
	cargo test --workspace --exclude porchlight-e2e --bench '*'
	cd ui && npm run check

test-ui:
	cd ui && npm test

test-e2e:
	cargo build -p porchlight $(APP_FEATURES)
	cargo build -p porchlight-hub
	PORCHLIGHT_APP=$(CURDIR)/$(APP) PORCHLIGHT_HUB=$(CURDIR)/target/debug/porchlight-hub \
		SCHEMATHESIS=$(CURDIR)/$(SCHEMATHESIS) cargo test -p porchlight-e2e

bench:
	cargo bench -p porchlight-core -p porchlight-hub

# The front desk's memory beside an empty Tauri window, and keystroke-to-painted-results, in the
# real window under Xvfb; fails when either is past its target.
measure: setup ui
	cargo build -p porchlight $(APP_FEATURES)
	PORCHLIGHT_APP=$(CURDIR)/$(APP) cargo test -p porchlight-e2e -- --ignored --nocapture measure_

demo: app
	$(APP) --data-dir $(CURDIR)/target/demo-desk demo || true
	$(APP) --data-dir $(CURDIR)/target/demo-desk

clean:
	cargo clean
	rm -rf ui/node_modules ui/dist tests/artifacts
