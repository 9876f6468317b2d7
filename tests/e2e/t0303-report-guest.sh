#!/bin/sh
# kvmprof report vs perf kvm report (Linux perf 6.1) on real guest profiles:
# the bundled demo guest runs native CPL3 code, sampled as GUEST_USER.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/demo-lib.sh"
need_perf
need_root
need_demo_guest


demo_guest_start -t 30
# (b) guest only: perf kvm --guest sets exclude_host, keeps exclude_guest clear
perf kvm --guest -o guest.data record -a -e cpu-clock -F 1000 -- sleep 1.5 >/dev/null 2>&1 ||
	fail "perf kvm --guest record"
# (c) host and guest
perf kvm --host --guest -o kvm.data record -a -e cpu-clock -F 1000 -- sleep 1.5 >/dev/null 2>&1 ||
	fail "perf kvm --host --guest record"
demo_guest_stop

perf kvm -i guest.data report --stdio 2>/dev/null | grep -q '\[u\] 0x' ||
	skip "no GUEST_USER samples recorded (is the guest running natively here?)"

for f in guest.data kvm.data; do
	for o in "" "-n" "--showcpuutilization" "--sort pid" "--sort comm,dso,sym -n" \
		"--sort dso,sym" "--percent-limit 1"; do
		compare_with_perf "-i $f report $o" "kvm -i $f report $o"
		compare_with_perf "--host -i $f report $o" "kvm --host -i $f report $o"
	done
	# a plain perf report hides guest samples (they still count in the total)
	compare_with_perf "--host --no-guest report -i $f" "report -i $f"
	compare_with_perf "--host --no-guest report -i $f --showcpuutilization" \
		"report -i $f --showcpuutilization"
	# guest kernel symbols from a copy of the guest's kallsyms
	compare_with_perf "--guestkallsyms=$DEMO_KALLSYMS -i $f report" \
		"kvm --guestkallsyms=$DEMO_KALLSYMS -i $f report"
	compare_with_perf "--host --guestkallsyms=$DEMO_KALLSYMS -i $f report -n" \
		"kvm --host --guestkallsyms=$DEMO_KALLSYMS -i $f report -n"
done
exit 0
