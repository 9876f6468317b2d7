#!/bin/sh
# kvmprof report --children vs Linux perf 6.1 when a callchain address lands in
# a data symbol (STT_OBJECT) of a PIE executable: perf prints "sym+0xOFF" with
# the offset from the symbol's unmapped start, though it keys callchain
# entries by the raw address.  A fake frame whose return address points 0x10
# into an object placed in .text makes the case on every run (garbage frames
# of code built without frame pointers hit vtables the same way).
. "$(dirname "$0")/lib.sh"
need_perf
[ "$(uname -m)" = x86_64 ] || skip "the fake-frame helper is x86_64 code"

cat >fp.c <<'EOC'
#include "fakefp.h"
/* a data object inside .text, so the executable map covers it */
__asm__(".text\n.globl tbl\n.type tbl, @object\ntbl:\n.zero 64\n.size tbl, 64\n");
extern const char tbl[];
static uint64_t frames[4];
int main(void)
{
	/* one fake frame: no next frame, a return address 0x10 into tbl */
	frames[0] = 0;
	frames[1] = (uint64_t)(uintptr_t)(tbl + 0x10);
	fakefp_spin(frames, 1.0);
	return 0;
}
EOC
command -v "${CC:-cc}" >/dev/null || skip "no C compiler"
${CC:-cc} -O2 -fPIE -pie -fomit-frame-pointer -I"$SRCDIR/tests/e2e" -o fp fp.c || fail "cannot build the fake-frame helper"
perf record -q -g -e cpu-clock -F 2000 -o d.data -- ./fp >/dev/null 2>&1 ||
	skip "perf record -g does not work here"

for args in "--children" "--children -g none" "--children --sort sym" "--children -g caller"; do
	compare_with_perf "--host report -i d.data --stdio $args" "report -i d.data $args"
done
# the case must be there
grep -q '\[\.\] tbl+0x10 *$' got || fail "no 'tbl+0x10' row: the case is not exercised"
exit 0
