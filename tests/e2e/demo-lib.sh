# Sourced by e2e tests that run the bundled demo guest (after lib.sh).  Provides:
#   DEMO_GUEST         the kvmprof-demo-guest binary (override with KVMPROF_DEMO_GUEST)
#   DEMO_ADD_MMAP      tools/demo-guest/add-guest-mmap.py (names guest samples in a perf file)
#   need_demo_guest    skip (77) unless /dev/kvm works and the binary is built
#   demo_guest_start [ARGS]   start a guest in the background with ARGS (default run time
#                      60 s unless ARGS has -t) and wait until every vCPU runs the mix; sets
#                      and exports DEMO_PID, DEMO_KALLSYMS (guest kernel kallsyms), DEMO_ELF
#                      (guest image with symbols), DEMO_OUT/DEMO_ERR (its stdout/stderr)
#   demo_guest_stop    SIGTERM the last started guest, wait, fail unless it exited 0;
#                      its summary line is then in DEMO_SUMMARY
#   demo_guestmount_home   for --guestmount tests: directories gm and home in $T,
#                      HOME=$T/home (a private build-id cache for kvmprof and perf),
#                      PERF_BUILDID_DIR unset
#   demo_record_guest MIX OUT   start a guest with --guestmount $T/gm --mix MIX, record
#                      it for 2 s with kvmprof --guest --guestmount=$T/gm record -p
#                      (stdout/stderr in rec.out/rec.err) into OUT, stop it
#   demo_wait_pio PID ERRFILE ID   wait (15 s at most) until the guest PID started with
#                      --pio-out (stderr in ERRFILE) does PIO: a 0.5 s kvmprof stat record
#                      -a holds samples of tracepoint id ID (kvm:kvm_pio), by fault-scan.py
# Guests still running when the test exits are killed.  Several may run at once:
# each start gets its own files under $T.
DEMO_GUEST=${KVMPROF_DEMO_GUEST:-${BUILDDIR:-$(dirname "$KP")}/tools/kvmprof-demo-guest}
DEMO_ADD_MMAP=$SRCDIR/tools/demo-guest/add-guest-mmap.py
DEMO_PIDS=""
DEMO_N=0
trap 'for p in $DEMO_PIDS; do kill -TERM "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"' EXIT

need_demo_guest() {
	need_kvm
	[ -x "$DEMO_GUEST" ] || skip "demo guest not built: $DEMO_GUEST"
}

demo_guest_start() {
	need_demo_guest
	DEMO_N=$((DEMO_N + 1))
	DEMO_KALLSYMS=$T/demo$DEMO_N.kallsyms
	DEMO_ELF=$T/demo$DEMO_N.elf
	DEMO_OUT=$T/demo$DEMO_N.out
	DEMO_ERR=$T/demo$DEMO_N.err
	_ready=$T/demo$DEMO_N.ready
	"$DEMO_GUEST" -t 60 --kallsyms "$DEMO_KALLSYMS" --elf "$DEMO_ELF" --ready "$_ready" \
		"$@" >"$DEMO_OUT" 2>"$DEMO_ERR" &
	DEMO_PID=$!
	DEMO_PIDS="$DEMO_PIDS $DEMO_PID"
	export DEMO_PID DEMO_KALLSYMS DEMO_ELF DEMO_OUT DEMO_ERR
	_i=0
	while [ ! -f "$_ready" ]; do
		if ! kill -0 "$DEMO_PID" 2>/dev/null; then
			wait "$DEMO_PID"
			cat "$DEMO_ERR" >&2
			fail "demo guest exited ($?) before it was running: $DEMO_GUEST $*"
		fi
		_i=$((_i + 1))
		[ $_i -lt 400 ] || fail "demo guest did not start within 20 s"
		sleep 0.05
	done
}

demo_guest_stop() {
	kill -TERM "$DEMO_PID" 2>/dev/null
	wait "$DEMO_PID"
	_rc=$?
	DEMO_PIDS=$(echo "$DEMO_PIDS" | sed "s/ $DEMO_PID\b//")
	[ $_rc = 0 ] || { cat "$DEMO_ERR" >&2; fail "demo guest exited $_rc"; }
	DEMO_SUMMARY=$(cat "$DEMO_OUT")
}

demo_guestmount_home() {
	mkdir -p "$T/gm" "$T/home"
	HOME=$T/home
	export HOME
	unset PERF_BUILDID_DIR
}

demo_record_guest() {
	demo_guest_start --guestmount "$T/gm" --mix "$1"
	"$KP" --guest --guestmount="$T/gm" record -e cpu-clock -o "$2" -p "$DEMO_PID" -- sleep 2 \
		>rec.out 2>rec.err || { cat rec.err >&2; fail "kvmprof record exited $?"; }
	demo_guest_stop
}

demo_wait_pio() {
	_i=0
	while :; do
		kill -0 "$1" 2>/dev/null || { cat "$2" >&2; fail "demo guest did not start"; }
		"$KP" -o probe.data stat record -a -- sleep 0.5 >/dev/null 2>&1
		_n=$(python3 "$SRCDIR/tests/e2e/fault-scan.py" probe.data | tr ' ' '\n' |
		     sed -n "s/^config$3=//p")
		[ "${_n:-0}" -gt 0 ] && break
		_i=$((_i + 1))
		[ $_i -lt 30 ] || fail "the demo guest does no PIO after 15 s"
	done
}
