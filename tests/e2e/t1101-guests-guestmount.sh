#!/bin/sh
# Several guests under --guestmount: each guest's kernel symbols from its own
# DIR/PID/proc/kallsyms under its own [guest.kernel.kallsyms.PID], module maps
# from DIR/PID/proc/modules when the file has none, buildid-list lists every
# guest's build-id; kvmprof report/buildid-list vs perf kvm on the same files.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 (fixture generator) is missing"
GEN=$SRCDIR/tests/fixtures/guests/gen-guests.py
unset DEBUGINFOD_URLS
python3 "$GEN" two.data --guests 5001,5002 --mix-5002 a=5,b=50,s=30,m=10,u=5 \
	--guestmount gm --host-kallsyms host.ks || fail "generator failed"
strip() { grep -v '^#' | grep -v '^$'; }

"$KP" --host --guest --guestmount=gm -i two.data report --kallsyms=host.ks --stdio \
	-s comm,dso,sym >out 2>err || { cat err >&2; fail "report"; }
for want in '\[guest.kernel.kallsyms.5001\]  *\[g\] g5001_alpha$' \
	'\[guest.kernel.kallsyms.5002\]  *\[g\] g5002_beta$' \
	'\[guest.kernel.kallsyms.5001\]  *\[g\] schedule$' \
	'\[guest.kernel.kallsyms.5002\]  *\[g\] schedule$' \
	'\[virtio_net\]  *\[g\] virtio_poll$' '\[kernel.kallsyms\]  *\[k\] host_func$'; do
	grep -q "$want" out || { cat out >&2; fail "report lacks '$want'"; }
done
# no guest's symbol under another guest's DSO
grep -q 'kallsyms.5001\].*g5002_\|kallsyms.5002\].*g5001_' out && fail "symbols mixed up"
# the second guest's mix: 50 of its 100 guest samples in g5002_beta
grep -q '^ *2[0-9]\.[0-9]*%.*g5002_beta$' out || { cat out >&2; fail "g5002_beta share"; }

"$KP" --guestmount=gm -i two.data buildid-list >bids 2>err || { cat err >&2; fail "buildid-list"; }
grep -q '^0000138900001389000013890000138900001389 \[guest.kernel.kallsyms.5001\]$' bids ||
	{ cat bids >&2; fail "guest 5001 build-id"; }
grep -q '^0000138a0000138a0000138a0000138a0000138a \[guest.kernel.kallsyms.5002\]$' bids ||
	{ cat bids >&2; fail "guest 5002 build-id"; }

# modules from DIR/PID/proc/modules when the file has no module MMAP
python3 "$GEN" nomod.data --no-module-mmap || fail "generator failed"
"$KP" --guestmount=gm -i nomod.data report --stdio -s dso,sym >out 2>err ||
	{ cat err >&2; fail "report (no module MMAP)"; }
grep -q '\[virtio_net\]  *\[g\] virtio_poll$' out || { cat out >&2; fail "module from proc/modules"; }

# a VMM pid with no DIR/PID: one warning, its samples go to the default guest
mkdir gm1 && cp -r gm/5001 gm1/
"$KP" --guestmount=gm1 -i two.data report --stdio -s dso,sym >out 2>err ||
	{ cat err >&2; fail "report (one guest dir missing)"; }
[ "$(grep -c "Can't access file gm1/5002" err)" = 1 ] || { cat err >&2; fail "warning once"; }

if command -v perf >/dev/null 2>&1 && perf version >/dev/null 2>&1; then
	for mode in "" "--host --guest" "--host"; do
		perf kvm $mode --guestmount=gm -i two.data report --kallsyms=host.ks --stdio \
			--sort comm,dso,sym 2>/dev/null | strip >want
		"$KP" $mode --guestmount=gm -i two.data report --kallsyms=host.ks --stdio \
			-s comm,dso,sym 2>err | strip >got
		check_same want got
	done
	perf kvm --guestmount=gm -i two.data buildid-list 2>/dev/null >want
	check_same want bids
fi
exit 0
