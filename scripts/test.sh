#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, then runs pytest.
#
#   bash scripts/test.sh [pytest arguments]      e.g.  bash scripts/test.sh -m 'not bundle' -x
#
# 1. scripts/setup.sh --test (system packages when missing, .venv with `pip install -e '.[test]'`)
# 2. a private PulseAudio daemon with a virtual microphone (scripts/virtual_mic.sh); exported to the tests:
#    PULSE_SERVER, PULSE_RUNTIME_PATH, PULSE_CLIENTCONFIG, PULSE_COOKIE (sounddevice reaches it through ALSA),
#    SERVIS_VMIC_SINK=vmic_sink (play into it) and SERVIS_VMIC_SOURCE=vmic (the default source, the "microphone")
# 3. an Xvfb server on a free display for the whole run; exported as SERVIS_XVFB_DISPLAY=:N only
#    (DISPLAY is not exported: QT_QPA_PLATFORM=offscreen stays the default; a test that needs a real
#    window sets DISPLAY=$SERVIS_XVFB_DISPLAY and QT_QPA_PLATFORM=xcb for itself)
# 4. .venv/bin/python -m pytest "$@"; Xvfb and PulseAudio are stopped on exit; pytest's exit code is
#    the script's exit code (5, "no tests collected", is a failure too).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "test.sh: $*"; }
# In CI a missing helper is an error; on a developer's machine the tests that need it decide (skip/fail).
need() {
    if [ -n "${CI:-}" ] && [ "${CI}" != "false" ] && [ "${CI}" != "0" ]; then
        say "ERROR: $*" >&2
        exit 1
    fi
    say "WARNING: $* (carrying on; tests that need it will skip or fail)" >&2
}

bash scripts/setup.sh --test

work=$(mktemp -d "${TMPDIR:-/tmp}/servis-test.XXXXXX")
xvfb_pid=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$xvfb_pid" ]; then
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    bash scripts/virtual_mic.sh stop "$work/pulse" >/dev/null 2>&1 || true
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- virtual microphone -----------------------
if mic_env=$(bash scripts/virtual_mic.sh start "$work/pulse"); then
    eval "$mic_env"
    export SERVIS_VMIC_SINK=vmic_sink SERVIS_VMIC_SOURCE=vmic
    say "virtual microphone: PulseAudio on $PULSE_SERVER (sink vmic_sink -> source vmic)"
else
    need "could not start the virtual microphone (PulseAudio)"
fi

# ---------------------------------------------------------------- Xvfb --------------------------------------
if command -v Xvfb >/dev/null 2>&1; then
    # -displayfd: Xvfb picks a free display itself and writes its number once it accepts connections.
    Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp -noreset \
        3>"$work/xvfb.display" >"$work/xvfb.log" 2>&1 </dev/null &
    xvfb_pid=$!
    for _ in $(seq 100); do
        [ -s "$work/xvfb.display" ] && break
        kill -0 "$xvfb_pid" 2>/dev/null || break
        sleep 0.1
    done
    display_number=$(tr -dc '0-9' <"$work/xvfb.display" 2>/dev/null || true)
    if [ -n "$display_number" ] && kill -0 "$xvfb_pid" 2>/dev/null; then
        export SERVIS_XVFB_DISPLAY=":$display_number"
        say "Xvfb on display $SERVIS_XVFB_DISPLAY (exported as SERVIS_XVFB_DISPLAY, not DISPLAY)"
    else
        cat "$work/xvfb.log" >&2 || true
        kill "$xvfb_pid" 2>/dev/null || true
        xvfb_pid=""
        need "Xvfb did not start"
    fi
else
    need "Xvfb not installed"
fi

# ---------------------------------------------------------------- pytest ------------------------------------
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
unset DISPLAY WAYLAND_DISPLAY

rc=0
.venv/bin/python -m pytest "$@" 2>&1 | tee "$work/pytest.log" || rc=${PIPESTATUS[0]}

# The last "N passed, M failed ... in 12.3s" line (framed by '=' normally, bare with -q).
summary=$(grep -E '^(=+ )?(no tests ran|[0-9]+ [a-z]+).* in [0-9.]+s( \([0-9:]+\))?( =+)?$' "$work/pytest.log" |
    tail -n 1 | sed -E 's/^=+ //; s/ =+$//' || true)
case "$rc" in
    0) verdict="passed" ;;
    5) verdict="FAILED: no tests were collected" ;;
    *) verdict="FAILED (pytest exit code $rc)" ;;
esac
say "pytest ${summary:-(no summary line)} -> $verdict"
exit "$rc"
