#!/bin/sh
# Guest kernel symbols from --guestkallsyms (relocated by the recorded
# kernel MMAP), module symbols split into [gmod], perf's duplicate rules:
# kvmprof report vs perf kvm report on a generated file.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 (fixture generator) is missing"
FIX=$SRCDIR/tests/fixtures/symbol
python3 "$FIX/gen-guest-data.py" g.data || fail "generator failed"
strip() { grep -v '^# (' | grep -v '^$'; }
SYMS="--guestkallsyms=$FIX/guest.kallsyms --guestmodules=$FIX/guest.modules"

$KP $SYMS -i g.data report --stdio -s dso,sym >out 2>err || { cat err >&2; fail "report"; }
for want in '\[guest.kernel.kallsyms\]  *\[g\] guest_func_a$' \
	'\[g\] __guest_func_b$' '\[g\] guest_func_c$' '\[gmod\]  *\[g\] gmod_fn$' \
	'\[gmod\]  *\[g\] gmod_other$' '\[u\] 0x0000000000400123$'; do
	grep -q "$want" out || { cat out >&2; fail "report lacks '$want'"; }
done
# without the guest kernel symbols: raw addresses, as perf
$KP -i g.data report --stdio -s dso,sym >out 2>err || fail "report without kallsyms"
grep -q '\[g\] 0xffffffff9a000044$' out || { cat out >&2; fail "unresolved address"; }

if command -v perf >/dev/null 2>&1 && perf version >/dev/null 2>&1; then
	for mode in "" "--host" "--host --guest"; do
		perf kvm $mode $SYMS -i g.data report --stdio --sort comm,dso,sym 2>/dev/null |
			strip >want
		$KP $mode $SYMS -i g.data report --stdio -s comm,dso,sym 2>err | strip >got
		check_same want got
	done
fi
# a guest recorded under --guestmount: its kernel symbols from <mount>/<pid>/proc/kallsyms
python3 "$FIX/gen-guest-data.py" pg.data --pid-guest || fail "generator failed"
mkdir -p gm/4321/proc && cp "$FIX/guest.kallsyms" gm/4321/proc/kallsyms
$KP --guestmount=gm $SYMS -i pg.data report --stdio -s comm,dso,sym >out 2>err ||
	{ cat err >&2; fail "report --guestmount"; }
grep -q ':4323  *\[guest.kernel.kallsyms.4321\]  *\[g\] guest_func_a$' out ||
	{ cat out >&2; fail "guest 4321 symbols"; }
if command -v perf >/dev/null 2>&1 && perf version >/dev/null 2>&1; then
	for mode in "" "--host --guest"; do
		perf kvm $mode --guestmount=gm $SYMS -i pg.data report --stdio \
			--sort comm,dso,sym 2>/dev/null | strip >want
		$KP $mode --guestmount=gm $SYMS -i pg.data report --stdio -s comm,dso,sym 2>err |
			strip >got
		check_same want got
	done
fi
# --guestvmlinux: an ELF kernel image (built here), relocated like kallsyms;
# refused when its build-id is not the recorded one (g.data records another)
if command -v cc >/dev/null 2>&1; then
	cat >vml.c <<'EOS'
void _text(void) {}
__attribute__((noinline, aligned(64))) void guest_func_a(void) { __asm__ volatile(".fill 32, 1, 0x90"); }
__attribute__((noinline, aligned(64))) void guest_func_b(void) { __asm__ volatile(".fill 32, 1, 0x90"); }
void _start(void) { guest_func_a(); guest_func_b(); }
EOS
	if cc -O1 -mcmodel=kernel -fno-pie -no-pie -nostdlib -static \
		-Wl,-Ttext=0xffffffff81000000 -Wl,--build-id -o vmlinux vml.c 2>/dev/null; then
		python3 "$FIX/gen-guest-data.py" nobid.data --no-buildid || fail "generator failed"
		$KP --guestvmlinux=vmlinux -i nobid.data report --stdio -s dso,sym >out 2>err ||
			{ cat err >&2; fail "report --guestvmlinux"; }
		grep -q '\[guest.kernel.kallsyms\]  *\[g\] guest_func_b$' out ||
			{ cat out >&2; fail "vmlinux symbols"; }
		$KP --guestvmlinux=vmlinux -i g.data report --stdio -s dso,sym >out 2>err ||
			fail "report --guestvmlinux (build-id mismatch)"
		grep -q '\[g\] 0xffffffff9a000044$' out || { cat out >&2; fail "mismatched vmlinux used"; }
		if command -v perf >/dev/null 2>&1 && perf version >/dev/null 2>&1; then
			for f in g.data nobid.data; do
				perf kvm --guestvmlinux=vmlinux -i $f report --stdio \
					--sort comm,dso,sym 2>/dev/null | strip >want
				$KP --guestvmlinux=vmlinux -i $f report --stdio -s comm,dso,sym 2>err |
					strip >got
				check_same want got
			done
		fi
	fi
fi
exit 0
