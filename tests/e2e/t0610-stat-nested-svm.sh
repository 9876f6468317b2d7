#!/bin/sh
# kvmprof stat on real SVM exits: QEMU (TCG, -cpu max = SVM + NPT) boots Debian's own
# 6.1 kernel as L1 (tests/nested/), whose kvm_amd runs the demo guest as L2, so the real
# kvm:kvm_exit/kvm_entry fire (this host's KVM may not fire them).  In L1, 'kvmprof stat
# record' and 'perf kvm stat record' record the same guest actions; kvmprof and Linux
# perf 6.1 (the oracle, copied into L1 with its libraries) report both files.  Here:
# the vmexit, mmio and ioport tables of the two tools must be equal (same keys, counts,
# percentages and times to 0.01us) up to the deliberate differences of
# kvmprof-stat(1), and the demo guest's exact action counts must show.
# Skips (77) without root, QEMU, busybox, cpio, Linux perf, the Debian kernel package,
# or when L1 does not boot in time.  KVMPROF_NESTED_KEEP=DIR keeps the console log,
# the results and both recorded files there.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/nested/compare.sh"
need_root
need_perf
command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
command -v busybox >/dev/null 2>&1 || skip "busybox is not installed (apt-get install busybox-static)"
command -v cpio >/dev/null 2>&1 || skip "cpio is not installed"
command -v apt-get >/dev/null 2>&1 || skip "not a Debian system (apt-get fetches the L1 kernel)"
DEMO_GUEST=${KVMPROF_DEMO_GUEST:-${BUILDDIR:-$(dirname "$KP")}/tools/kvmprof-demo-guest}
[ -x "$DEMO_GUEST" ] || skip "demo guest not built: $DEMO_GUEST"
N=200 M=50 R=30
BOOT_LIMIT=${KVMPROF_NESTED_BOOT_LIMIT:-90} # seconds until L1's init runs
RUN_LIMIT=${KVMPROF_NESTED_RUN_LIMIT:-240} # seconds for the whole L1 run
t0=$(date +%s)

# what L1 runs: vCPU 0 does the actions, vCPU 1 only computes
DEMO_ARGS="--vcpus 2 --pio-out $N --mmio-write $M --mmio-read $R --msr-read 10 --msr-write 5"
VARIANTS="-|--vcpu=0|--vcpu=1|-k time"
EVENTS="vmexit mmio ioport"
cat >params <<EOF
DEMO_ARGS="$DEMO_ARGS --exit-after-actions -t 60"
VARIANTS="$VARIANTS"
EVENTS="$EVENTS"
KVMPROF_EVENTS=msr
CMD_TIMEOUT=90
ASAN_OPTIONS="${ASAN_OPTIONS:-}"
UBSAN_OPTIONS="${UBSAN_OPTIONS:-}"
EOF
# build the initramfs, boot L1, wait for it; results.txt, console.log, $qrc, $up, $run
boot_l1() {
	KDIR=$("$SRCDIR/tests/nested/fetch-kernel.sh" 2>fetch.err) ||
		skip "no Debian 6.1 kernel for L1: $(cat fetch.err)"

	set -- -f params /params -b "$KP" /bin/kvmprof -b "$DEMO_GUEST" /bin/kvmprof-demo-guest \
		-b "$(command -v perf)" /usr/bin/perf
	[ -d /usr/lib/traceevent/plugins ] && set -- "$@" -f /usr/lib/traceevent/plugins /usr/lib/traceevent/plugins
	"$SRCDIR/tests/nested/mkinitramfs.sh" initrd.gz "$KDIR" "$SRCDIR/tests/nested/init" "$@" ||
		fail "cannot build the L1 initramfs"

	# L1: the kernel console on ttyS0, our results on ttyS1
	: >results.raw
	timeout "$RUN_LIMIT" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 1536 \
		-kernel "$KDIR/vmlinuz" -initrd initrd.gz \
		-append 'console=ttyS0 quiet panic=-1' -display none -monitor none -no-reboot \
		-serial file:console.log -serial file:results.raw >qemu.out 2>&1 &
	qpid=$!
	tq=$(date +%s)
	up=
	while kill -0 $qpid 2>/dev/null; do
		if [ -z "$up" ] && grep -q '^L1-UP' results.raw; then
			up=$(($(date +%s) - tq))
		elif [ -z "$up" ] && [ $(($(date +%s) - tq)) -ge "$BOOT_LIMIT" ]; then
			kill $qpid
			wait $qpid
			tail -n 20 console.log >&2
			skip "L1 did not reach init within $BOOT_LIMIT s (QEMU TCG too slow here?)"
		fi
		sleep 0.5
	done
	wait $qpid
	qrc=$?
	run=$(($(date +%s) - tq))
	tr -d '\r' <results.raw >results.txt
	if [ -n "${KVMPROF_NESTED_KEEP:-}" ]; then
		mkdir -p "$KVMPROF_NESTED_KEEP" && cp console.log results.txt "$KVMPROF_NESTED_KEEP/"
	fi
}
if [ -n "${KVMPROF_NESTED_RESULTS:-}" ]; then
	# debugging: check an earlier run's results (saved by KVMPROF_NESTED_KEEP) again
	tr -d '\r' <"$KVMPROF_NESTED_RESULTS" >results.txt || fail "cannot read $KVMPROF_NESTED_RESULTS"
	: >console.log
	: >qemu.out
	qrc=0 up='' run=0
else
	boot_l1
fi
if ! grep -q '^L1-UP' results.txt; then
	tail -n 20 console.log qemu.out >&2
	[ $qrc = 124 ] && skip "L1 did not reach init within $RUN_LIMIT s"
	skip "L1 did not reach init (QEMU exited $qrc)"
fi
grep '^L1-' results.txt >&2
nokvm=$(grep '^L1-NOKVM' results.txt) && skip "KVM does not load in L1 (no SVM in QEMU's -cpu max?): $nokvm"
grep -q '^L1-DONE' results.txt || { tail -n 30 results.txt console.log >&2; fail "L1 did not finish (QEMU exited $qrc after $run s)"; }

# split the sections: sec/NAME (':' -> '_') and sec/NAME.rc
mkdir sec
awk '/^=== BEGIN / { name = substr($0, 11); gsub(/[:\/]/, "_", name); f = "sec/" name
		printf "" > f; next }
	/^=== END / && f != "" { close(f); f = ""; rc = $0; sub(/.* rc=/, "", rc)
		print rc > ("sec/" name ".rc"); close("sec/" name ".rc"); next }
	f != "" { print > f }' results.txt
for s in krec prec; do
	[ "$(cat sec/$s.rc 2>/dev/null)" = 0 ] ||
		{ cat sec/$s sec/$s.other >&2; fail "recording in L1 ($s) failed"; }
done
grep -q 'wrote [1-9][0-9]* samples' sec/krec || { cat sec/krec >&2; fail "kvmprof stat record -a wrote no samples"; }

n=0
for f in k p; do
	for ev in $EVENTS; do
		i=0
		for v in $(echo "$VARIANTS" | tr ' |' '_ '); do
			k=sec/${f}_${ev}_${i}_kvmprof p=sec/${f}_${ev}_${i}_perf
			what="$ev report ($(echo "$v" | tr _ " ")) of the file written by $([ $f = k ] && echo kvmprof || echo perf)"
			[ "$(cat $k.rc)" = 0 ] || { cat $k $k.other >&2; fail "kvmprof: $what failed"; }
			[ "$(cat $p.rc)" = 0 ] || { cat $p $p.other >&2; fail "perf: $what failed"; }
			# (vCPU 1 makes no accesses)
			[ "$v,$ev" != --vcpu=1,mmio ] && [ "$v,$ev" != --vcpu=1,ioport ] &&
				! grep -q 'Total Samples:[1-9]' $p && { cat $p >&2; fail "perf found nothing: $what"; }
			stat_table $k >k.n
			stat_table $p >p.n
			case $v in
			--vcpu*)
				stat_perf_min_zero p.n ||
					fail "perf 6.1's --vcpu Min Time quirk not seen: $what"
				stat_drop_min <k.n >k.t && mv k.t k.n
				stat_drop_min <p.n >p.t && mv p.t p.n
				;;
			esac
			diff -u p.n k.n >&2 || fail "kvmprof and perf differ: $what"
			n=$((n + 1))
			i=$((i + 1))
		done
	done
done

# the demo guest's exact counts (vCPU 0), in both files
row() { awk -v key="$2" '$1 == key { print $2 }' "sec/${1}_0_kvmprof"; }
for f in k p; do
	[ "$(row ${f}_ioport 0x3f8:POUT)" = $N ] || fail "$f.data: ioport 0x3f8:POUT: want $N, got '$(row ${f}_ioport 0x3f8:POUT)'"
	[ "$(row ${f}_mmio 0x10000000:W)" = $M ] || fail "$f.data: mmio W: want $M, got '$(row ${f}_mmio 0x10000000:W)'"
	[ "$(row ${f}_mmio 0x10000000:R)" = $R ] || fail "$f.data: mmio R: want $R, got '$(row ${f}_mmio 0x10000000:R)'"
	[ "$(row ${f}_vmexit io)" = $N ] || fail "$f.data: vmexit io: want $N, got '$(row ${f}_vmexit io)'"
	npf=$(row ${f}_vmexit npf)
	[ "${npf:-0}" -ge $((M + R)) ] || fail "$f.data: vmexit npf: want at least $((M + R)), got '$npf'"
	grep -q 'UNKNOWN' sec/${f}_vmexit_0_kvmprof && fail "$f.data: an SVM exit reason has no name"
	# perf 6.1 has no msr report: the counts alone.  RDMSR 0x10 (TSC) exits; SVM does
	# not intercept WRMSR to MSR_KERNEL_GS_BASE (0xc0000102), so the writes never show
	[ "$(cat sec/${f}_msr_0_kvmprof.rc)" = 0 ] || { cat sec/${f}_msr_0_kvmprof.other >&2; fail "$f.data: msr report failed"; }
	[ "$(row ${f}_msr 0x10:R)" = 10 ] || fail "$f.data: msr 0x10:R: want 10, got '$(row ${f}_msr 0x10:R)'"
	[ "$(row ${f}_vmexit msr)" = 10 ] || fail "$f.data: vmexit msr: want 10, got '$(row ${f}_vmexit msr)'"
done

# the files themselves, read here too: this host's kvmprof and perf agree on them
for f in k p; do
	base64 -d sec/$f.data.b64 >$f.data || fail "cannot decode $f.data from L1"
	[ -n "${KVMPROF_NESTED_KEEP:-}" ] && cp $f.data "$KVMPROF_NESTED_KEEP/"
	"$KP" -i $f.data stat report --event=vmexit >host.k 2>host.err || { cat host.err >&2; fail "kvmprof on the host cannot read $f.data"; }
	stat_table host.k >k.n
	stat_table sec/${f}_vmexit_0_kvmprof >l1.n
	diff -u l1.n k.n >&2 || fail "$f.data: kvmprof on the host and in L1 differ"
	perf kvm -i $f.data stat report --event=vmexit 2>host.p >/dev/null
	stat_table host.p >p.n
	diff -u p.n k.n >&2 || fail "$f.data: kvmprof and perf differ on the host"
	for ev in vmexit mmio ioport msr; do
		check_threads -i $f.data stat report --event=$ev
	done
done
echo "ok: $n tables equal to perf's; L1 booted in ${up:-?} s, ran $run s, whole test $(($(date +%s) - t0)) s" >&2
