#!/usr/bin/env bash
# Cold start of an app binary: the time from exec to the first screen drawn, N times, each in a
# fresh home folder (no database, no webview cache) with the page cache dropped when the
# kernel allows it. The app writes the moment its page has drawn the first screen (two
# animation frames after the screen is in the DOM) to $TONGXIN_STARTUP_PROBE and quits.
#   bash tests/bench/cold_start.sh /usr/bin/tongxin 5
set -euo pipefail
bin=${1:?usage: cold_start.sh BINARY [RUNS]}
runs=${2:-5}
# A display no other X server holds (the previous run's may still be going away: a second
# server on the same number fails, and the app then never draws).
n=77
while [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
display=:$n
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; wait $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.05; done
dropped=no
times=()
for i in $(seq 1 "$runs"); do
  home=$(mktemp -d)
  probe=$home/first-screen
  sync
  if [ "${DROP_CACHES:-1}" = 1 ] && echo 3 2>/dev/null >/proc/sys/vm/drop_caches; then dropped=yes; fi
  t0=$(date +%s%N)
  DISPLAY=$display HOME=$home XDG_DATA_HOME=$home/.local/share XDG_CONFIG_HOME=$home/.config \
    XDG_CACHE_HOME=$home/.cache GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 \
    TONGXIN_STARTUP_PROBE=$probe "$bin" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do [ -s "$probe" ] && break; sleep 0.05; done
  if [ ! -s "$probe" ]; then
    kill "$pid" 2>/dev/null || true
    echo "cold start: run $i drew no first screen within 30 s" >&2
    exit 1
  fi
  t1=$(cat "$probe")
  wait "$pid" 2>/dev/null || true
  times+=($(( (t1 - t0) / 1000000 )))
  rm -rf "$home"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( runs / 2 ))]}
echo "cold start of $bin to the first screen: median ${median} ms over $runs runs (each: ${times[*]} ms; page cache dropped: $dropped)"
