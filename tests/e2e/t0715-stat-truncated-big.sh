#!/bin/sh
# stat report on big files (the threaded scan path) whose data section ends
# inside a record: its size in the header cut to page boundaries and to a few
# bytes into a record header, the feature sections left where they are.  Each
# must end with a clear message naming the offset and a non-zero exit code,
# never a crash.
. "$SRCDIR/tests/e2e/lib.sh"
GEN=${GEN_KVM_STAT:?GEN_KVM_STAT not set (run through meson test)}
F=$SRCDIR/tests/fixtures/stat

"$GEN" -o big.data -f "$F/formats-6.18" --isa vmx --seed 5 --vms 2 --vcpus 2 --exits 60000 \
	2>/dev/null || fail "generator failed"
size=$(stat -c %s big.data)
[ "$size" -gt $((8 << 20)) ] || fail "test file too small for the threaded path ($size bytes)"

# the data section set to end at file offset @2: its size in the header, and
# the feature section table (which follows the data) copied there; the feature
# contents stay where they are
cut_at() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
src, cut = sys.argv[1], int(sys.argv[2])
b = bytearray(open(src, 'rb').read())
# perf_file_header: magic, size, attr_size, attrs {offset, size}, data {offset, size},
# event_types {offset, size}, adds_features[4]
data_off, data_size = struct.unpack_from('<QQ', b, 40)
nr = sum(bin(w).count('1') for w in struct.unpack_from('<4Q', b, 72))
old = data_off + data_size
b[cut:cut + 16 * nr] = b[old:old + 16 * nr]
struct.pack_into('<Q', b, 48, cut - data_off)
open(src + '.cut', 'wb').write(b)
PY
}
n=0
for cut in $((4 << 20)) $((6 << 20)) $(((6 << 20) + 3)) $(((6 << 20) + 4093)) $(((7 << 20) + 7)); do
	cut_at big.data "$cut" || fail "could not cut the file"
	"$KP" -i big.data.cut stat report >out 2>err
	rc=$?
	[ "$rc" -lt 128 ] || { cat err >&2; fail "stat report crashed on a file cut at $cut (rc $rc)"; }
	[ "$rc" != 0 ] || { cat err >&2; fail "a data section ending inside a record was accepted"; }
	grep -qi "offset" err || { cat err >&2; fail "no clear message for the cut at $cut"; }
	grep -qi "feature" err && { cat err >&2; fail "the test broke the feature sections (cut $cut)"; }
	n=$((n + 1))
done
echo "ok: $n cut files handled" >&2
