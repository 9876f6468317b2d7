#!/bin/sh
# kvmprof record killed with SIGKILL at random moments: the FILE.tmp it leaves has a
# provisional header (data size 0, no features).  kvmprof report reads it, says the
# recording was interrupted and how many rounds it recovered, and loses nothing:
# every complete record in the file (counted independently by fault-scan.py) is
# delivered, every round the recorder finished is there.
. "$(dirname "$0")/lib.sh"
need_root
SCAN=$SRCDIR/tests/e2e/fault-scan.py
for i in 1 2 3; do
	rm -f k.data k.data.tmp
	"$KP" --host record -a -F 2000 -e cpu-clock -o k.data -- sleep 60 >rec.out 2>rec.err &
	pid=$!
	# a random moment between 2.5 and 6 s (the first drain round is after ~1 s)
	ms=$(( 2500 + $(od -An -N2 -tu2 /dev/urandom) % 3500 ))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -0 "$pid" 2>/dev/null || { cat rec.err >&2; fail "record exited before the kill"; }
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	[ -f k.data.tmp ] || fail "run $i: no k.data.tmp after SIGKILL at ${ms} ms"
	[ ! -f k.data ] || fail "run $i: k.data exists although the recorder never finished"
	scan=$(python3 "$SCAN" k.data.tmp) || fail "fault-scan.py failed"
	echo "run $i: killed at ${ms} ms: $scan" >&2
	eval "$(echo "$scan" | tr ' ' '\n' | sed -n 's/^\(samples\|rounds\)=/\1=/p')"
	[ "$rounds" -ge 1 ] || fail "run $i: no complete round reached the file in ${ms} ms"
	"$KP" --host -i k.data.tmp report --stdio >rep.out 2>rep.err ||
		{ cat rep.err >&2; fail "run $i: report failed on the killed recording"; }
	grep -q "recording was interrupted; recovering $rounds complete rounds" rep.err ||
		{ cat rep.err >&2; fail "run $i: no recovery warning with $rounds rounds"; }
	grep -q "cpu-clock" rep.out || fail "run $i: report shows no cpu-clock table"
	n=$("$KP" --host -i k.data.tmp script 2>/dev/null | wc -l)
	[ "$n" = "$samples" ] || fail "run $i: script shows $n samples, the file holds $samples"
done
# a recording cut inside a record (the disk got only part of a write): the records
# before the cut are all there, the partial one is named and ignored
python3 - k.data.tmp cut.data <<'PY'
import sys
b = open(sys.argv[1], 'rb').read()
open(sys.argv[2], 'wb').write(b[:-5])
PY
"$KP" --host -i cut.data report --stdio >/dev/null 2>cut.err || { cat cut.err >&2; fail "report failed on a cut file"; }
grep -q "the incomplete record at the end is ignored" cut.err || { cat cut.err >&2; fail "no cut warning"; }
scan=$(python3 "$SCAN" cut.data)
samples=$(echo "$scan" | sed 's/.*samples=\([0-9]*\).*/\1/')
n=$("$KP" --host -i cut.data script 2>/dev/null | wc -l)
[ "$n" = "$samples" ] || fail "cut file: script shows $n samples, the file holds $samples complete ones"
exit 0
