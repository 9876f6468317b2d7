#!/bin/sh
# Malformed symbol files: one error line naming the file, the line and the
# problem; exit 1; no crash (the tests run under ASan in CI).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 (fixture generator) is missing"
FIX=$SRCDIR/tests/fixtures/symbol
python3 "$FIX/gen-guest-data.py" g.data || fail "generator failed"

one_error_line() { # pattern
	[ "$(wc -l <"$T/err")" = 1 ] || { cat "$T/err" >&2; fail "want exactly one line on stderr"; }
	grep -q "$1" "$T/err" || { cat "$T/err" >&2; fail "stderr lacks '$1'"; }
}

printf 'ffffffff81000000 T _text\nffffffff81000040\n' >notype.kallsyms
expect_fail 1 "notype.kallsyms': line 2: expected" \
	$KP --guestkallsyms=notype.kallsyms -i g.data buildid-list
one_error_line "notype.kallsyms': line 2"
printf 'ffffffff81000000 T _text\nffffffff81000040 t\n' >noname.kallsyms
expect_fail 1 "noname.kallsyms': line 2: missing symbol name" \
	$KP --guestkallsyms=noname.kallsyms -i g.data report --stdio
one_error_line "noname.kallsyms': line 2"
printf 'ffffffff81000000 T _text\nnot hex at all\n' >garbage.kallsyms
expect_fail 1 "garbage.kallsyms': line 2" \
	$KP --guestkallsyms=garbage.kallsyms -i g.data buildid-list
head -c 3000 /dev/urandom | tr -d '\n' >random.kallsyms
printf '\n' >>random.kallsyms
expect_fail 1 "random.kallsyms': line 1" $KP --guestkallsyms=random.kallsyms -i g.data buildid-list
one_error_line "random.kallsyms"

printf 'gmod 12288 0 - Live 0xffffffffc0100000\ngarbage\n' >bad.modules
expect_fail 1 "bad.modules': line 2" $KP --guestmodules=bad.modules -i g.data buildid-list
one_error_line "bad.modules': line 2"
printf 'gmod 12288 0 - Live\n' >noaddr.modules
expect_fail 1 "noaddr.modules': line 1: missing or bad load address" \
	$KP --guestmodules=noaddr.modules -i g.data report --stdio
expect_fail 1 "missing.kallsyms" $KP --guestkallsyms=missing.kallsyms -i g.data buildid-list
one_error_line "missing.kallsyms': cannot open"

# a guest vmlinux that is no ELF
printf 'not an elf\n' >vmlinux
expect_fail 1 "vmlinux': not an ELF file" $KP --guestvmlinux=vmlinux -i g.data buildid-list
exit 0
