#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time (make fuzz).
# usage: fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail
build=${1:?build dir}
secs=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
for t in "$build"/fuzz/fuzz_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t"); name=${name#fuzz_}
	work=$(mktemp -d)
	mkdir -p "$root/fuzz/corpus/$name"
	echo "== fuzz_$name for ${secs}s"
	"$t" -max_total_time="$secs" -max_len=65536 -artifact_prefix="$root/fuzz/corpus/$name/crash-" \
		"$work" "$root/fuzz/corpus/$name" || { echo "fuzz_$name found a crash: see fuzz/corpus/$name/crash-*"; exit 1; }
	rm -rf "$work"
done
