#!/usr/bin/env bash
# Idempotent installer for SERVIS on Debian/Ubuntu (Python 3.11).
#
#   bash scripts/setup.sh          # what the app needs: system libraries + .venv with `pip install -e .`
#   bash scripts/setup.sh --test   # plus what the test suite needs: Xvfb, PulseAudio, espeak-ng, sox, ...
#                                  #      and `pip install -e '.[test]'`
#
# System packages: installed with apt-get only when missing (as root, or through `sudo -n`); when neither
# is possible the script says so and carries on. Python packages: into the project venv `.venv`, every
# transitive package pinned by constraints.txt. Second runs do nothing (a stamp in .venv records what was
# installed from which pyproject.toml + constraints.txt).
#
# Environment: PYTHON=/path/to/python3.11 picks the interpreter; SERVIS_SKIP_APT=1 skips the apt step.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

with_test=0
for arg in "$@"; do
    case "$arg" in
        --test) with_test=1 ;;
        -h | --help)
            sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "setup: unknown argument '$arg' (only --test)" >&2
            exit 2
            ;;
    esac
done

say() { echo "setup: $*"; }
die() {
    echo "setup: ERROR: $*" >&2
    exit 1
}

# Run a noisy command with its output in a log; show the log only when it fails.
quietly() {
    local log rc=0
    log=$(mktemp "${TMPDIR:-/tmp}/servis-setup.XXXXXX")
    "$@" >"$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "setup: ERROR: '$*' failed (exit $rc):" >&2
        tail -n 60 "$log" >&2
    fi
    rm -f "$log"
    return "$rc"
}

# ---------------------------------------------------------------- Python 3.11 ------------------------------
is_py311() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' >/dev/null 2>&1
}

find_python() {
    local cand
    for cand in ${PYTHON:-} python3.11 python3; do
        if command -v "$cand" >/dev/null 2>&1 && is_py311 "$cand"; then
            command -v "$cand"
            return 0
        fi
    done
    return 1
}

# ---------------------------------------------------------------- system packages ---------------------------
# Qt (offscreen and a real X11 window through xcb), PortAudio for sounddevice, fonts.
# libsndfile is not needed: the soundfile wheel bundles it.
app_pkgs=(
    libportaudio2 libasound2-data
    libgl1 libegl1 libglib2.0-0 libfontconfig1 libxkbcommon0 libx11-6 libdbus-1-3 fonts-dejavu-core
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
    libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
    libxkbcommon-x11-0 libx11-xcb1
)
# Tests: X server + screenshots, a virtual microphone (PulseAudio reached through ALSA), speech and tones.
test_pkgs=(
    xvfb xauth x11-apps imagemagick
    pulseaudio pulseaudio-utils libasound2-plugins
    espeak-ng sox librsvg2-bin
)

is_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

install_system_packages() {
    local wanted=("${app_pkgs[@]}") missing=() pkg sudo_cmd=()
    [ "$with_test" -eq 1 ] && wanted+=("${test_pkgs[@]}")
    if ! find_python >/dev/null; then
        # Debian 12's python3 is 3.11.
        wanted+=(python3 python3-venv)
    elif ! "$(find_python)" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        wanted+=(python3-venv)
    fi

    if [ "${SERVIS_SKIP_APT:-0}" = "1" ]; then
        say "SERVIS_SKIP_APT=1: not checking system packages"
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        say "no apt-get/dpkg on this system: install the equivalents of these yourself: ${wanted[*]}"
        return 0
    fi
    for pkg in "${wanted[@]}"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        say "system packages: all ${#wanted[@]} present"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
            sudo_cmd=(sudo -n)
        else
            say "WARNING: missing system packages and neither root nor password-less sudo:"
            say "WARNING:   sudo apt-get install ${missing[*]}"
            say "WARNING: carrying on without them (some features or tests may fail)"
            return 0
        fi
    fi
    say "installing ${#missing[@]} system packages: ${missing[*]}"
    quietly "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
        die "apt-get update failed"
    quietly "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "${missing[@]}" || die "apt-get install failed"
}

# ---------------------------------------------------------------- Python venv -------------------------------
setup_venv() {
    local py venv="$root/.venv" extras stamp want
    py=$(find_python) || die "Python 3.11 not found (set PYTHON=/path/to/python3.11)"

    if [ -e "$venv" ] && ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
        say "$venv is broken: recreating it"
        rm -rf "$venv"
    fi
    if [ ! -e "$venv" ]; then
        say "creating $venv with $py"
        quietly "$py" -m venv "$venv" || die "could not create $venv"
    fi
    is_py311 "$venv/bin/python" ||
        die "$venv is not a Python 3.11 venv: remove it (rm -rf .venv) and run this script again"

    if [ "$with_test" -eq 1 ]; then extras=".[test]"; else extras="."; fi
    want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
    # A test install is a superset of the app install.
    for stamp in "$venv/.servis-setup-test" "$venv/.servis-setup-app"; do
        [ "$with_test" -eq 1 ] && [ "$stamp" = "$venv/.servis-setup-app" ] && continue
        if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] &&
            "$venv/bin/python" -c 'import servis_gui' >/dev/null 2>&1; then
            say "Python packages: up to date in .venv"
            return 0
        fi
    done

    say "installing Python packages into .venv: pip install -e '$extras' -c constraints.txt"
    local start=$SECONDS
    # Output only when it fails (then the last 60 lines, with pip's explanation of any conflict).
    quietly env PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_ROOT_USER_ACTION=ignore \
        "$venv/bin/python" -m pip install --progress-bar off -c constraints.txt -e "$extras" ||
        die "pip install failed (a pin in pyproject.toml that differs from constraints.txt? see constraints.txt)"
    rm -f "$venv/.servis-setup-test" "$venv/.servis-setup-app"
    if [ "$with_test" -eq 1 ]; then
        echo "$want" >"$venv/.servis-setup-test"
    else
        echo "$want" >"$venv/.servis-setup-app"
    fi
    say "Python packages installed in $((SECONDS - start)) s"
}

install_system_packages
setup_venv
