# Chancery. On a fresh Debian or Ubuntu machine:
#   make run    installs what is needed, builds, and opens the app
#   make test   installs what is needed, vets, runs every test, runs the real GUI under Xvfb (the smoke test and the incident walk), and builds and checks the packages
SHELL := /bin/bash
GO     = $(shell .ci/go.sh)
DATA  ?=
BIN   := bin/chancery
OUT   := out
# FyneApp.toml is the one source of the version; the build number comes from the
# environment (BUILD_NUMBER, as CI systems set it), never by rewriting FyneApp.toml.
VERSION := $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' FyneApp.toml)
BUILD_NUMBER ?=
LDFLAGS := -X main.version=$(VERSION)$(if $(BUILD_NUMBER), -X main.build=$(BUILD_NUMBER))
# The build tags `fyne package` adds from FyneApp.toml ([Migrations] fyneDo = true gives
# migrated_fynedo): go build, vet, staticcheck and the tests build what the packages ship.
comma := ,
TAGS := $(shell grep -Eq '^[[:space:]]*fyneDo[[:space:]]*=[[:space:]]*true' FyneApp.toml && echo migrated_fynedo)
CITAGS := ci$(if $(TAGS),$(comma)$(TAGS))

.PHONY: run test deps build vet unit gui-smoke demo clean ldflags tags dist dist-linux dist-windows dist-check

run: deps build
	./$(BIN) $(if $(DATA),--data $(DATA))

deps:
	@.ci/deps.sh

build: deps
	$(GO) build -tags "$(TAGS)" -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/chancery

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet -tags "$(TAGS)" ./...
	CGO_ENABLED=0 $(GO) vet -tags $(CITAGS) ./...
	$(GO) tool staticcheck -tags "$(TAGS)" ./...
	CGO_ENABLED=0 $(GO) tool staticcheck -tags $(CITAGS) ./...
	GO="$(GO)" TAGS="$(CITAGS)" .ci/graph.sh

# The race detector on the packages that run goroutines; cmd/chancery's tests mostly run
# the binary as child processes (killing it many times), where it would only slow them down.
unit:
	$(GO) test -race -tags "$(TAGS)" -timeout 30m $$($(GO) list ./... | grep -v /cmd/)
	$(GO) test -tags "$(TAGS)" -timeout 30m ./cmd/...

gui-smoke: build
	.ci/smoke-gui.sh $(BIN) $(OUT)/gui
	GO="$(GO)" timeout 120 .ci/walk-incident.sh $(BIN) $(OUT)/walk

test: deps vet unit gui-smoke dist-check

# Packages (see the README's "For ministry IT"): everything into dist/, from FyneApp.toml,
# with the build number from the environment (BUILD_NUMBER); signed when CHANCERY_SIGN_*
# are set. `make test` runs dist-check.
FYNE := bin/fyne
DIST  = GO=$(GO) FYNE=$(CURDIR)/$(FYNE) .ci/dist.sh

$(FYNE): go.mod go.sum
	CGO_ENABLED=0 $(GO) build -o $(FYNE) fyne.io/tools/cmd/fyne

dist: deps $(FYNE)
	rm -rf dist
	$(DIST) linux windows sums

dist-linux: deps $(FYNE)
	$(DIST) linux sums

dist-windows: deps $(FYNE)
	$(DIST) windows sums

# CI: build every package, install the .deb and run it, check the .exe, test signing.
dist-check: dist
	GO=$(GO) .ci/check-dist.sh
	.ci/test-sign.sh dist/*-windows-amd64.exe dist/*-windows-amd64.msi

demo: build
	./$(BIN) $(if $(DATA),--data $(DATA)) demo

# The flags that set the version, for scripts and tests that build the binary themselves.
ldflags:
	@echo '$(LDFLAGS)'

# The build tags, for the same scripts and tests.
tags:
	@echo '$(TAGS)'

clean:
	rm -rf bin $(OUT) dist
