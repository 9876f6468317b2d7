#!/bin/sh
# kvmprof report vs Linux perf 6.1 (the oracle) on a host profile with callchains:
# rows, order, widths and percentages must be identical (perf's random tip line
# is the only line left out).
. "$(dirname "$0")/lib.sh"
need_perf

cat >spin.c <<'EOC'
static volatile unsigned long x;
__attribute__((noinline)) void hot1(long n) { for (long i = 0; i < n; i++) x += i; }
__attribute__((noinline)) void hot2(long n) { for (long i = 0; i < n; i++) x ^= i; }
__attribute__((noinline)) void cold(long n) { for (long i = 0; i < n; i++) x -= i; }
int main(void)
{
	for (int r = 0; r < 8; r++) {
		hot1(20000000);
		hot2(10000000);
		cold(2000000);
	}
	return 0;
}
EOC
${CC:-cc} -O1 -g -o spin spin.c || skip "no C compiler"
perf record -q -g -e cpu-clock -F 2000 -o host.data -- sh -c './spin & ./spin; wait' \
	>/dev/null 2>&1 || skip "perf record does not work here"


for o in "" "--no-children" "--sort pid" "--sort comm,dso" "--showcpuutilization" "-n" \
	"--sort sym,comm --no-children" "--sort dso,pid,cpu -n" "--percent-limit 2" "-q" \
	"-n --showcpuutilization --no-children"; do
	# a plain perf report is kvmprof --host --no-guest
	compare_with_perf "--host --no-guest report -i host.data -g none $o" \
		"report -i host.data -g none $o"
	# perf kvm --host report is kvmprof --host report (guest columns appear)
	compare_with_perf "--host -i host.data report -g none $o" \
		"kvm --host -i host.data report -g none $o"
done
# the header block from the data layer replaces the first comment line
compare_with_perf "--host --no-guest report -i host.data -g none --header" \
	"report -i host.data -g none --header"
compare_with_perf "--host --no-guest report -i host.data --header-only" \
	"report -i host.data --header-only"
# host kernel symbols from a copy of kallsyms
if [ -r /proc/kallsyms ]; then
	cp /proc/kallsyms kallsyms.copy
	compare_with_perf "--host --no-guest report -i host.data -g none --kallsyms kallsyms.copy" \
		"report -i host.data -g none --kallsyms kallsyms.copy"
fi
# guest-only view of a host file: every sample is filtered, only the totals remain
compare_with_perf "-i host.data report -g none" "kvm -i host.data report -g none"

# several events, no callchains: one block per event, Overhead only
perf record -q -e cpu-clock -e task-clock -F 1000 -o two.data -- ./spin >/dev/null 2>&1 ||
	fail "perf record with two events"
compare_with_perf "--host --no-guest report -i two.data" "report -i two.data"
compare_with_perf "--host --no-guest report -i two.data --sort comm,sym -n" \
	"report -i two.data --sort comm,sym -n"
exit 0
