#!/usr/bin/env bash
# Yanpan set-up and entry points. Every command first makes sure .venv exists and holds the
# pinned requirements (re-installed only when a requirements file changes).
#   ./run.sh [OPTIONS]  set up and start the dashboard (builds the demo database on first
#                        start); OPTIONS go to streamlit, e.g. --server.port 8600
#   ./run.sh test [ARGS] set up, check lint and formatting (ruff), run the test suite (ARGS
#                        go to pytest; -m "not slow" skips the tests that build a demo city)
#   ./run.sh cli ARGS    run `python -m analytics ARGS` (import, export-bundle, demo, ...)
#   ./run.sh bench ARGS  run `python -m analytics.bench ARGS` (`bench pages`: page run times)
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
VENV=.venv

setup() {
    local reqs=$1 stamp="$VENV/.installed-$1"
    if [ ! -x "$VENV/bin/python" ]; then
        echo "setting up $VENV with $($PY --version)…" >&2
        "$PY" -m venv "$VENV"
        "$VENV/bin/python" -m pip install -q --upgrade pip
    fi
    local want
    want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "installing $reqs…" >&2
        "$VENV/bin/python" -m pip install -q -r "$reqs"
        echo "$want" > "$stamp"
    fi
}

cmd=${1:-run}
case "$cmd" in -*) cmd=run ;; *) [ $# -gt 0 ] && shift ;; esac
case "$cmd" in
    run)
        setup requirements.txt
        # headless: print the address instead of trying to open a browser or asking for an
        # e-mail address on first use; options after ./run.sh go to streamlit
        exec "$VENV/bin/python" -m streamlit run app.py --browser.gatherUsageStats false \
            --server.headless true "$@"
        ;;
    test)
        setup requirements-dev.txt
        # style is part of the suite: lint and formatting are checked before any test runs
        "$VENV/bin/ruff" check --quiet .
        "$VENV/bin/ruff" format --check --quiet .
        set +e
        "$VENV/bin/python" -m pytest "$@"
        code=$?
        set -e
        if [ "$code" -eq 5 ]; then
            echo "pytest collected no tests: treating that as a failure" >&2
            exit 1
        fi
        exit "$code"
        ;;
    cli)
        setup requirements.txt
        exec "$VENV/bin/python" -m analytics "$@"
        ;;
    bench)
        setup requirements-dev.txt
        if [ "${1:-}" = pages ]; then
            shift
            exec "$VENV/bin/python" scripts/bench_pages.py "$@"
        fi
        exec "$VENV/bin/python" -m analytics.bench "$@"
        ;;
    *)
        echo "usage: ./run.sh [run|test|cli|bench] [ARGS]" >&2
        exit 1
        ;;
esac
