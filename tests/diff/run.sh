#!/usr/bin/env bash
# Differential tests against tshark and the peers' expected results.
# usage: tests/diff/run.sh path/to/wiresift
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ws=${1:-$here/../../build/wiresift}
ws=$(cd "$(dirname "$ws")" && pwd)/$(basename "$ws")
rc=0
pass=0
fail=0
for t in conv.py ndpi_labels.sh netbios_fields.py smb_fields.py; do
	[ -e "$here/$t" ] || continue
	echo "== diff: $t"
	if "$here/$t" "$ws"; then pass=$((pass + 1)); else fail=$((fail + 1)); rc=1; fi
done
echo "diff: $pass passed, $fail failed"
exit $rc
