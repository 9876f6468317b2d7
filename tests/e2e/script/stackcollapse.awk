# stackcollapse.awk - what Brendan Gregg's stackcollapse-perf.pl (default options)
# makes of `perf script` callchain output, written independently from its
# documented rules: comm root (spaces -> '_'), frames root first, +0xoff
# stripped, unknown symbols named [dso basename], ';' -> ':', names cut at
# the first '(' (except "(anonymous namespace)"), quotes dropped, one count
# per sample.  Output is unsorted: pipe through `LC_ALL=C sort`.
function flush(   s, i) {
	if (pname == "")
		return
	s = pname
	for (i = n; i >= 1; i--)
		s = s ";" st[i]
	cnt[s]++
	pname = ""
	n = 0
}
/^#/ { next }
/^$/ { flush(); next }
/^\t/ {
	line = $0
	sub(/^[ \t]+/, "", line)
	pc = line
	sub(/[ \t].*$/, "", pc)
	rest = substr(line, length(pc) + 1)
	sub(/^[ \t]+/, "", rest)
	if (!match(rest, / \([^ ]*\)$/))
		next
	mod = substr(rest, RSTART + 2, RLENGTH - 3)
	func_ = substr(rest, 1, RSTART - 1)
	sub(/\+0x[0-9a-f]+$/, "", func_)
	if (func_ ~ /^\(/)
		next
	if (func_ == "[unknown]") {
		if (mod != "[unknown]") {
			sub(/.*\//, "", mod)
			func_ = "[" mod "]"
		}
	}
	gsub(/;/, ":", func_)
	p = index(func_, "(")
	if (p > 0 && substr(func_, p, 21) != "(anonymous namespace)")
		func_ = substr(func_, 1, p - 1)
	gsub(/["']/, "", func_)
	st[++n] = func_
	next
}
{
	flush()
	if (match($0, /[ ]+[0-9]+(\/[0-9]+)?[ ]+/)) {
		pname = substr($0, 1, RSTART - 1)
		sub(/^ +/, "", pname)
		gsub(/ /, "_", pname)
	}
}
END {
	flush()
	for (s in cnt)
		print s, cnt[s]
}
