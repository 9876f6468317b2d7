#!/bin/sh
# SIGINT and SIGTERM in the middle of a system-wide recording, and a command that
# exits: the file is finished (valid, readable by Linux perf with the sample count
# kvmprof printed); an existing output is kept as FILE.old.
. "$(dirname "$0")/lib.sh"
need_perf
need_root

for sig in INT TERM; do
	echo previous >s$sig.data
	"$KP" --host record -a -e cpu-clock -o s$sig.data >/dev/null 2>s$sig.err &
	p=$!
	sleep 1
	kill -$sig $p
	wait $p || { cat s$sig.err >&2; fail "SIG$sig: exited $?"; }
	n=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' s$sig.err)
	pn=$(perf report -D -i s$sig.data 2>/dev/null | grep -c 'PERF_RECORD_SAMPLE(')
	[ -n "$n" ] && [ "$n" -gt 0 ] || { cat s$sig.err >&2; fail "SIG$sig: no samples"; }
	[ "$pn" = "$n" ] || fail "SIG$sig: perf sees $pn samples, kvmprof wrote $n"
	[ "$(cat s$sig.data.old)" = previous ] || fail "SIG$sig: old file not kept as .old"
	[ -e s$sig.data.tmp ] && fail "SIG$sig: temporary file left behind"
	if "$KP" report --help >/dev/null 2>&1; then
		"$KP" --host -i s$sig.data report --stdio >/dev/null 2>&1 ||
			fail "SIG$sig: kvmprof report cannot read the file"
	fi
done

# a command that exits ends the recording; its samples are named
"$KP" --host --no-guest record -e cpu-clock -F 2000 -o cmd.data -- \
	sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done' 2>cmd.err ||
	{ cat cmd.err >&2; fail "record -- COMMAND failed"; }
n=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' cmd.err)
pn=$(perf script -i cmd.data 2>/dev/null | wc -l)
[ "$pn" = "$n" ] || fail "command: perf sees $pn samples, kvmprof wrote $n"
perf report -i cmd.data --stdio --sort comm 2>/dev/null | grep -q ' sh *$' ||
	fail "command samples are not attributed to sh"
perf buildid-list -i cmd.data 2>/dev/null | grep -q 'libc' || fail "no build-id for libc"
# a command that cannot run
expect_fail 1 "cannot run 'no-such-command-kp'" "$KP" record -e cpu-clock -o x.data -- no-such-command-kp
exit 0
