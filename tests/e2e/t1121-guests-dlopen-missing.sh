#!/bin/sh
# libdebuginfod and libmicrohttpd are dlopen()ed when first needed, not linked:
# the binary does not pull libcurl/gnutls; a library that cannot be loaded
# (KVMPROF_DEBUGINFOD_LIB / KVMPROF_MICROHTTPD_LIB point at a missing file) is
# named with the Debian package to install.  A missing libdebuginfod leaves the
# guest kernel unsymbolized and the report succeeds, as an unreachable server
# does (said once); stat live --prometheus without libmicrohttpd exits 1.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 (fixture generator) is missing"

if command -v ldd >/dev/null 2>&1; then
	ldd "$KP" >ldd.out 2>&1 || fail "ldd $KP"
	grep -E 'lib(debuginfod|microhttpd|curl|gnutls)' ldd.out &&
		fail "kvmprof links libdebuginfod/libmicrohttpd (or what they pull) at start-up"
fi

python3 "$SRCDIR/tests/fixtures/guests/gen-guests.py" one.data --guests 5001 \
	--kbid "5001=0123456789abcdef0123456789abcdef01234567" || fail "generator failed"
mkdir -p gm/5001
export DEBUGINFOD_URLS=http://127.0.0.1:1 DEBUGINFOD_CACHE_PATH="$T/cache"

# the control: with the real library only the server's failure is reported
"$KP" --guestmount=gm -i one.data report --stdio -s dso,sym >ok.out 2>ok.err ||
	{ cat ok.err >&2; fail "report with an unreachable debuginfod server"; }
grep -q '^warning: debuginfod: no kernel image with build-id' ok.err ||
	skip "this kvmprof has no debuginfod support (built without libdebuginfod-dev)"
grep -q 'guest.kernel.kallsyms.5001' ok.out || fail "no guest kernel row"

KVMPROF_DEBUGINFOD_LIB=$T/no/libdebuginfod.so.1 \
	"$KP" --guestmount=gm -i one.data report --stdio -s dso,sym >miss.out 2>miss.err ||
	{ cat miss.err >&2; fail "a missing libdebuginfod failed the report"; }
grep -q "^warning: debuginfod: cannot load $T/no/libdebuginfod.so.1 (.*apt-get install libdebuginfod1\$" \
	miss.err || { cat miss.err >&2; fail "no warning naming libdebuginfod.so.1 and its package"; }
[ "$(grep -c 'debuginfod' miss.err)" = 1 ] || { cat miss.err >&2; fail "said more than once"; }
check_same ok.out miss.out

# stat live --prometheus needs libmicrohttpd: exit 1 with the package named
[ "$(id -u)" = 0 ] || skip "stat live needs root (perf_event_open)"
export KVMPROF_MICROHTTPD_LIB="$T/no/libmicrohttpd.so.12"
expect_fail 1 \
	"^error: --prometheus: cannot load $T/no/libmicrohttpd.so.12 (.*apt-get install libmicrohttpd12\$" \
	timeout 60 "$KP" stat live --stdio -d 0.2 --prometheus=127.0.0.1:0 -- sleep 0.3
grep -q serving "$T/err" && fail "served without libmicrohttpd"
unset KVMPROF_MICROHTTPD_LIB
# and with it, the server starts (t0902 scrapes it)
timeout 60 "$KP" stat live --stdio -d 0.2 --prometheus=127.0.0.1:0 -- sleep 0.3 >live.out 2>live.err ||
	{ cat live.err >&2; fail "stat live --prometheus with libmicrohttpd"; }
grep -q '^serving Prometheus metrics on .* (port [1-9][0-9]*)$' live.err ||
	{ cat live.err >&2; fail "the server did not start"; }
exit 0
