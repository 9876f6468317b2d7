#!/bin/sh
# The interactive kvmprof top in a real terminal (a detached 120x40 tmux pane)
# on the running demo guest: the PerfTop headline is drawn and its kernel, us,
# guest kernel and guest us percentages add up to 100 (+-0.5); the demo's
# functions are listed; h cycles the view (host, then both), d zooms into the
# selected row's DSO; q quits with status 0 and the terminal is given back
# (alternate screen off, the shell's next line printed), also after SIGTERM
# (a clean quit) and a SIGSEGV (the crash handler restores, then dies).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
need_demo_guest
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed (make test-deps)"

mkdir gm
demo_guest_start --guestmount "$T/gm"
SOCK="kvmprof-top-$$"
TM="tmux -L $SOCK -f /dev/null"
trap '$TM kill-server 2>/dev/null; for p in $DEMO_PIDS; do kill -TERM "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"' EXIT
cat >run.sh <<EOS
#!/bin/sh
"$KP" --guest --guestmount="$T/gm" top -p $DEMO_PID -d 1 2>"$T/top.err"
echo "EXITED \$?"
exec sleep 60
EOS
chmod +x run.sh
# a session that outlives the others keeps the server up between them
$TM new-session -d -s keep "sleep 600" || skip "tmux cannot start a session here"
S=top
$TM new-session -d -s $S -x 120 -y 40 "$T/run.sh" || fail "tmux new-session failed"

pane() { $TM capture-pane -t $S -p >"$T/pane"; }
# wait for a screen with numbers and the demo's functions (at most 15 s)
wait_for() {
	i=0
	while :; do
		pane
		grep -q "$1" pane && return 0
		i=$((i + 1))
		[ $i -lt 150 ] || { cat pane >&2; cat top.err >&2; fail "timeout waiting for '$1'"; }
		sleep 0.1
	done
}
wait_for 'demo_hot  *demo-guest.elf'
wait_for 'PerfTop: *[1-9][0-9]* irqs/sec'
[ "$($TM display -p -t $S '#{alternate_on}')" = 1 ] || fail "top does not use the alternate screen"
grep 'PerfTop:' pane | head -1 | top_headline_ok -1 ||
	{ cat pane >&2; fail "headline percentages do not add up to 100"; }
for f in demo_hot demo_warm demo_cool demo_cold; do
	grep -q "$f  *demo-guest.elf" pane || { cat pane >&2; fail "$f not on screen"; }
done
grep -q '^             samples  pcnt function' pane || { cat pane >&2; fail "no column titles"; }
grep -q 'view: guest ' pane || { cat pane >&2; fail "status line missing"; }

$TM send-keys -t $S h
wait_for 'view: host '
grep -q 'demo_hot' pane && { cat pane >&2; fail "host view shows guest functions"; }
$TM send-keys -t $S h
wait_for 'view: guest+host '
$TM send-keys -t $S h
wait_for 'view: guest '
$TM send-keys -t $S Down
$TM send-keys -t $S d
wait_for 'dso: demo-guest.elf '
$TM send-keys -t $S d
wait_for 'dso: all '

$TM send-keys -t $S q
wait_for '^EXITED '
grep -q '^EXITED 0$' pane || { cat pane >&2; cat top.err >&2; fail "top did not exit 0"; }
[ "$($TM display -p -t $S '#{alternate_on}')" = 0 ] || fail "alternate screen left on after q"
grep -q 'PerfTop' pane && { cat pane >&2; fail "the top screen was left behind"; }

# a crash (SIGSEGV from outside) still gives the terminal back; SIGTERM is a clean quit
for sig in SEGV TERM; do
	S=$sig
	$TM new-session -d -s $S -x 120 -y 40 "$T/run.sh" || fail "tmux new-session failed"
	wait_for 'PerfTop:'
	pane_pid=$($TM display -p -t $S '#{pane_pid}')
	top_pid=$(pgrep -P "$pane_pid" kvmprof) || fail "cannot find the top process under $pane_pid"
	kill -$sig "$top_pid"
	wait_for '^EXITED '
	[ "$($TM display -p -t $S '#{alternate_on}')" = 0 ] || fail "SIG$sig left the alternate screen on"
	want=0
	[ $sig = SEGV ] && want=139
	grep -q "^EXITED $want\$" pane || { cat pane >&2; fail "SIG$sig: want exit status $want"; }
done
demo_guest_stop
exit 0
