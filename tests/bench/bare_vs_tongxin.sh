#!/usr/bin/env bash
# Tongxin beside a bare Tauri 2 window, in the same run, both release builds of this workspace
# (same profile, same WebKitGTK, the same renderer choice): the cold start to the first screen
# drawn (median of 5 each, runs alternated, fresh home folders; cold_start.sh), and the memory
# after start — PSS summed over the app's processes (smaps_rollup of the app and its web
# processes), 5 s after launch: Tongxin on the demo day's desk, the bare window on its page.
#   cargo build --release -p tongxin -p tongxin-bare-window
#   bash tests/bench/bare_vs_tongxin.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tongxin=${1:-target/release/tongxin}
bare=${2:-target/release/bare-window}
runs=${RUNS:-5}
export WEBKIT_DISABLE_DMABUF_RENDERER=1

cold() { bash tests/bench/cold_start.sh "$1" "$runs" | sed -E 's/.*median ([0-9]+) ms.*/\1/'; }

# PSS in KiB of the process tree started by pid $1.
pss_tree() {
  local root=$1 all=("$1") i=0 total=0
  while [ $i -lt ${#all[@]} ]; do
    for c in $(cat /proc/"${all[$i]}"/task/*/children 2>/dev/null); do all+=("$c"); done
    i=$((i + 1))
  done
  for p in "${all[@]}"; do
    v=$(awk '/^Pss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

after_start() {
  local bin=$1 home display=:78
  home=$(mktemp -d)
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  local xvfb=$!
  sleep 1
  DISPLAY=$display HOME=$home XDG_DATA_HOME=$home/.local/share XDG_CONFIG_HOME=$home/.config \
    XDG_CACHE_HOME=$home/.cache GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 TONGXIN_DEMO=1 \
    "$bin" >/dev/null 2>&1 &
  local pid=$!
  sleep 5
  pss_tree "$pid"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$home"
}

t_bare=$(cold "$bare"); t_tx=$(cold "$tongxin")
m_bare=$(after_start "$bare"); m_tx=$(after_start "$tongxin")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "cold start to the first screen (median of $runs): bare window ${t_bare} ms, Tongxin ${t_tx} ms = $(ratio "$t_tx" "$t_bare")×"
echo "PSS after start: bare window $((m_bare / 1024)) MiB, Tongxin (demo desk) $((m_tx / 1024)) MiB = $(ratio "$m_tx" "$m_bare")×"
