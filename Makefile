# greenrt: `make demo` runs the demo experiment end to end; `make test` runs the whole test suite.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.package-lock.json
# onnxruntime-node's install script fetches CUDA files; skip it unless this host has an NVIDIA driver.
export ONNXRUNTIME_NODE_INSTALL ?= $(if $(shell command -v nvidia-smi 2>/dev/null),,skip)
# Image builds trust the host's CA store (or GREENRT_CA_BUNDLE, else the bundle pip is told to trust); not in the tag.
export GREENRT_CA_BUNDLE ?= $(or $(PIP_CERT),$(REQUESTS_CA_BUNDLE))
GREENRT := node bin/greenrt.js

.PHONY: install build demo test test-unit images images-cuda images-repro-check cpu paper-validate bench demo-model clean help gpu-check gpu-bundle

help:
	@echo "make demo    install, then run experiments/demo.yaml (embedded runtime, ~1 min) and print the report path"
	@echo "make test    the whole test suite (unit, Docker, in-image pytest); ends with 'N passed, N failed'"
	@echo "make images  build the CPU runtime images (every catalogue runtime with an image)"
	@echo "make images-cuda  build the CUDA runtime images (no GPU or NVIDIA registry needed) and check each"
	@echo "make images-repro-check  build each CPU image twice from nothing: equal config digests, else the paths that differ"
	@echo "make cpu     run experiments/cpu.yaml through Docker (five runtimes x three models)"
	@echo "make bench   overhead benchmarks -> bench/results/latest.json"
	@echo "make demo-model  re-export the committed demo model (needs Docker)"
	@echo "make gpu-check   GPU acceptance check on this host (greenrt doctor --measure); exit 3 naming what is missing"
	@echo "make gpu-bundle  portable bundle for GPU hosts without Node or network -> dist/gpu-bundle/ (<= 64 MiB)"

$(NODE_MODULES_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

dist/cli/main.js: $(NODE_MODULES_STAMP) $(shell find pipeline -name '*.ts' ! -name '*.test.ts' 2>/dev/null) tsconfig.json tsconfig.build.json
	npx tsc -p tsconfig.build.json
	@touch $@

install: $(NODE_MODULES_STAMP)
build: dist/cli/main.js

demo: build
	$(GREENRT) run experiments/demo.yaml

test: build
	bash scripts/test.sh

images: build
	$(GREENRT) images build --flavour cpu

images-cuda: build
	$(GREENRT) images build --flavour cuda
	for tag in $$(docker images --format '{{.Repository}}:{{.Tag}}' --filter label=dev.greenrt.flavour=cuda | grep -E '^greenrt/[a-z]+:cuda-'); do \
	  $(GREENRT) images check "$$tag" || exit $$?; done

images-repro-check: build
	node scripts/images-repro-check.mjs --flavour cpu

cpu: build
	$(GREENRT) run experiments/cpu.yaml

paper-validate: build
	$(GREENRT) validate experiments/paper.yaml

bench: build
	node bench/run.mjs

gpu-check: build
	$(GREENRT) doctor --measure

# No npm install needed beyond the lockfile's devDependencies (esbuild); never ships onnxruntime-node.
gpu-bundle: $(NODE_MODULES_STAMP)
	node scripts/gpu-bundle.mjs dist/gpu-bundle

demo-model: build
	bash scripts/export-demo-model.sh

clean:
	rm -rf dist .test-results
