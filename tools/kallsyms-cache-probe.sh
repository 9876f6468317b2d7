#!/bin/sh
# kallsyms-cache-probe.sh - hand probes of the kallsyms snapshot cache
# (symbol/kallsyms-cache.h) against Linux perf 6.1 on one host profile:
# every run's report must equal perf report's (tip line aside), whatever the
# state of the cache directory.  Needs root and perf; changes
# kernel.kptr_restrict for about a second (restored) and loads a BPF program
# with bpftool when it can; run it on a test machine only.
#
# usage: tools/kallsyms-cache-probe.sh [-k KVMPROF] [-i PERF.DATA] [-w WORKDIR]
#   -i  a host profile with kernel samples (default: one is recorded)
# Probes: cold/warm/off; cache dir a symlink; cache dir read-only (ro bind
# mount); snapshot owned by another user; snapshot group/world writable;
# snapshot a symlink to a valid snapshot; run as another user (nobody) with
# HOME pointing into root's directory; 10 pairs of concurrent cold runs
# (all 20 outputs equal); kptr_restrict=2 after a warm run (key change: the
# snapshot must not be used); a BPF program loaded after the snapshot was
# written (kallsyms changes, /proc/modules does not); kernel module load/unload
# when the kernel has modules.
# Exit 0: all probes agree; 1: a probe differs (listed).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
KP=$here/build/kvmprof
IN=
W=
while getopts k:i:w: c; do
	case $c in
	k) KP=$(readlink -f "$OPTARG") ;;
	i) IN=$(readlink -f "$OPTARG") ;;
	w) W=$OPTARG ;;
	*) sed -n '2,20p' "$0" >&2; exit 129 ;;
	esac
done
[ -n "$W" ] || W=$(mktemp -d /tmp/kcache-probe.XXXXXX)
mkdir -p "$W" && cd "$W" || exit 1
echo "work directory: $W" >&2
unset KVMPROF_NO_KALLSYMS_CACHE KVMPROF_NO_DEDUP
if [ -z "$IN" ]; then
	perf record -q -a -g -e cpu-clock -F 4000 -o k.data -- sh -c \
		'dd if=/dev/zero of=/dev/null bs=4k count=100000; ls -R /usr >/dev/null' >/dev/null 2>&1 ||
		{ echo "perf record failed" >&2; exit 1; }
	IN=$W/k.data
fi
cp "$IN" in.data && chmod 644 in.data
ARGS="--host --no-guest report -i $W/in.data --stdio --no-children -s dso,sym -g none"
PARGS="report -i $W/in.data --stdio --no-children -s dso,sym -g none"
perf $PARGS 2>/dev/null | grep -v '^# (.*)$' >want
grep -q '\[k\] [a-z_]' want || { echo "no kernel symbol in the profile" >&2; exit 1; }
FAILS=0
ok() { echo "ok   $*"; }
no() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }
# run NAME [env...]: report into NAME.out (tip stripped) and NAME.err (-v)
run() {
	n=$1
	shift
	env "$@" "$KP" -v $ARGS 2>"$n.err" | grep -v '^# (.*)$' >"$n.out"
}
same() { # NAME WHAT: NAME.out equals perf's
	if cmp -s want "$1.out"; then ok "$2"; else
		no "$2 (diff in $W/$1.diff)"; diff -u want "$1.out" >"$1.diff"; fi
}
used() { grep -q 'symbols from the snapshot' "$1.err"; }

# cold, warm, off
C=$W/cache
run cold KVMPROF_CACHE_DIR="$C"; same cold "cold run"
run warm KVMPROF_CACHE_DIR="$C"; same warm "warm run"
used warm && ok "warm run used the snapshot" || no "warm run did not use the snapshot"
run off KVMPROF_CACHE_DIR="$C" KVMPROF_NO_KALLSYMS_CACHE=1; same off "KVMPROF_NO_KALLSYMS_CACHE=1"
SNAP=$C/kallsyms-0.snap

# cache dir a symlink
mkdir -p real && ln -sfn "$W/real" link
run l1 KVMPROF_CACHE_DIR="$W/link"; same l1 "symlinked cache dir, cold"
run l2 KVMPROF_CACHE_DIR="$W/link"; same l2 "symlinked cache dir, warm"
[ -f real/kallsyms-0.snap ] && ok "symlinked dir: snapshot written through the link" ||
	echo "note: symlinked dir: no snapshot written ($(grep -m1 'kallsyms cache' l1.err))"
used l2 && echo "note: symlinked dir: snapshot used" || echo "note: symlinked dir: snapshot not used"

# read-only cache dir (bind mount; root ignores mode bits)
mkdir -p ro && cp "$SNAP" ro/ 2>/dev/null
if mount --bind ro ro 2>/dev/null && mount -o remount,ro,bind ro 2>/dev/null; then
	run ro1 KVMPROF_CACHE_DIR="$W/ro"; same ro1 "read-only cache dir holding a valid snapshot"
	used ro1 && ok "read-only dir: snapshot used" || no "read-only dir: valid snapshot not used"
	umount ro; rm -f ro/*; mount --bind ro ro && mount -o remount,ro,bind ro
	run ro2 KVMPROF_CACHE_DIR="$W/ro"; same ro2 "empty read-only cache dir"
	run ro3 KVMPROF_CACHE_DIR="$W/ro/sub/dir"; same ro3 "cache dir to create under a read-only one"
	umount ro
else
	echo "note: no read-only bind mount here: read-only probe skipped"
fi

# snapshot owned by another user / writable by others / a symlink
mkdir -p own && cp "$SNAP" own/ && chown nobody own/kallsyms-0.snap
run own KVMPROF_CACHE_DIR="$W/own"; same own "snapshot owned by nobody"
grep -q 'symbols from the snapshot' own.err && grep -q 'snapshot' own.err &&
	[ "$(stat -c %U own/kallsyms-0.snap)" = nobody ] && no "a snapshot owned by nobody was used"
mkdir -p ww && cp "$SNAP" ww/ && chmod 666 ww/kallsyms-0.snap
run ww KVMPROF_CACHE_DIR="$W/ww"; same ww "world-writable snapshot"
if [ "$(stat -c %a ww/kallsyms-0.snap)" = 666 ] && used ww; then no "a world-writable snapshot was used"; fi
mkdir -p sl && cp "$SNAP" sl/target && ln -s target sl/kallsyms-0.snap
run sl KVMPROF_CACHE_DIR="$W/sl"; same sl "snapshot path a symlink"
[ -L sl/kallsyms-0.snap ] && used sl && no "a symlinked snapshot was followed"

# another user with HOME in root's directory (sudo -E style) and its own dir
mkdir -p home && chmod 755 home
if command -v runuser >/dev/null; then
	chmod 755 "$W"
	rm -rf "$W/nbhome"; mkdir -p "$W/nbhome" && chown nobody "$W/nbhome"
	runuser -u nobody -- env HOME="$W/nbhome" XDG_CACHE_HOME= KVMPROF_CACHE_DIR= \
		"$KP" -v $ARGS 2>nb.err | grep -v '^# (.*)$' >nb.out
	runuser -u nobody -- sh -c "perf $PARGS 2>/dev/null" | grep -v '^# (.*)$' >nb.want
	if cmp -s nb.want nb.out; then ok "run as nobody (cold)"; else
		no "run as nobody (cold) differs from perf run as nobody"; diff -u nb.want nb.out >nb.diff; fi
	runuser -u nobody -- env HOME="$W/nbhome" XDG_CACHE_HOME= KVMPROF_CACHE_DIR= \
		"$KP" -v $ARGS 2>nb2.err | grep -v '^# (.*)$' >nb2.out
	cmp -s nb.want nb2.out && ok "run as nobody (warm)" || no "run as nobody (warm) differs"
	ls -la "$W/nbhome/.cache/kvmprof" 2>/dev/null | sed 's/^/     /'
	# root with nobody's cache dir: root's snapshot goes in nobody's directory
	run rootnb KVMPROF_CACHE_DIR="$W/nbhome/.cache/kvmprof"; same rootnb "root, cache dir owned by nobody"
fi

# 10 pairs of concurrent cold runs
rm -rf conc; mkdir conc
i=0
while [ $i -lt 10 ]; do
	rm -f conc/kallsyms-0.snap
	run c$i.a KVMPROF_CACHE_DIR="$W/conc" & run c$i.b KVMPROF_CACHE_DIR="$W/conc" &
	wait
	i=$((i + 1))
done
bad=0
for f in c*.out; do cmp -s want "$f" || { bad=1; echo "     $f differs"; }; done
[ $bad = 0 ] && ok "10 concurrent pairs: 20 outputs equal perf's" || no "concurrent runs differ"
ls conc | grep -v '^kallsyms-0.snap$' | sed 's/^/     leftover: /'
run cw KVMPROF_CACHE_DIR="$W/conc"; same cw "warm after concurrent writers"
used cw && ok "snapshot left by the concurrent writers is valid" || no "concurrent writers left no valid snapshot"

# kptr_restrict=2: addresses hidden even to root; the key must change
kr=$(cat /proc/sys/kernel/kptr_restrict)
run pre KVMPROF_CACHE_DIR="$C"
if echo 2 >/proc/sys/kernel/kptr_restrict 2>/dev/null; then
	perf $PARGS 2>/dev/null | grep -v '^# (.*)$' >want.kr
	run kr KVMPROF_CACHE_DIR="$C"
	run krn KVMPROF_CACHE_DIR="$C" KVMPROF_NO_KALLSYMS_CACHE=1
	echo "$kr" >/proc/sys/kernel/kptr_restrict
	used kr && no "kptr_restrict=2: snapshot still used"
	cmp -s want.kr kr.out && ok "kptr_restrict=2 equals perf" ||
		{ no "kptr_restrict=2 differs from perf"; diff -u want.kr kr.out >kr.diff; }
	cmp -s krn.out kr.out && ok "kptr_restrict=2: cache on == off" || no "kptr_restrict=2: cache on != off"
fi
echo "$kr" >/proc/sys/kernel/kptr_restrict

# a BPF program loaded after the snapshot: kallsyms grows, /proc/modules unchanged
if command -v bpftool >/dev/null && [ -d /sys/fs/bpf ]; then
	run b0 KVMPROF_CACHE_DIR="$C"
	nb0=$(grep -c '\[bpf\]' /proc/kallsyms)
	cat >xdp.c <<'EOC'
__attribute__((section("xdp"), used)) int qa_probe_prog(void *ctx) { return 2; }
char _license[] __attribute__((section("license"), used)) = "GPL";
EOC
	if clang -O2 -target bpf -c xdp.c -o xdp.o 2>/dev/null &&
	   bpftool prog load xdp.o /sys/fs/bpf/qa_probe_prog 2>/dev/null; then
		echo "     [bpf] kallsyms lines: $nb0 -> $(grep -c '\[bpf\]' /proc/kallsyms)"
		perf $PARGS 2>/dev/null | grep -v '^# (.*)$' >want.bpf
		run b1 KVMPROF_CACHE_DIR="$C"
		run b1n KVMPROF_CACHE_DIR="$C" KVMPROF_NO_KALLSYMS_CACHE=1
		rm -f /sys/fs/bpf/qa_probe_prog
		cmp -s want.bpf b1.out && ok "BPF program loaded: report equals perf" ||
			{ no "BPF program loaded: differs from perf"; diff -u want.bpf b1.out >b1.diff; }
		cmp -s b1n.out b1.out && ok "BPF program loaded: cache on == off" || no "BPF program loaded: cache on != off"
		used b1 && echo "     (snapshot used with the BPF program loaded)"
	else
		echo "note: no BPF program could be loaded (clang -target bpf / bpftool): probe skipped"
	fi
fi

# kernel modules
if [ -r /proc/modules ]; then
	for m in dummy loop; do
		modinfo "$m" >/dev/null 2>&1 || continue
		lsmod | grep -q "^$m " && continue
		run m0 KVMPROF_CACHE_DIR="$C"
		modprobe "$m" || continue
		perf $PARGS 2>/dev/null | grep -v '^# (.*)$' >want.m1
		run m1 KVMPROF_CACHE_DIR="$C"
		used m1 && no "module $m loaded: snapshot still used"
		cmp -s want.m1 m1.out && ok "module $m loaded" || no "module $m loaded: differs from perf"
		rmmod "$m"
		run m2 KVMPROF_CACHE_DIR="$C"
		cmp -s want m2.out && ok "module $m unloaded" || no "module $m unloaded: differs from perf"
		break
	done
else
	echo "note: /proc/modules missing (kernel without modules): module probe skipped"
fi

echo "$FAILS probe(s) failed"
[ $FAILS = 0 ]
