#!/usr/bin/env bash
# run.sh - runs every integration test tests/lab/*.sh (each starts real
# servers in network namespaces of its own; see the test's header) against
# one wiresift binary, and sums their closing lines
# "lab-<name>: N passed, M failed" (or "lab-<name>: skipped (...)").
#
#   tests/lab/run.sh [WIRESIFT]       (default: build/wiresift)
#
# WS_LAB=0 skips them all (they need root and `ip netns`, and take ~30 s
# each). Each test gets at most WS_LAB_TIMEOUT seconds (default 180), after
# which it is stopped (its EXIT trap still cleans up) and counted failed.
# Exit 1 when any assertion failed or a test ended without its closing line.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WS=${1:-$HERE/../../build/wiresift}
LIMIT=${WS_LAB_TIMEOUT:-180}

if [ "${WS_LAB:-1}" = 0 ]; then
	echo "lab: skipped (WS_LAB=0)"
	exit 0
fi

pass=0 fail=0 skipped=0 broken=0
for t in "$HERE"/*.sh; do
	[ "$(basename "$t")" = run.sh ] && continue
	name=lab-$(basename "$t" .sh)
	out=$(mktemp)
	timeout -k 10 "$LIMIT" bash "$t" "$WS" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	last=$(grep -E "^$name: " "$out" | tail -n 1)
	rm -f "$out"
	if [[ $last =~ ^$name:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		pass=$((pass + BASH_REMATCH[1]))
		fail=$((fail + BASH_REMATCH[2]))
		if [ "$rc" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then
			echo "$name: exited $rc with no failed assertion"
			broken=$((broken + 1))
		fi
	elif [[ $last =~ ^$name:\ skipped ]]; then
		skipped=$((skipped + 1))
	else
		echo "$name: ended without its closing line (exit $rc; 124 = over ${LIMIT} s)"
		broken=$((broken + 1))
	fi
done
echo "lab: $pass passed, $fail failed, $skipped skipped, $broken broken"
[ "$fail" -eq 0 ] && [ "$broken" -eq 0 ]
