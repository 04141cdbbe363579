#!/usr/bin/env bash
# Install what the app needs (system packages when missing, .venv) and start SERVIS.
# Without arguments it opens the bundled demo corpus; arguments are passed on to `servis`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    echo "run.sh: no DISPLAY/WAYLAND_DISPLAY: start it in a desktop session, or set QT_QPA_PLATFORM=offscreen" >&2
    exit 1
fi
exec .venv/bin/servis "$@"
