# SPDX-License-Identifier: GPL-2.0
# The benchmark's table from the VM's "VT-BENCH PAIR MODULE METRIC VALUE"
# lines (tests/vm/init-host): per metric the ratio ours / in-tree of each
# pair of loads (in-tree / ours for a cost, where less is better, so above
# 1.00 is always ours doing better), its min, median and max, and the
# medians of the values.  With -v smoke=1: only the metrics missing or not
# above 0, for either module (empty when all are there).
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
$1 == "VT-BENCH" && NF == 5 {
	v[$4, $3, $2] = $5
	if (!($4 in seen)) { seen[$4] = 1; order[++nm] = $4 }
	if ($2 > np) np = $2
}
END {
	nw = split("h2g-4096 h2g-65536 h2g-262144 g2h-4096 g2h-65536 g2h-262144 rr connect streams64 cpu-ns-per-GiB cpu-ns-per-rt worker-wait-ns-per-rt worker-runs-per-rt kib-per-device", want, " ")
	if (smoke) {
		for (i = 1; i <= nw; i++)
			for (p = 1; p <= np || p == 1; p++)
				for (m = 0; m < 2; m++) {
					mod = m ? "in-tree" : "ours"
					# (Wake-up figures may be 0: no schedstat.)
					if (!((want[i], mod, p) in v) ||
					    v[want[i], mod, p] + 0 < (want[i] ~ /^worker/ ? 0 : 1e-9))
						printf "%s %s pair %d; ", want[i], mod, p
				}
		exit
	}
	unit["rr"] = "round trips/s"; unit["connect"] = "connections/s"
	unit["streams64"] = "MiB/s, 64 streams"; unit["cpu-ns-per-GiB"] = "worker CPU ns/GiB"; unit["cpu-ns-per-rt"] = "worker CPU ns/round trip"; unit["worker-wait-ns-per-rt"] = "worker ns runnable, not running, /round trip"; unit["worker-runs-per-rt"] = "worker wake-ups/round trip"; unit["kib-per-device"] = "KiB per open device"
	print "| metric | pairs | ratio min | ratio median | ratio max | ours (median) | in-tree (median) | unit |"
	print "|---|---|---|---|---|---|---|---|"
	for (i = 1; i <= nw; i++) {
		k = want[i]; n = 0; no = 0; ni = 0
		delete r; delete o; delete t
		for (p = 1; p <= np; p++) {
			if (!((k, "ours", p) in v) || !((k, "in-tree", p) in v))
				continue
			a = v[k, "ours", p]; b = v[k, "in-tree", p]
			o[++no] = a; t[++ni] = b
			if (a > 0 && b > 0)
				r[++n] = k ~ /^(cpu|kib|worker)/ ? b / a : a / b
		}
		if (!n) { printf "| %s | 0 | - | - | - | - | - | |\n", k; continue }
		lo = r[1]; hi = r[1]
		for (j = 1; j <= n; j++) { if (r[j] < lo) lo = r[j]; if (r[j] > hi) hi = r[j] }
		printf "| %s | %d | %.2f | %.2f | %.2f | %.6g | %.6g | %s |\n", k, n, lo, median(r, n), hi,
			median(o, no), median(t, ni), k in unit ? unit[k] : "MiB/s"
	}
}
