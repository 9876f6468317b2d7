#!/bin/sh
# The flame graph SVG in a real browser: headless Chromium (Debian package)
# loads kvmprof's SVG, a real mouse click on a guest frame zooms on it (checked
# through the DOM: the frame spans the full width, frames outside it are
# hidden, Reset Zoom lights up), and screenshots are kept as test artifacts
# under the build dir (artifacts/flamegraph*.png).
. "$(dirname "$0")/lib.sh"
CHROMIUM=
for c in chromium chromium-browser; do
	command -v "$c" >/dev/null 2>&1 && { CHROMIUM=$(command -v "$c"); break; }
done
[ -n "$CHROMIUM" ] || skip "chromium is not installed (apt-get install chromium)"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to drive chromium"
FX=$SRCDIR/tests/fixtures/script
ART=${BUILDDIR:-$T}/artifacts
mkdir -p "$ART" || fail "cannot create $ART"

"$KP" --host --guestkallsyms="$FX/guest-kallsyms" flamegraph --kallsyms "$FX/host-kallsyms" \
	-i "$FX/guest-chains.data" -o fg.svg 2>err || { cat err >&2; fail "flamegraph failed"; }

# the page as loaded (chromium's own --screenshot)
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$T/profile-shot" --window-size=1200,800 \
	--screenshot="$ART/flamegraph.png" "file://$T/fg.svg" >shot.log 2>&1 ||
	{ tail -5 shot.log >&2; fail "chromium --screenshot failed"; }
[ -s "$ART/flamegraph.png" ] || fail "no screenshot written"

# click a guest frame, check the zoom, keep a screenshot of the zoomed graph
rm -f "$ART/flamegraph-zoom.png"
timeout 180 python3 "$SRCDIR/tests/e2e/browser/cdp-flamegraph.py" "$CHROMIUM" fg.svg \
	'cpu_startup_entry_[g]' "$ART/flamegraph-zoom.png" >cdp.out 2>cdp.err ||
	{ cat cdp.out cdp.err >&2; fail "click-to-zoom check in chromium failed"; }
cat cdp.out
[ -s "$ART/flamegraph-zoom.png" ] || fail "no zoom screenshot written"
# a PNG, not an error page
[ "$(head -c 4 "$ART/flamegraph-zoom.png" | od -An -c | tr -d ' ')" = "211PNG" ] ||
	fail "zoom screenshot is not a PNG"

# a frame that is not in the graph is an error (the check can fail)
timeout 180 python3 "$SRCDIR/tests/e2e/browser/cdp-flamegraph.py" "$CHROMIUM" fg.svg \
	'no_such_frame' "$T/none.png" >/dev/null 2>cdp.err && fail "a missing frame was 'found'"
grep -q 'not in the SVG' cdp.err || { cat cdp.err >&2; fail "missing frame not reported"; }
exit 0
