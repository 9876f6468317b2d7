#!/bin/sh
# User-space and kernel symbols of a host profile (C and C++ programs built
# here, shared library, stripped binary, PLT, vdso): kvmprof report and script
# vs perf 6.1 on the same file.
. "$(dirname "$0")/lib.sh"
need_perf
command -v cc >/dev/null 2>&1 || skip "no C compiler"
command -v c++ >/dev/null 2>&1 || skip "no C++ compiler"

cat >lib.c <<'EOS'
__attribute__((noinline)) long lib_work(long n) { volatile long s = 0; for (long i = 0; i < n; i++) s += i; return s; }
EOS
cat >main.cc <<'EOS'
#include <time.h>
#include <vector>
extern "C" long lib_work(long);
namespace ns { template <typename T> __attribute__((noinline)) T sum(const std::vector<T> &v)
{ T s = 0; for (int r = 0; r < 40; r++) for (auto x : v) s += x; return s; } }
static __attribute__((noinline)) long local_spin(long n) { volatile long s = 0; for (long i = 0; i < n; i++) s += i; return s; }
int main() { std::vector<double> d(100000, 1.5); long t = 0; struct timespec ts;
  for (int i = 0; i < 60; i++) { t += (long)ns::sum(d); t += lib_work(300000); t += local_spin(300000);
    for (int j = 0; j < 20000; j++) clock_gettime(CLOCK_MONOTONIC, &ts); }
  return (int)(t & 1); }
EOS
cc -O1 -shared -fPIC -o libw.so lib.c || fail "cc"
c++ -O1 -o work main.cc -L. -lw -Wl,-rpath,"$T" || fail "c++"
cp work work-stripped && strip work-stripped
perf record -q -g -e cpu-clock -F 4000 -o host.data -- sh -c './work; ./work-stripped' \
	>/dev/null 2>&1 || skip "perf record does not work here"

strip_tip() { grep -v '^# (' | grep -v '^$'; }
for mode in --no-children --children; do
	perf report -i host.data --stdio $mode -g none --sort dso,sym 2>/dev/null | strip_tip >want
	$KP --host -i host.data report --stdio $mode -g none -s dso,sym 2>err | strip_tip >got
	check_same want got
done
grep -q 'ns::sum<double>' got || fail "C++ name not demangled as perf"
grep -q 'lib_work' got || fail "shared library symbol missing"
perf script -i host.data >want 2>/dev/null || fail "perf script"
$KP --host -i host.data script >got 2>err || { cat err >&2; fail "kvmprof script"; }
check_same want got
exit 0
