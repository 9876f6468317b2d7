#!/bin/sh
# Bad input to kvmprof stat report: a format that does not parse, truncated tracing
# data, events lacking needed fields, usage errors -> a message naming the problem.
. "$SRCDIR/tests/e2e/lib.sh"
GEN=${GEN_KVM_STAT:?GEN_KVM_STAT not set}
F=$SRCDIR/tests/fixtures/stat
"$GEN" -o ok.data -f "$F/formats-6.18" --isa vmx --seed 3 --exits 200 2>/dev/null || fail "generator"
# usage
expect_fail 129 "unknown --event" "$KP" -i ok.data stat report --event=hcall
expect_fail 129 "unsupported sort key" "$KP" -i ok.data stat report -k percent_sample
expect_fail 129 "invalid --vcpu" "$KP" -i ok.data stat report --vcpu=-2
expect_fail 129 "invalid pid list" "$KP" -i ok.data stat report -p 12x
expect_fail 129 "needs -a, -p PID or a COMMAND" "$KP" -o x.data stat record
# kvm_exit without exit_reason: the report names event and field
mkdir nofield
cp "$F"/formats-6.18/*.format nofield/
sed -i 's/exit_reason;/exit_code;/; s/REC->exit_reason/REC->exit_code/g' nofield/kvm_exit.format
cp "$F/header_page" "$F/header_event" .
"$GEN" -o nofield.data -f nofield --isa vmx --seed 3 --exits 200 2>/dev/null || fail "generator (nofield)"
expect_fail 1 "kvm:kvm_exit has no usable field 'exit_reason'" "$KP" -i nofield.data stat report
# ... but an ioport report does not need it
"$KP" -i nofield.data stat report --event=ioport >/dev/null 2>&1 || fail "ioport report needs no exit_reason"
# a format libtraceevent cannot parse
mkdir broken
cp "$F"/formats-6.18/*.format broken/
sed -i 's/^format:$/formt:/; s/field:unsigned int port;.*/field:unsigned int port;	offset:zz;/' broken/kvm_pio.format
"$GEN" -o broken.data -f broken --isa vmx --seed 3 --exits 200 2>/dev/null || fail "generator (broken)"
"$KP" -i broken.data stat report --event=ioport >out 2>err && fail "a broken kvm_pio format was accepted"
grep -q "kvm_pio" err || { cat err >&2; fail "the message does not name kvm_pio"; }
# truncated file (inside the feature sections, where the tracing data lives)
size=$(stat -c %s ok.data)
head -c $((size - 3000)) ok.data >trunc.data
"$KP" -i trunc.data stat report >out 2>err && fail "a truncated file was accepted"
grep -qi "trunc\|offset" err || { cat err >&2; fail "no clear message for the truncated file"; }
# no CPUID: vmexit cannot tell VMX from SVM
"$GEN" -o nocpu.data -f "$F/formats-6.18" --cpuid "ARM,1" --seed 3 --exits 100 2>/dev/null
expect_fail 1 "is not supported" "$KP" -i nocpu.data stat report
# a file without tracepoints
printf 'not a perf file at all, just text\n' >text.data
"$KP" -i text.data stat report >out 2>err && fail "a text file was accepted"
grep -q "text.data" err || fail "the message does not name the file"
exit 0
