#!/usr/bin/env bash
# The two commands of the README:
#   ./dev.sh serve   set up (first time) and start the service on the embedded default
#   ./dev.sh test    set up (first time), make sure PostgreSQL and Redis run, and run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

case "${1:-}" in
  serve)
    shift
    scripts/setup.sh
    exec .venv/bin/resume-parser serve "$@"
    ;;
  test)
    shift
    scripts/setup.sh
    scripts/test-services.sh
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh serve [--host H] [--port P] | ./dev.sh test [pytest args]" >&2
    exit 2
    ;;
esac
