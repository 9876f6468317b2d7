#!/bin/sh
# Corrupt perf.data files: a clear "error: 'FILE': ..." and exit 1, never a crash.
. "$(dirname "$0")/lib.sh"
FIX="$SRCDIR/tests/fixtures/data/cpu-clock-z.data"

expect_fail 1 "bad magic" sh -c "printf 'NOTAPERFFILE....' >m.data; \"$KP\" report --stdio -i m.data"
expect_fail 1 "m.data" "$KP" report --stdio -i m.data
head -c 50 "$FIX" >short.data
expect_fail 1 "short.data" "$KP" report --stdio -i short.data
# cut inside the data section (data offset 264, size 4775)
head -c 1000 "$FIX" >cut.data
expect_fail 1 "past the end" "$KP" report --stdio -i cut.data
# record size 0 at the start of the data section
cp "$FIX" zero.data
printf '\000\000' | dd of=zero.data bs=1 seek=$((264 + 6)) conv=notrunc 2>/dev/null
expect_fail 1 "record of size 0" "$KP" report --stdio -i zero.data
# attr size out of range
cp "$FIX" attr.data
printf '\310\000\000\000' | dd of=attr.data bs=1 seek=$((120 + 4)) conv=notrunc 2>/dev/null
expect_fail 1 "64..136" "$KP" report --stdio -i attr.data
exit 0
