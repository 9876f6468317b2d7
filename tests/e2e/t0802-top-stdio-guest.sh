#!/bin/sh
# kvmprof top --stdio on the running demo guest (perf kvm --guestmount top):
# two snapshots, a PerfTop headline in perf's guest form whose four cpumode
# percentages add up to 100 with guest us above 80, and the demo's user
# functions named (through DIR/PID/guest-user.maps) with demo_hot first.
# The same through --guestkallsyms and --guest-user-elf.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
need_demo_guest

mkdir gm
demo_guest_start --guestmount "$T/gm"
check_out() {
	[ "$(grep -c 'PerfTop:' "$1")" = 2 ] || { cat "$1" >&2; fail "$1: want 2 snapshots"; }
	grep 'PerfTop:' "$1" | tail -1 | top_headline_ok 80 ||
		{ cat "$1" >&2; fail "$1: headline percentages off"; }
	grep -q "(target_pid: $DEMO_PID, [0-9]* CPUs\?)" "$1" || fail "$1: target missing in headline"
	grep -q '\[[0-9]*Hz \(cpu-clock\|cycles\)\]' "$1" || fail "$1: event missing in headline"
	grep -q '^             samples  pcnt function *DSO$' "$1" || fail "$1: no column titles"
	for f in demo_hot demo_warm demo_cool demo_cold; do
		grep -q "^ *[0-9]*\.00 *[0-9.]*% $f  *$2\$" "$1" || { cat "$1" >&2; fail "$1: no $f row"; }
	done
	# the hottest row of the last snapshot is demo_hot
	awk '/PerfTop:/ { n++ } n == 2 && /^ *[0-9]+\.00 / { print $3; exit }' "$1" |
		grep -qx demo_hot || { cat "$1" >&2; fail "$1: demo_hot is not the top row"; }
}

"$KP" --guest --guestmount="$T/gm" top -p "$DEMO_PID" --stdio -d 1 -n 2 >out 2>err ||
	{ cat err >&2; fail "top --guestmount exited $?"; }
check_out out demo-guest.elf

"$KP" --guestkallsyms="$DEMO_KALLSYMS" top -p "$DEMO_PID" --guest-user-elf "$DEMO_ELF" \
	--stdio -d 0.5 -n 2 -E 3 >out2 2>err2 || { cat err2 >&2; fail "top --guest-user-elf failed"; }
[ "$(grep -c '^ *[0-9]*\.00 ' out2)" = 6 ] || { cat out2 >&2; fail "-E 3 not applied"; }
grep -q "demo_hot  *$(basename "$DEMO_ELF")\$" out2 || { cat out2 >&2; fail "no demo_hot via ELF"; }
demo_guest_stop
exit 0
