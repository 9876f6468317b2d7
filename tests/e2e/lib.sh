# Sourced by every e2e test.  Provides:
#   KP          the kvmprof binary under test
#   T           a fresh scratch directory (removed on exit)
#   skip MSG    exit 77 (skipped) saying why
#   fail MSG    exit 1 saying why
#   need_perf   skip unless Linux perf (the oracle) runs here
#   need_kvm    skip unless /dev/kvm is usable
#   check_same A B   diff two files, fail with the diff
#   check_threads KP_ARGS...  the same output on one reading thread and on two
set -u
KP=${KVMPROF:?KVMPROF not set (run through meson test)}
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/kvmprof-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
need_perf() {
	command -v perf >/dev/null 2>&1 || skip "Linux perf (the oracle) is not installed"
	perf version >/dev/null 2>&1 || skip "Linux perf does not run here"
}
need_kvm() {
	[ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "/dev/kvm is not available"
}
need_root() { [ "$(id -u)" = 0 ] || skip "needs root (perf_event_open system-wide)"; }
check_same() {
	if ! diff -u "$1" "$2" >"$T/diff.out"; then
		cat "$T/diff.out" >&2
		fail "$1 and $2 differ"
	fi
}
# expect_fail CODE PATTERN CMD... : run CMD, want exit status CODE and PATTERN on stderr
expect_fail() {
	code=$1 pat=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = "$code" ] || { cat "$T/err" >&2; fail "'$*' exited $rc, want $code"; }
	grep -q -- "$pat" "$T/err" || { cat "$T/err" >&2; fail "'$*': stderr lacks '$pat'"; }
}
# check_threads KP_ARGS...: "kvmprof KP_ARGS" prints the same on stdout, and exits
# the same, whether the reader delivers on one thread or on a second one with its
# fast paths (KVMPROF_THREADED=0 / 1; by default that depends on the file's size)
check_threads() {
	KVMPROF_THREADED=0 "$KP" "$@" >"$T/thr0.out" 2>/dev/null
	rc0=$?
	KVMPROF_THREADED=1 "$KP" "$@" >"$T/thr1.out" 2>/dev/null
	rc1=$?
	[ "$rc0" = "$rc1" ] || fail "kvmprof $*: exit $rc0 on one thread, $rc1 on two"
	check_same "$T/thr0.out" "$T/thr1.out"
}
# strip_tip: drop the random "# (tip)" line perf report prints
strip_tip() { grep -v '^# (.*)$'; }
# compare_with_perf KP_ARGS PERF_ARGS: "kvmprof KP_ARGS" must print what
# "perf PERF_ARGS --stdio" prints (tip line aside), on one reading thread and
# on two (check_threads); fail with the diff
compare_with_perf() {
	perf $2 --stdio 2>perf.err | strip_tip >want || { cat perf.err >&2; fail "perf $2"; }
	$KP $1 2>kp.err | strip_tip >got
	[ -s got ] || { cat kp.err >&2; fail "kvmprof $1: no output"; }
	if ! diff -u want got >diff.out; then
		head -60 diff.out >&2
		fail "kvmprof $1 differs from perf $2"
	fi
	# shellcheck disable=SC2086
	check_threads $1
}
# top_headline_ok MIN_GUEST_US: read one PerfTop headline on stdin, print its kernel,
# us, guest kernel and guest us percentages (and their sum) to stderr; status 0 only
# if they add up to 100 (+-0.5) and guest us is above MIN_GUEST_US (-1: any)
top_headline_ok() {
	sed 's/%/ /g; s/:/ /g' | awk -v min_gu="$1" '{
		for (i = 1; i < NF; i++) {
			if ($i == "kernel" && $(i - 1) != "guest") k = $(i + 1)
			if ($i == "us" && $(i - 1) != "guest") u = $(i + 1)
			if ($i == "kernel" && $(i - 1) == "guest") gk = $(i + 1)
			if ($i == "us" && $(i - 1) == "guest") gu = $(i + 1)
		}
		s = k + u + gk + gu
		printf "kernel %s us %s guest kernel %s guest us %s sum %s\n", k, u, gk, gu, s
		exit !(s >= 99.5 && s <= 100.5 && gu + 0 > min_gu + 0)
	}' >&2
}
