#!/bin/sh
# stat live on a terminal (tmux): the screen refreshes (interval counter grows), q quits
# with status 0 and the final totals, and the terminal settings are restored.
. "$SRCDIR/tests/e2e/lib.sh"
need_root
command -v tmux >/dev/null || skip "tmux not installed"
[ -d /sys/kernel/tracing/events/kvm ] || [ -d /sys/kernel/debug/tracing/events/kvm ] ||
	skip "no kvm tracepoints"
S=kvmprof-live-$$
tmux -L "$S" new-session -d -s "$S" -x 160 -y 50 "sh" || skip "tmux cannot start"
trap 'tmux -L "$S" kill-server 2>/dev/null; rm -rf "$T"' EXIT
tmux -L "$S" send-keys -t "$S" "stty -a > $T/before; $KP stat live --event=ioport -d 0.2; echo rc=\$? > $T/rc; stty -a > $T/after" Enter
# deadlines, not counts of sleeps: a loaded machine (BPF loading under ASan) is only slower
interval() {
	tmux -L "$S" capture-pane -p -t "$S" | sed -n 's/.*, interval \([0-9]*\)$/\1/p' | tail -1
}
deadline=$(($(date +%s) + 60))
n1=
while [ -z "$n1" ] && [ "$(date +%s)" -lt $deadline ]; do
	sleep 0.1
	n1=$(interval)
done
[ -n "$n1" ] || { tmux -L "$S" capture-pane -p -t "$S" >&2; fail "no table on the screen"; }
n2=$n1
while [ "$n2" -le "$n1" ] && [ "$(date +%s)" -lt $deadline ]; do
	sleep 0.2
	n2=$(interval)
	n2=${n2:-0}
done
[ "$n2" -gt "$n1" ] || fail "the screen did not refresh ($n1 -> $n2)"
tmux -L "$S" send-keys -t "$S" q
while [ ! -s "$T/after" ] && [ "$(date +%s)" -lt $deadline ]; do
	sleep 0.1
done
[ "$(cat "$T/rc" 2>/dev/null)" = rc=0 ] || fail "q did not exit with 0 ($(cat "$T/rc" 2>/dev/null))"
check_same "$T/before" "$T/after"
tmux -L "$S" capture-pane -p -t "$S" -S -60 | grep -q '^Totals since start' || fail "no final totals"
exit 0
