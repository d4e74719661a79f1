//! Telling a USB scanner from a person at the keyboard.
//!
//! A keyboard-wedge scanner types the badge's payload (`TX:E-0042`) and Enter a few
//! milliseconds a key; a person types 80–250 ms a key. The desk reads bursts from the raw key
//! presses, before any input method sees them (the shell taps the toplevel window's key
//! events on Linux; the page reads physical keys elsewhere), so a Chinese IME cannot turn
//! `TX:E-0052` into `同学：而-0052`. This module holds the rule both use: which key presses make
//! a burst, and which bursts are badges.

/// Keys of one burst arrive at most this far apart (ms). A scanner types 1–20 ms a key; a
/// fast typist's rollover can put two keys ~30 ms apart, rarely three.
pub const DEFAULT_GAP_MS: u32 = 40;

/// The shortest payload taken for a badge (`E-001` and up).
pub const MIN_LEN: usize = 5;

/// Looks like a badge: the `TX:` prefix (`：` and `;` too: a keyboard layout or a full-width
/// mode may give those), or a bare code such as `E-0042` / `W-7K3M9Q`.
pub fn looks_like_code(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("tx") {
        return rest.starts_with([':', '：', ';']);
    }
    let Some((head, tail)) = lower.split_once('-') else {
        return false;
    };
    (1..=2).contains(&head.len())
        && head.bytes().all(|b| b.is_ascii_lowercase())
        && (4..=10).contains(&tail.len())
        && tail.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// How many gaps a badge-shaped burst may wait for its next key (see [`Burst::patience`]).
pub const PREFIX_PATIENCE: u32 = 4;

/// `T`, `TX`, `TX:` (or `：` / `;`) and anything after it: the start of a badge as typed.
fn badge_shaped(s: &str) -> bool {
    const PREFIXES: [&str; 3] = ["TX:", "TX：", "TX;"];
    !s.is_empty()
        && PREFIXES
            .iter()
            .any(|p| p.starts_with(s) || s.starts_with(p))
}

/// The burst being read: characters from key presses close enough together.
#[derive(Debug, Clone, Default)]
pub struct Burst {
    text: String,
    last: Option<u32>,
    gap: u32,
}

impl Burst {
    pub fn new(gap_ms: u32) -> Burst {
        Burst {
            text: String::new(),
            last: None,
            gap: gap_ms,
        }
    }

    /// Whether a key at `t` (ms, the event's own clock, which wraps) continues the burst.
    pub fn continues(&self, t: u32) -> bool {
        self.last
            .is_some_and(|l| t.wrapping_sub(l) <= self.patience())
    }

    /// How long the burst so far may wait for its next key (ms). A burst shaped like a badge
    /// (`T`, `TX`, `TX:`, `TX:E-00…`, upper case as the badges' QR codes carry it) may pause
    /// up to [`PREFIX_PATIENCE`] × the gap: a scanner behind a busy USB hub, a Bluetooth
    /// scanner, or a loaded laptop's X server can put 40–80 ms between two of its keys. Nobody
    /// types `TX:` while searching, so this costs a person nothing.
    pub fn patience(&self) -> u32 {
        if badge_shaped(&self.text) {
            self.gap.saturating_mul(PREFIX_PATIENCE)
        } else {
            self.gap
        }
    }

    /// A character typed at `t`. A pause longer than the gap starts a new burst.
    pub fn push(&mut self, c: char, t: u32) {
        if !self.continues(t) {
            self.text.clear();
        }
        self.text.push(c);
        self.last = Some(t);
    }

    /// Enter at `t`: the payload when the burst was a badge. The burst is over either way.
    pub fn enter(&mut self, t: u32) -> Option<String> {
        let fresh = self.continues(t);
        let text = std::mem::take(&mut self.text);
        self.last = None;
        (fresh && text.chars().count() >= MIN_LEN && looks_like_code(&text)).then_some(text)
    }

    /// A key that is neither a character nor Enter (an arrow, a shortcut): no badge has one.
    pub fn reset(&mut self) {
        self.text.clear();
        self.last = None;
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Splits what a scanner in serial mode (USB-COM / CDC-ACM) sends into payloads: one per
/// line, whatever the line ending (CR, LF, CR LF), blank lines and stray spaces dropped.
/// Bytes that are not UTF-8 are replaced, never a reason to stop reading.
#[derive(Debug, Default)]
pub struct SerialLines {
    pending: Vec<u8>,
}

/// Longest line kept: a badge is a few dozen bytes; a device that never ends a line must not
/// grow memory without bound.
const MAX_LINE: usize = 512;

impl SerialLines {
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for &b in bytes {
            if b == b'\r' || b == b'\n' {
                let line = String::from_utf8_lossy(&self.pending).trim().to_string();
                self.pending.clear();
                if !line.is_empty() {
                    out.push(line);
                }
            } else if self.pending.len() < MAX_LINE {
                self.pending.push(b);
            }
        }
        out
    }
}

const SERIAL_SETTING: &str = "scanner.serial_port";

/// The serial port the desk reads badges from, when the coordinator chose one.
pub fn serial_port(db: &crate::Db) -> crate::Result<Option<String>> {
    Ok(crate::store::setting::get(db.conn(), SERIAL_SETTING)?.filter(|p| !p.is_empty()))
}

/// Remembers the port (None: keyboard mode only), so the desk reconnects after a restart.
pub fn set_serial_port(db: &crate::Db, port: Option<&str>) -> crate::Result<()> {
    crate::store::setting::set(db.conn(), SERIAL_SETTING, port.unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_lines_end_with_cr_lf_or_both() {
        let mut l = SerialLines::default();
        assert_eq!(
            l.feed(b"TX:E-0001\rTX:E-0002\nTX:E-00"),
            ["TX:E-0001", "TX:E-0002"]
        );
        assert_eq!(l.feed(b"03\r\n\r\n  \n"), ["TX:E-0003"]);
        // A device that never ends its line is cut at MAX_LINE, not kept growing.
        let junk = vec![b'x'; 100_000];
        assert!(l.feed(&junk).is_empty());
        assert_eq!(l.feed(b"\n")[0].len(), MAX_LINE);
        assert_eq!(l.feed(b"\xff\xfeE-0042\n"), ["\u{fffd}\u{fffd}E-0042"]);
    }

    /// Key presses as (character or '\n' for Enter, time in ms).
    fn run(keys: &[(char, u32)]) -> Vec<String> {
        let mut b = Burst::new(DEFAULT_GAP_MS);
        let mut out = Vec::new();
        for &(c, t) in keys {
            if c == '\n' {
                out.extend(b.enter(t));
            } else {
                b.push(c, t);
            }
        }
        out
    }

    fn typed(text: &str, start: u32, every: u32) -> Vec<(char, u32)> {
        text.chars()
            .enumerate()
            .map(|(i, c)| (c, start + i as u32 * every))
            .collect()
    }

    #[test]
    fn a_scanner_burst_is_a_badge() {
        // What the X server delivered for `xdotool type --delay 5 'TX:E-0061'` + Return,
        // under ibus and fcitx5 alike: key presses 5–7 ms apart (the IME sees them later).
        let keys = typed("TX:E-0061\n", 1000, 6);
        assert_eq!(run(&keys), ["TX:E-0061"]);
        // --delay 1 bunches several keys on one millisecond.
        assert_eq!(run(&typed("TX:E-0061\n", 50, 1)), ["TX:E-0061"]);
        assert_eq!(run(&typed("TX:E-0061\n", 50, 0)), ["TX:E-0061"]);
    }

    #[test]
    fn a_person_typing_is_not_a_scanner() {
        // Pinyin typed through the IME, 90–200 ms a key, then Enter.
        assert!(run(&typed("zhangwei\n", 0, 90)).is_empty());
        // Even a code typed by hand at a typist's speed is no burst (the desk's Enter handles it).
        assert!(run(&typed("E-0042\n", 0, 120)).is_empty());
        // A fast burst that is no code (a name pasted by a macro pad) is no badge.
        assert!(run(&typed("zhangwei\n", 0, 5)).is_empty());
    }

    #[test]
    fn a_pause_splits_a_burst() {
        let mut keys = typed("TX:E", 0, 5);
        keys.extend(typed("-0061\n", 500, 5));
        assert!(run(&keys).is_empty());
        // Enter long after the last key is a person pressing Enter.
        let mut keys = typed("TX:E-0061", 0, 5);
        keys.push(('\n', 900));
        assert!(run(&keys).is_empty());
    }

    #[test]
    fn a_badge_survives_a_stall_between_its_keys() {
        // Recorded from the tap under load: 61 ms between T and X, 41 ms between X and `:`.
        let mut keys = vec![('T', 0), ('X', 61), (':', 102)];
        keys.extend(typed("E-0002\n", 105, 4));
        assert_eq!(run(&keys), ["TX:E-0002"]);
        // But only a badge-shaped burst waits longer: lower-case initials typed 60 ms apart
        // go to the IME as typing, and so does a code without its prefix.
        assert!(run(&typed("tx\n", 0, 60)).is_empty());
        let mut bare = typed("E-", 0, 5);
        bare.extend(typed("0042\n", 65, 5));
        assert!(run(&bare).is_empty());
        // A long pause still ends even a badge-shaped burst.
        let mut keys = typed("TX:E", 0, 5);
        keys.extend(typed(
            "-0061\n",
            15 + DEFAULT_GAP_MS * PREFIX_PATIENCE + 1,
            5,
        ));
        assert!(run(&keys).is_empty());
    }

    #[test]
    fn the_clock_may_wrap() {
        let mut b = Burst::new(DEFAULT_GAP_MS);
        let mut t = u32::MAX - 20;
        for c in "TX:E-0061".chars() {
            b.push(c, t);
            t = t.wrapping_add(5);
        }
        assert_eq!(b.enter(t).as_deref(), Some("TX:E-0061"));
    }

    #[test]
    fn what_counts_as_a_code() {
        for s in [
            "TX:E-0042",
            "tx:e-0042",
            "TX：E-0042",
            "TX;E-0042",
            "E-0042",
            "W-7K3M9Q",
        ] {
            assert!(looks_like_code(s), "{s}");
        }
        for s in [
            "zhangwei",
            "E-42",
            "张伟",
            "TXE-0042",
            "EEE-0042",
            "13812345678",
            "",
        ] {
            assert!(!looks_like_code(s), "{s}");
        }
    }
}
