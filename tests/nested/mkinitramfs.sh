#!/bin/sh
# mkinitramfs.sh - build the initramfs of a nested-virtualization test L1.
#
#   tests/nested/mkinitramfs.sh OUT KDIR INIT [-b SRC DEST]... [-f SRC DEST]...
#
# OUT    the gzip'ed newc cpio archive to write
# KDIR   a kernel directory from fetch-kernel.sh (modules/*.ko and modules/order go
#        to /modules)
# INIT   the script that becomes /init (run by the kernel as PID 1)
# -b SRC DEST   an executable: copied to DEST with every shared library ldd lists,
#               each at its own path (so no LD_LIBRARY_PATH is needed)
# -f SRC DEST   a plain file (or a directory, copied whole)
# The archive also holds busybox (static, every applet linked in /bin) and the empty
# mount points /proc /sys /dev /tmp.  Exit 0, or 2 with the reason on stderr.
set -u
die() { echo "mkinitramfs: $*" >&2; exit 2; }
[ $# -ge 3 ] || die "usage: mkinitramfs.sh OUT KDIR INIT [-b SRC DEST]... [-f SRC DEST]..."
OUT=$1 KDIR=$2 INIT=$3
shift 3
R=$(mktemp -d "${TMPDIR:-/tmp}/kvmprof-initramfs.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$R"' EXIT

# copy SRC to $R/DEST, creating directories
put() { mkdir -p "$R/$(dirname "$2")" && cp -L "$1" "$R/$2" || die "cannot copy '$1'"; }
# an executable and its shared libraries (ldd prints "name => /path (addr)" or "/path (addr)")
put_bin() {
	[ -x "$1" ] || die "'$1' is not an executable"
	put "$1" "$2"
	chmod 755 "$R/$2"
	ldd "$1" >"$R/.ldd" 2>&1 || grep -q 'not a dynamic executable' "$R/.ldd" ||
		die "ldd '$1' failed: $(cat "$R/.ldd")"
	grep -q 'not found' "$R/.ldd" && die "'$1' needs a library that is missing: $(grep 'not found' "$R/.ldd")"
	for _l in $(grep -o '/[^ ]*' "$R/.ldd"); do
		[ -e "$R/$_l" ] || put "$_l" "$_l"
	done
	rm -f "$R/.ldd"
}

mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev" "$R/tmp" "$R/modules" || die "mkdir failed"
BB=$(command -v busybox) || die "busybox is not installed (apt-get install busybox-static)"
put_bin "$BB" /bin/busybox
for a in $("$BB" --list); do
	[ -e "$R/bin/$a" ] || ln -s busybox "$R/bin/$a"
done
[ -f "$KDIR/modules/order" ] || die "'$KDIR' has no modules/order (run fetch-kernel.sh)"
cp "$KDIR"/modules/*.ko "$KDIR/modules/order" "$R/modules/" || die "cannot copy the modules"
put "$INIT" /init
chmod 755 "$R/init"

while [ $# -gt 0 ]; do
	[ $# -ge 3 ] || die "'$1' needs SRC and DEST"
	case $1 in
	-b) put_bin "$2" "$3" ;;
	-f)
		if [ -d "$2" ]; then
			mkdir -p "$R/$3" && cp -rL "$2/." "$R/$3/" || die "cannot copy '$2'"
		else
			put "$2" "$3"
		fi
		;;
	*) die "unknown option '$1'" ;;
	esac
	shift 3
done

(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT.tmp" || die "cpio/gzip failed"
mv "$OUT.tmp" "$OUT"
