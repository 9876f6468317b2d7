#!/bin/sh
# Guest files are untrusted: a symlink out of DIR/PID, a 2 GB kallsyms line
# (sparse file), binary garbage in proc/modules, a notes file with bad sizes.
# Each: a warning naming the file, that guest left unsymbolized, the other
# guest still symbolized, exit 0, no crash (ASan builds run this too).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 (fixture generator) is missing"
GEN=$SRCDIR/tests/fixtures/guests/gen-guests.py
unset DEBUGINFOD_URLS
python3 "$GEN" two.data --guestmount gm || fail "generator failed"
python3 "$GEN" nomod.data --no-module-mmap --no-buildid || fail "generator failed"
echo 'ffffffff81000100 T host_secret_symbol' >"$T/secret.ks"

run() { # NAME DATA: break guest 5001 in gm-NAME (already prepared), check
	"$KP" --guestmount="gm-$1" -i "$2" report --stdio -s dso,sym >"out-$1" 2>"err-$1" ||
		{ cat "err-$1" >&2; fail "$1: report exited $?"; }
	grep -q "gm-$1/5001" "err-$1" || { cat "err-$1" >&2; fail "$1: no warning naming the file"; }
	grep -q 'g5001_\|host_secret' "out-$1" && { cat "out-$1" >&2; fail "$1: guest 5001 symbolized"; }
	grep -q '\[guest.kernel.kallsyms.5001\]  *\[g\] 0xffffffff8120010' "out-$1" ||
		{ cat "out-$1" >&2; fail "$1: guest 5001 samples missing"; }
	grep -q '\[guest.kernel.kallsyms.5002\]  *\[g\] g5002_alpha$' "out-$1" ||
		{ cat "out-$1" >&2; fail "$1: the other guest lost its symbols"; }
}
cp -r gm gm-symlink && rm gm-symlink/5001/proc/kallsyms &&
	ln -s "$T/secret.ks" gm-symlink/5001/proc/kallsyms
run symlink two.data
cp -r gm gm-relsym && rm gm-relsym/5001/proc/kallsyms &&
	ln -s ../../../../../../../../../../"$T/secret.ks" gm-relsym/5001/proc/kallsyms
run relsym two.data
cp -r gm gm-dirsym && rm -r gm-dirsym/5001/proc && mkdir -p "$T/hostproc" &&
	cp "$T/secret.ks" "$T/hostproc/kallsyms" && ln -s "$T/hostproc" gm-dirsym/5001/proc
run dirsym two.data
cp -r gm gm-longline && truncate -s 2G gm-longline/5001/proc/kallsyms
run longline two.data
grep -q 'longer than 4096 bytes' err-longline || fail "longline: no line length warning"
cp -r gm gm-modules && head -c 4096 /dev/urandom >gm-modules/5001/proc/modules
run modules nomod.data
cp -r gm gm-notes &&
	printf '\004\000\000\000\377\377\377\177\003\000\000\000GNU\000' >gm-notes/5001/sys/kernel/notes
run notes nomod.data
grep -q 'no valid GNU build-id note' err-notes || fail "notes: no warning about the note"
exit 0
