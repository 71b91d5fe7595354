#!/usr/bin/env bash
# Golden tests: run wiresift on real captures and compare with the reviewed
# expected output. Each case is a folder tests/golden/<case>/ with
#   cmd            the arguments, one line; $CORPUS is ../shared/corpus, $SAMPLES is samples/
#   expected.out   stdout as reviewed (regenerate with tests/golden/update.sh <case>)
# A case whose capture is absent (no corpus on this machine) is skipped.
# Any stderr line with "internal error", "AddressSanitizer" or "runtime error" fails it.
# usage: tests/run-golden.sh path/to/wiresift [--sanitized]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
ws=${1:?usage: run-golden.sh WIRESIFT}
ws=$(cd "$(dirname "$ws")" && pwd)/$(basename "$ws")
export CORPUS=${WS_CORPUS:-$root/../shared/corpus}
export SAMPLES=$root/samples
export TZ=UTC LC_ALL=C NO_COLOR=1
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$here"/golden/*/; do
	name=$(basename "$dir")
	[ -f "$dir/cmd" ] || continue
	args=$(envsubst < "$dir/cmd")
	eval "set -- $args"
	missing=0
	for a in "$@"; do
		case "$a" in
		/*.pcap|/*.pcapng|/*.gz|/*.cap) [ -e "$a" ] || missing=1 ;;
		esac
	done
	if [ $missing = 1 ]; then
		skip=$((skip + 1))
		continue
	fi
	(cd "$root" && "$ws" "$@" > "$tmp/out" 2> "$tmp/err")
	rc=$?
	ok=1
	if [ -f "$dir/expected.rc" ] && [ "$rc" != "$(cat "$dir/expected.rc")" ]; then
		echo "FAIL $name: exit $rc, expected $(cat "$dir/expected.rc")"; ok=0
	elif [ ! -f "$dir/expected.rc" ] && [ $rc -ne 0 ]; then
		echo "FAIL $name: exit $rc"; ok=0
	fi
	if grep -Eq 'internal error|AddressSanitizer|LeakSanitizer|runtime error' "$tmp/err"; then
		echo "FAIL $name: sanitizer or internal error:"; head -20 "$tmp/err"; ok=0
	fi
	# Paths differ between machines: compare with the corpus/sample roots folded.
	sed -e "s|$CORPUS|\$CORPUS|g" -e "s|$SAMPLES|\$SAMPLES|g" "$tmp/out" > "$tmp/out.n"
	if ! diff -u "$dir/expected.out" "$tmp/out.n" > "$tmp/diff"; then
		echo "FAIL $name: output differs from expected.out:"; head -40 "$tmp/diff"; ok=0
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
