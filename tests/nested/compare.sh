# compare.sh - sourced by the tests that compare 'kvmprof stat report' with Linux perf
# 6.1's 'perf kvm stat report' on real SVM files.  Provides:
#   stat_table FILE   the table of a report (from "Analyze events" to "Total Samples")
#                     without what kvmprof-stat(1) lists as deliberate differences:
#                     UNKNOWN(code) vs UNKNOWN plus perf's "unknown kvm exit code"
#                     lines, and the width of the name column (all padding squeezed)
#   stat_drop_min     filter: blank the Min Time column (with --vcpu perf 6.1 prints
#                     0.00us there; check that with stat_perf_min_zero first)
#   stat_perf_min_zero FILE   true when every row of a stat_table has Min Time 0.00us
# Rows end in "( +- X% )" and names may hold spaces (SVM's "UD excp"): columns are
# counted from the end.
stat_table() {
	sed -n '/^Analyze events/,/^Total Samples/p' "$1" | grep -v '^unknown kvm exit code' |
		sed -E 's/UNKNOWN\([0-9a-fx]+\)/UNKNOWN/; s/^ +//; s/ +/ /g'
}
stat_drop_min() { awk '$NF == ")" && $(NF - 7) ~ /%$/ { $(NF - 6) = "MIN" } { print }'; }
stat_perf_min_zero() { awk '$NF == ")" && $(NF - 6) != "0.00us" { bad = 1 } END { exit bad }' "$1"; }
