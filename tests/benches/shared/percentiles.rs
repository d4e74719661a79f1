//! Percentiles of timings as the benchmarks print them.

/// The `p` quantile (0–1) of `v`, nearest rank; sorts `v`.
pub fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// One line: `what` padded to `width`, then p50, p95 and max of `v` in ms.
pub fn line(what: &str, width: usize, v: &mut [f64]) {
    let max = v.iter().cloned().fold(0.0, f64::max);
    println!(
        "{what:<width$} p50 {:>7.1} ms   p95 {:>7.1} ms   max {:>7.1} ms   (n = {})",
        pct(v, 0.5),
        pct(v, 0.95),
        max,
        v.len()
    );
}
