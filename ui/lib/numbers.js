// Numbers as the screens write them: digits grouped by thousands with a comma (12,345), as
// Chinese and English both write them, and at most three decimals. Written here rather than by
// toLocaleString, which has the web process load ICU's number-formatting data and code for
// the first count drawn (1.6 MiB, README: speed).

export function groupDigits(v) {
  const x = Number(v ?? 0);
  if (!Number.isFinite(x)) return String(x);
  const [whole, decimals] = Math.abs(x)
    .toFixed(3)
    .replace(/\.?0+$/, '')
    .split('.');
  const sign = x < 0 && (whole !== '0' || decimals) ? '-' : '';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return decimals ? `${sign}${grouped}.${decimals}` : `${sign}${grouped}`;
}
