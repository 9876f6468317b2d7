#!/bin/sh
# Guest kernel symbols by build-id through debuginfod: Debian's debuginfod
# serves a directory holding a guest vmlinux (built here with a build-id) on
# 127.0.0.1; a --guestmount guest with no kallsyms and no vmlinux in its root
# resolves its kernel samples through it (and then from the client cache);
# --no-debuginfod and an unset DEBUGINFOD_URLS leave it unsymbolized.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 (fixture generator) is missing"
command -v debuginfod >/dev/null 2>&1 || skip "debuginfod (Debian package debuginfod) is missing"
command -v cc >/dev/null 2>&1 || skip "no C compiler to build the guest vmlinux"
"$KP" --help 2>&1 | grep -q no-debuginfod || fail "no --no-debuginfod option"
GEN=$SRCDIR/tests/fixtures/guests/gen-guests.py
mkdir srv
cat >vml.S <<'EOS'
	.text
	.globl _text
_text:	.fill 0x100, 1, 0x90
	.globl dbg_alpha
	.type dbg_alpha, @function
dbg_alpha: .fill 0x100, 1, 0x90
	.size dbg_alpha, 0x100
	.globl dbg_beta
	.type dbg_beta, @function
dbg_beta: .fill 0x100, 1, 0x90
	.size dbg_beta, 0x100
	.globl dbg_sched
	.type dbg_sched, @function
dbg_sched: .fill 0x100, 1, 0x90
	.size dbg_sched, 0x100
	.globl _start
_start:	ret
EOS
cc -nostdlib -static -no-pie -Wl,-Ttext=0xffffffff81000000 -Wl,--build-id=sha1 \
	-o srv/vmlinux vml.S 2>cc.err || { cat cc.err >&2; skip "cannot build the guest vmlinux"; }
BID=$(python3 - srv/vmlinux <<'EOP'
import struct, sys
d = open(sys.argv[1], 'rb').read()
shoff, = struct.unpack_from('<Q', d, 0x28)
shentsize, shnum = struct.unpack_from('<HH', d, 0x3a)
for i in range(shnum):
    typ, = struct.unpack_from('<I', d, shoff + i * shentsize + 4)
    off, size = struct.unpack_from('<QQ', d, shoff + i * shentsize + 0x18)
    if typ == 7:
        p = off
        while p + 12 <= off + size:
            nsz, dsz, t = struct.unpack_from('<III', d, p)
            n = (nsz + 3) & ~3
            if t == 3:
                print(d[p + 12 + n:p + 12 + n + dsz].hex())
                sys.exit(0)
            p += 12 + n + ((dsz + 3) & ~3)
sys.exit(1)
EOP
) || fail "no build-id in the vmlinux"
python3 "$GEN" one.data --guests 5001 --kbid "5001=$BID" || fail "generator failed"
mkdir -p gm/5001

PORT=$((20000 + $$ % 20000))
debuginfod -p "$PORT" -d "$T/db.sqlite" -F "$T/srv" -t0 -g0 >dbg.log 2>&1 &
DPID=$!
trap 'kill $DPID 2>/dev/null; wait $DPID 2>/dev/null; rm -rf "$T"' EXIT
export DEBUGINFOD_URLS="http://127.0.0.1:$PORT" DEBUGINFOD_CACHE_PATH="$T/cache"
i=0
until curl -sf "http://127.0.0.1:$PORT/buildid/$BID/executable" -o /dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat dbg.log >&2; fail "debuginfod did not serve $BID within 20 s"; }
	sleep 0.2
done

"$KP" --guestmount=gm -i one.data report --stdio -s dso,sym >out 2>err ||
	{ cat err >&2; fail "report through debuginfod"; }
for f in dbg_alpha dbg_beta dbg_sched; do
	grep -q "\[g\] $f\$" out || { cat out err >&2; fail "$f not resolved through debuginfod"; }
done
ls "$T"/cache/*/executable >/dev/null 2>&1 || fail "nothing in the debuginfod client cache"
# the cache answers without the server
kill $DPID; wait $DPID 2>/dev/null
"$KP" --guestmount=gm -i one.data report --stdio -s dso,sym >out2 2>err ||
	{ cat err >&2; fail "report from the debuginfod cache"; }
check_same out out2
"$KP" --no-debuginfod --guestmount=gm -i one.data report --stdio -s dso,sym >out3 2>err ||
	fail "report --no-debuginfod"
grep -q 'dbg_' out3 && fail "--no-debuginfod still used debuginfod"
rm -rf "$T/cache"
DEBUGINFOD_URLS= "$KP" --guestmount=gm -i one.data report --stdio -s dso,sym >out4 2>err ||
	fail "report without DEBUGINFOD_URLS"
grep -q 'dbg_' out4 && fail "symbols without DEBUGINFOD_URLS"
exit 0
