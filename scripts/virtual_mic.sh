#!/usr/bin/env bash
# A virtual microphone that tests can drive, without a sound card and without systemd.
#
#   eval "$(bash scripts/virtual_mic.sh start DIR)"   # starts a private PulseAudio daemon, prints exports
#   bash scripts/virtual_mic.sh stop DIR              # stops it
#
# Whatever is played into the sink "vmic_sink" (paplay -d vmic_sink, or sounddevice through ALSA "pulse")
# comes out of the source "vmic", which is the daemon's default source (the "microphone").
# Recipe and measurements: docs/ARCHITECTURE.md ("Facts the build depends on"). Needs pulseaudio, pulseaudio-utils
# (and libasound2-plugins for PortAudio/sounddevice to reach it through ALSA).
# Works as root: the daemon runs in user mode (--system=no); PulseAudio only warns about root then.
set -euo pipefail

usage() {
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)

# Everything the daemon and its clients need lives in DIR: socket, pid file, state, client.conf.
export PULSE_RUNTIME_PATH="$dir/runtime"
export PULSE_STATE_PATH="$dir/state"
export PULSE_SERVER="unix:$dir/native"
export PULSE_CLIENTCONFIG="$dir/client.conf"
export PULSE_COOKIE="$dir/cookie"

exports() {
    printf 'export PULSE_SERVER=%q\n' "$PULSE_SERVER"
    printf 'export PULSE_RUNTIME_PATH=%q\n' "$PULSE_RUNTIME_PATH"
    printf 'export PULSE_CLIENTCONFIG=%q\n' "$PULSE_CLIENTCONFIG"
    printf 'export PULSE_COOKIE=%q\n' "$PULSE_COOKIE"
}

daemon_pid() {
    local pid
    pid=$(cat "$PULSE_RUNTIME_PATH/pid" 2>/dev/null || true)
    pid=${pid//[^0-9]/}
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        echo "$pid"
    fi
}

start() {
    for tool in pulseaudio pactl; do
        if ! command -v "$tool" >/dev/null; then
            echo "virtual_mic: '$tool' not found (apt-get install pulseaudio pulseaudio-utils)" >&2
            exit 1
        fi
    done
    if [ -n "$(daemon_pid)" ]; then
        echo "virtual_mic: already running in $dir" >&2
        exports
        return 0
    fi
    mkdir -p "$PULSE_RUNTIME_PATH" "$PULSE_STATE_PATH"
    chmod 700 "$PULSE_RUNTIME_PATH" "$PULSE_STATE_PATH"
    rm -f "$dir/native"

    # No client (pactl, paplay, the ALSA pulse plugin) may spawn a daemon of its own.
    printf 'autospawn = no\n' >"$dir/client.conf"

    cat >"$dir/vmic.pa" <<EOF
.fail
load-module module-native-protocol-unix socket=$dir/native auth-anonymous=1
load-module module-null-sink sink_name=vmic_sink rate=16000 channels=1 sink_properties=device.description=SERVIS_virtual_mic_sink
load-module module-remap-source source_name=vmic master=vmic_sink.monitor source_properties=device.description=SERVIS_virtual_mic
set-default-source vmic
load-module module-null-sink sink_name=vmic_drain sink_properties=device.description=SERVIS_virtual_mic_drain
set-default-sink vmic_sink
load-module module-loopback source=vmic_sink.monitor sink=vmic_drain latency_msec=20
EOF

    # HOME/XDG_CONFIG_HOME point into DIR too, so that the daemon never reads or writes the user's
    # ~/.config/pulse (cookie, default.pa, daemon.conf overrides); without DISPLAY it cannot
    # autolaunch a D-Bus session daemon through X11 that would outlive it.
    if ! env -u DISPLAY -u WAYLAND_DISPLAY HOME="$dir" XDG_CONFIG_HOME="$dir/config" \
        pulseaudio -n -F "$dir/vmic.pa" --daemonize=yes --system=no --exit-idle-time=-1 \
            --use-pid-file=yes --disallow-exit=no --log-target="newfile:$dir/pulseaudio.log" \
            >/dev/null 2>"$dir/pulseaudio.stderr"; then
        echo "virtual_mic: pulseaudio failed to start; its log:" >&2
        cat "$dir/pulseaudio.stderr" "$dir/pulseaudio.log" >&2 2>/dev/null || true
        exit 1
    fi

    # Wait (at most 10 s) until the server answers.
    local i
    for i in $(seq 100); do
        if pactl info >/dev/null 2>&1; then
            break
        fi
        sleep 0.1
    done
    if ! pactl info >/dev/null 2>&1; then
        echo "virtual_mic: pulseaudio did not answer on $PULSE_SERVER; its log:" >&2
        cat "$dir/pulseaudio.log" >&2 2>/dev/null || true
        stop
        exit 1
    fi

    # Wake the null sink up after the loopback keeper is attached: otherwise the idle sink runs in
    # 2-second blocks and a new recording silently loses its first 1.2-1.9 s.
    pactl suspend-sink vmic_sink 1
    pactl suspend-sink vmic_sink 0

    exports
}

stop() {
    local pid i
    pid=$(daemon_pid)
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$dir/native" "$PULSE_RUNTIME_PATH/pid"
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
