#!/usr/bin/env bash
# Regenerates expected.out of the named golden cases (all if none named),
# after you have reviewed that the new output is right.
# usage: tests/golden/update.sh [case...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ws=${WS:-$root/build/wiresift}
export CORPUS=${WS_CORPUS:-$root/../shared/corpus}
export SAMPLES=$root/samples
export TZ=UTC LC_ALL=C NO_COLOR=1
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=($(cd "$here" && ls -d */ | tr -d /))
for name in "${cases[@]}"; do
	dir=$here/$name
	args=$(envsubst < "$dir/cmd")
	eval "set -- $args"
	(cd "$root" && "$ws" "$@") > "$dir/expected.out.tmp" || true
	sed -e "s|$CORPUS|\$CORPUS|g" -e "s|$SAMPLES|\$SAMPLES|g" "$dir/expected.out.tmp" > "$dir/expected.out"
	rm -f "$dir/expected.out.tmp"
	echo "updated $name"
done
