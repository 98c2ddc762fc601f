# deadyet — see README.md. Every target a person or the workflows run.
GO        ?= go
CONFIG    ?= site.toml
NEWS      ?= news
OUT       ?= public
HISTORY   ?= data
VANTAGE   ?= local
RESULTS   ?=
ADDR      ?= 127.0.0.1:8080
DEADYET   := bin/deadyet

.PHONY: all build demo site probe preview check test test-deps test-browser bench fuzz lint serve clean

all: build

build:
	$(GO) build -o $(DEADYET) ./cmd/deadyet

# A simulated fleet on loopback → probe → site in ./demo-site. Safe anywhere.
demo: build
	$(DEADYET) demo --out demo-site

# The real thing (GitHub workflow): probe site.toml, or merge RESULTS, update
# the history in HISTORY and render the site into OUT.
site: build
	$(DEADYET) build --config $(CONFIG) --history $(HISTORY) --news $(NEWS) --out $(OUT) $(foreach r,$(wildcard $(RESULTS)),--results $(r))

# One vantage point's probe (GitHub workflow matrix).
probe: build
	$(DEADYET) probe --config $(CONFIG) --vantage $(VANTAGE) --out results/$(VANTAGE).json

# The site rendered from a fixed results file, no probing (pull-request preview).
preview: build
	$(DEADYET) render --config $(CONFIG) --results testdata/preview-results.json --news $(NEWS) --out $(OUT)

check: build
	$(DEADYET) check --config $(CONFIG) --news $(NEWS)

# Unit and script tests (and the site-write kill test at its full count:
# under -race it kills only a few), then the page in headless Chromium and the Nu HTML
# Checker. test-deps comes first: it installs chromium, Java and vnu-jar if
# they are missing (see README "Development"). go generate first copies
# site.toml to cmd/deadyet/shipped-site.toml, the demo's built-in copy, so
# that a pull request that edits site.toml on GitHub passes; plain go test
# fails while the copy is stale.
test: test-deps
	$(GO) generate ./cmd/deadyet
	$(GO) vet ./...
	$(GO) test -race ./...
	$(GO) test -count=1 -v -run '^TestWriteSiteKilled$$' ./render
	$(MAKE) test-browser

# Find chromium, java and vnu.jar; install what is missing when it may (root,
# or sudo without a password), else stop with the command to run.
test-deps:
	@.ci/test-deps

# The fixture pages (plain, with history, hostile input), then the demo's
# site: in headless Chromium at 1280 and 375 px, through the Nu HTML Checker
# (a page of each kind), and a walk of every internal link.
# CHROMIUM and VNU_JAR are expanded with the recipe, after test-deps ran; the
# tests fail (never skip) when they are empty or wrong.
CHROMIUM ?= $(shell .ci/test-deps --chromium)
VNU_JAR  ?= $(shell .ci/test-deps --vnu-jar)
AXE      ?= $(shell .ci/test-deps --axe)
DEMO_TEST := bin/test-demo
test-browser: test-deps
	DEADYET_BROWSER=$(or $(CHROMIUM),1) DEADYET_AXE=$(AXE) DEADYET_VNU="java -jar $(or $(VNU_JAR),no-vnu.jar)" $(GO) test -count=1 -run 'Browser|HTMLValid' ./render
	rm -rf $(DEMO_TEST)
	$(GO) run ./cmd/deadyet demo --out $(DEMO_TEST)/site --timeout 500ms --base 127.0.7.1 >/dev/null
	DEADYET_BROWSER=$(or $(CHROMIUM),1) DEADYET_AXE=$(AXE) DEADYET_BROWSER_SITE=$(CURDIR)/$(DEMO_TEST)/site DEADYET_SCREENSHOTS=$(CURDIR)/$(DEMO_TEST)/screenshots \
		$(GO) test -count=1 -run Browser ./render
	java -jar $(or $(VNU_JAR),no-vnu.jar) --errors-only $(DEMO_TEST)/site/index.html $(DEMO_TEST)/site/404.html $(DEMO_TEST)/site/archive/index.html \
		"$$(ls $(DEMO_TEST)/site/server/*/*/index.html | head -n 1)" "$$(ls $(DEMO_TEST)/site/day/*/index.html | tail -n 1)"
	DEADYET_LINKCHECK_SITE=$(CURDIR)/$(DEMO_TEST)/site $(GO) test -count=1 -run LinksOfSite ./render

# The figures of README's performance table, each printed beside its goal
# (never part of make test; under two minutes): the probe at 100 and 1,000
# simulated servers and site.toml's [probe] against 200 silent ones, the
# check of a 10,000-server site.toml, the ten-year site of 100 servers whose
# cells change about once a year.
bench:
	$(GO) test -run '^$$' -bench Run -benchtime 5x ./probe/
	$(GO) test -run '^$$' -bench ShippedSilent -benchtime 1x ./probe/
	$(GO) test -run '^$$' -bench '^BenchmarkLoadConfig$$' -benchtime 3x ./cmd/internal/config/
	$(GO) test -run '^$$' -bench '^BenchmarkSiteTenYears/yearly$$' -benchtime 3x ./render/

# Fuzz the MSNP reply parser and the gateway check for a while (make test
# runs their seed corpora).
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseReply -fuzztime 60s ./probe/
	$(GO) test -run '^$$' -fuzz FuzzGateway -fuzztime 60s ./probe/
	$(GO) test -run '^$$' -fuzz FuzzVisibleText -fuzztime 60s ./probe/
	$(GO) test -run '^$$' -fuzz FuzzLines -fuzztime 60s ./cmd/internal/config/

lint:
	$(GO) mod tidy -diff
	test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
	$(GO) run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

serve: build
	$(DEADYET) serve --dir $(OUT) --addr $(ADDR)

clean:
	rm -rf bin demo-site demo-site-history public results .public.lock .demo-site.lock
