# The two commands of the quick start are `make run` and `make test`; the rest serve them.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
BIN := $(VENV)/bin
export FLASK_APP := hromada

PLUGINS := plugins/incubator plugins/accelerator plugins/civic_course
EXAMPLES := examples/study_visits
CATALOG_DIRS := platform/hromada/translations $(foreach p,$(PLUGINS),$(wildcard $(p)/hromada_*/translations)) \
	$(foreach e,$(EXAMPLES),$(wildcard $(e)/hromada_*/translations))
PROJECT_FILES := pyproject.toml $(foreach p,$(PLUGINS) $(EXAMPLES),$(p)/pyproject.toml)

.PHONY: run test install install-test translations extract-messages serve worker clean

run: install translations
	$(BIN)/flask db upgrade heads
	$(BIN)/flask demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# In parallel, one pytest-xdist worker per core, each on databases and Redis keys of its own
# (PYTEST_WORKERS=0: in one process, one test after another).
PYTEST_WORKERS ?= auto

test: install-test translations
	$(BIN)/pytest --numprocesses $(PYTEST_WORKERS) $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Core and first-party plugins, each installed as its own distribution, in one resolver run.
$(VENV)/.installed: $(BIN)/python $(PROJECT_FILES)
	$(BIN)/pip install --quiet -e . $(foreach p,$(PLUGINS),-e $(p))
	touch $@

# What the tests need on top: the test tools and the example third-party plugin.
$(VENV)/.installed-test: $(VENV)/.installed $(PROJECT_FILES)
	$(BIN)/pip install --quiet -e ".[test]" $(foreach p,$(PLUGINS) $(EXAMPLES),-e $(p))
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Compiled catalogs are build products: made from the .po files, never committed.
translations: $(VENV)/.installed
	@for dir in $(CATALOG_DIRS); do $(BIN)/pybabel -q compile -d $$dir; done

# For translators: refresh every catalog from the source after changing strings.
extract-messages: $(VENV)/.installed
	$(BIN)/python -m hromada.i18n_tools update

serve: install translations
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) "hromada:create_app()"

worker: install
	$(BIN)/flask worker

clean:
	rm -rf $(VENV) build dist *.egg-info
