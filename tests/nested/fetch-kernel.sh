#!/bin/sh
# fetch-kernel.sh - provide Debian's own linux-image-6.1.0-*-amd64 kernel and its KVM
# modules for the nested-virtualization tests, without installing anything.
#
#   tests/nested/fetch-kernel.sh [CACHE]
#
# Picks the newest linux-image-6.1.0-N-amd64 that apt knows, fetches it with
# 'apt-get download', unpacks it with 'dpkg-deb -x' and keeps, under
# CACHE/linux-6.1.0-N-amd64/ (CACHE defaults to ${XDG_CACHE_HOME:-/var/cache}/kvmprof-tests):
#   vmlinuz          the kernel
#   modules/*.ko     kvm.ko, kvm-amd.ko and what they depend on (from modinfo)
#   modules/order    their load order, one file name a line
#   *.deb            the package itself
# A second run with the cache in place does no network access.  When apt knows no such
# package (offline, no lists), the newest cached kernel is used.
# Prints the kernel directory on stdout; exit 0, or 2 with the reason on stderr.
set -u
CACHE=${1:-${XDG_CACHE_HOME:-/var/cache}/kvmprof-tests}
die() { echo "fetch-kernel: $*" >&2; exit 2; }

mkdir -p "$CACHE" 2>/dev/null || die "cannot create the cache directory '$CACHE'"
# one fetch at a time (tests may run in parallel)
exec 9>"$CACHE/.lock" || die "cannot write '$CACHE/.lock'"
command -v flock >/dev/null 2>&1 && flock -w 180 9

newest() { sort -V | tail -n 1; }
pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
	awk '{ print $1 }' | newest)
if [ -z "$pkg" ]; then
	# offline: the newest kernel a previous run left complete
	dir=$(ls -d "$CACHE"/linux-6.1.0-*-amd64 2>/dev/null | newest)
	[ -n "$dir" ] && [ -f "$dir/.complete" ] ||
		die "apt knows no linux-image-6.1.0-*-amd64 package and '$CACHE' holds none (run apt-get update?)"
	echo "$dir"
	exit 0
fi
rel=${pkg#linux-image-}
dir=$CACHE/linux-$rel
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

rm -rf "$dir" && mkdir -p "$dir/modules" || die "cannot create '$dir'"
tmp=$(mktemp -d "$CACHE/.fetch.XXXXXX") || die "cannot create a temporary directory in '$CACHE'"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && timeout 150 apt-get download "$pkg" >"$tmp/apt.log" 2>&1) ||
	die "'apt-get download $pkg' failed: $(grep -E '^(E|W):' "$tmp/apt.log" | head -n 3)"
deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "'apt-get download $pkg' left no .deb"
dpkg-deb -x "$deb" "$tmp/root" || die "'dpkg-deb -x $deb' failed"
[ -f "$tmp/root/boot/vmlinuz-$rel" ] || die "$pkg has no /boot/vmlinuz-$rel"
kdir=$tmp/root/lib/modules/$rel/kernel
[ -d "$kdir" ] || die "$pkg has no /lib/modules/$rel/kernel"

# kvm-amd and its dependencies, dependencies first
MODINFO=$(command -v modinfo || echo /sbin/modinfo)
find_mod() { find "$kdir" -name "$1.ko" -o -name "$(echo "$1" | tr _ -).ko" | head -n 1; }
add_mod() { # NAME: add its dependencies, then itself, once
	grep -qx "$1.ko" "$dir/modules/order" 2>/dev/null && return 0
	_f=$(find_mod "$1")
	[ -n "$_f" ] || die "$pkg has no module $1.ko (compressed modules are not supported)"
	for _d in $("$MODINFO" -F depends "$_f" 2>/dev/null | tr , ' '); do
		add_mod "$(echo "$_d" | tr - _)" || exit 2
	done
	# (sh has no local variables: the recursion changed _f)
	cp "$(find_mod "$1")" "$dir/modules/$1.ko" && echo "$1.ko" >>"$dir/modules/order"
}
: >"$dir/modules/order"
add_mod kvm_amd || exit 2
grep -qx kvm.ko "$dir/modules/order" || add_mod kvm || exit 2
cp "$tmp/root/boot/vmlinuz-$rel" "$dir/vmlinuz" && mv "$deb" "$dir/" || die "cannot fill '$dir'"
touch "$dir/.complete"
echo "$dir"
