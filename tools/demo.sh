#!/bin/sh
# demo.sh [BUILD_DIR] - what `make demo` runs: start the bundled demo guest
# (kvmprof-demo-guest), record a cpu-clock profile of it from the host, stop it
# and show the report.  The guest's four functions cost hot=50, warm=30, cool=15,
# cold=5 percent of its CPU time, so the report should show about those shares.
#
# Recording uses `kvmprof --guest --guestmount=DIR record -p PID -- sleep N` when
# the build has it (it reads DIR/PID/guest-user.maps, written by the demo guest,
# to name guest user samples), else Linux perf (`perf kvm --guest record`) plus
# tools/demo-guest/add-guest-mmap.py, which adds that GUEST_USER mmap.  The
# report uses `kvmprof report` when the build has it, else Linux perf's.  When
# the build has `kvmprof stat`, a second, short guest run is recorded with
# `kvmprof stat record` and its PIO/MMIO/MSR accesses summarized by
# `kvmprof stat report`.
# Environment: DEMO_SECONDS (recording time, default 3), DEMO_MIX (--mix value).
set -u
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
KP=$BUILD/kvmprof
GUEST=$BUILD/tools/kvmprof-demo-guest
SECS=${DEMO_SECONDS:-3}
MIX=${DEMO_MIX:-hot=50,warm=30,cool=15,cold=5}

die() { echo "demo: $*" >&2; exit 1; }
has_cmd() { "$KP" "$1" --help >/dev/null 2>&1; }

[ -x "$KP" ] || die "$KP is not built (run 'make' first)"
[ -x "$GUEST" ] || die "$GUEST is not built (run 'make' first)"
[ -c /dev/kvm ] || die "/dev/kvm is missing: the demo runs a KVM guest; load KVM ('modprobe kvm_intel' or 'modprobe kvm_amd') or run it on a machine with virtualization enabled"

# The one switch: who records.
if has_cmd record; then RECORDER=kvmprof; else RECORDER=perf; fi
if has_cmd report; then REPORTER=kvmprof; else REPORTER=perf; fi
if has_cmd stat; then STATTER=kvmprof; else STATTER=; fi
if [ $RECORDER = perf ] || [ $REPORTER = perf ]; then
	command -v perf >/dev/null 2>&1 || die "this build has no 'kvmprof record'/'report' yet and Linux perf is not installed (apt-get install linux-perf)"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kvmprof-demo.XXXXXX")
GM=$WORK/guests
DATA=$WORK/perf.data.guest
GPID=""
trap '[ -n "$GPID" ] && kill -TERM "$GPID" 2>/dev/null' EXIT

# record DATA PID SECONDS: a guest cpu-clock profile of VMM PID
record() {
	case $RECORDER in
	kvmprof)
		"$KP" --guest --guestmount="$GM" -o "$1" record -q -e cpu-clock -p "$2" -- sleep "$3"
		;;
	perf)
		perf kvm --guest --guestmount="$GM" record -q -o "$1" -e cpu-clock -p "$2" \
			-- sleep "$3" &&
		python3 "$SRC/tools/demo-guest/add-guest-mmap.py" "$1" "$1.named" \
			--elf "$GM/$2/demo-guest.elf" --pid "$2" --comm demo-guest &&
		mv "$1.named" "$1"
		;;
	esac
}

report() {
	case $REPORTER in
	kvmprof) "$KP" --guest --guestmount="$GM" -i "$1" report --stdio ;;
	perf) perf kvm --guest --guestmount="$GM" -i "$1" report --stdio 2>/dev/null ;;
	esac
}

echo "== starting the demo guest (mix $MIX, plus 1000 PIO/MMIO/MSR/CPUID actions each)"
"$GUEST" -t 120 --mix "$MIX" --guestmount "$GM" --ready "$WORK/ready" \
	--pio-out 1000 --pio-in 1000 --mmio-write 1000 --mmio-read 1000 \
	--msr-read 1000 --msr-write 1000 --cpuid 1000 >"$WORK/guest.out" 2>"$WORK/guest.err" &
GPID=$!
i=0
while [ ! -f "$WORK/ready" ]; do
	kill -0 "$GPID" 2>/dev/null || { cat "$WORK/guest.err" >&2; GPID=""; die "the demo guest failed to start"; }
	i=$((i + 1))
	[ $i -lt 400 ] || die "the demo guest did not start within 20 s"
	sleep 0.05
done

echo "== recording guest pid $GPID for $SECS s with $RECORDER"
record "$DATA" "$GPID" "$SECS" || die "recording failed"
kill -TERM "$GPID"
wait "$GPID" || { cat "$WORK/guest.err" >&2; die "the demo guest failed"; }
GPID=""
cat "$WORK/guest.out"

echo "== report ($REPORTER)"
[ $REPORTER = perf ] && echo "(this build has no 'kvmprof report' yet: showing Linux perf's report of the same file)"
report "$DATA" || die "report failed"

# KVM events: a short guest run from its first instruction, so every action is seen
if [ -n "$STATTER" ]; then
	KVMDATA=$WORK/perf.data.kvm
	echo "== KVM events of a short guest run (kvmprof stat record + kvmprof stat report)"
	if "$KP" -o "$KVMDATA" stat record -- "$GUEST" -t 20 --exit-after-actions \
		--pio-out 1000 --pio-in 1000 --mmio-write 1000 --mmio-read 1000 \
		--msr-read 1000 --msr-write 1000 >"$WORK/stat.out" 2>"$WORK/stat.err"; then
		for ev in ioport mmio msr; do
			"$KP" -i "$KVMDATA" stat report --event=$ev ||
				echo "(kvmprof stat report --event=$ev failed)"
		done
	else
		sed -n '1,5p' "$WORK/stat.err"
		echo "(kvmprof stat record failed: no KVM tracepoints here?)"
	fi
fi
echo "== files kept in $WORK (perf.data.guest; guests/<pid>/ holds the guest's kallsyms and ELF)"
