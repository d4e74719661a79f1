//! Badges read from the raw key presses, before the input method sees them (Linux).
//!
//! Under a Chinese input method the page never sees a scanner's keys as typed: ibus
//! (libpinyin) swallows the whole burst `TX:E-0061` + Enter, fcitx5 turns it into
//! `同学：而-0052`. ibus even installs a GTK key snooper that takes every key before any
//! window sees it. So this tap sits one level lower, as GDK's event handler: every event of
//! the process passes through it before GTK (and any snooper or input method) gets it, and it
//! sees each key exactly as the scanner typed it.
//!
//! A printable key is held back for a moment (the burst gap, 40 ms): if the next one follows
//! as fast as a scanner types, it is held too; when Enter ends a burst that is a badge, the
//! held keys are dropped and the badge goes to the page as a `scanner-burst` event, so nothing
//! of it ever reaches the IME or the search box. Anything else — a person typing, whose keys
//! are 80 ms and more apart, or a fast burst that is no badge — is replayed to the window in
//! its original order, unchanged, after at most the gap: the IME then works as always.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;
use std::time::Duration;

use gtk::gdk;
use gtk::glib::{self, translate::IntoGlib};
use tauri::{Emitter, WebviewWindow};
use tongxin_core::scanner::{Burst, DEFAULT_GAP_MS};

/// State bits that ibus (IBUS_FORWARD_MASK / IBUS_HANDLED_MASK) and fcitx5 (IgnoredMask) set
/// on key events they hand back to GTK: those are not the keyboard's, and pass untouched.
const IME_FORWARDED: u32 = (1 << 24) | (1 << 25);

struct Tap {
    burst: Burst,
    /// Key events held back, in order (presses and releases).
    held: Vec<gdk::Event>,
    /// Hardware keys of a badge whose releases are still to come (dropped too).
    swallow: Vec<u16>,
    /// Bumped whenever `held` is emptied, so a pending flush knows it is stale.
    generation: u64,
    log: Option<std::fs::File>,
}

/// Installs the tap (once, at start-up, on the main thread). `TONGXIN_KEYTAP=off` leaves the
/// keyboard as it is (for comparison); `TONGXIN_SCAN_GAP_MS` sets the gap;
/// `TONGXIN_KEYTAP_LOG=FILE` records every key event the tap sees.
pub fn install(window: &WebviewWindow) {
    if std::env::var("TONGXIN_KEYTAP").is_ok_and(|v| v == "off") {
        return;
    }
    let gap = std::env::var("TONGXIN_SCAN_GAP_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_GAP_MS);
    let log = std::env::var_os("TONGXIN_KEYTAP_LOG").and_then(|p| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .ok()
    });
    let tap = Rc::new(RefCell::new(Tap {
        burst: Burst::new(gap),
        held: Vec::new(),
        swallow: Vec::new(),
        generation: 0,
        log,
    }));
    let win = window.clone();
    gdk::Event::set_handler(Some(move |ev: &mut gdk::Event| {
        let key = ev.downcast_ref::<gdk::EventKey>().cloned();
        match key {
            Some(k) => on_key(&tap, &win, &k),
            None => gtk::main_do_event(ev),
        }
    }));
}

/// Shift, Control, Alt, Meta, Super, Hyper, Caps/Shift Lock (0xffe1–0xffee) and the ISO level
/// shifts (0xfe01–0xfe13). GDK's own `is_modifier` flag is not set on every X server.
fn is_modifier(k: &gdk::keys::Key) -> bool {
    matches!(k.into_glib(), 0xffe1..=0xffee | 0xfe01..=0xfe13)
}

fn is_enter(k: gdk::keys::Key) -> bool {
    use gdk::keys::constants as key;
    k == key::Return || k == key::KP_Enter || k == key::ISO_Enter
}

fn on_key(tap: &Rc<RefCell<Tap>>, win: &WebviewWindow, ev: &gdk::EventKey) {
    let press = ev.event_type() == gdk::EventType::KeyPress;
    let mut event: gdk::Event = (**ev).clone();
    if ev.state().bits() & IME_FORWARDED != 0 {
        gtk::main_do_event(&mut event);
        return;
    }
    let mut t = tap.borrow_mut();
    let (action, replay, badge) = decide(&mut t, ev, press, event.clone());
    if let Some(f) = t.log.as_mut() {
        let keyval = ev.keyval();
        let _ = writeln!(
            f,
            "{} {} {:?} state={:#x} key={:?} -> {action}",
            ev.time(),
            if press { "press" } else { "release" },
            keyval.name().map(|n| n.to_string()).unwrap_or_default(),
            ev.state().bits(),
            keyval.to_unicode(),
        );
    }
    // A badge-shaped burst waits longer for its next key (Burst::patience).
    let flush = (action == "hold").then(|| (t.generation, t.held.len(), t.burst.patience()));
    drop(t);
    if let Some((generation, held, gap)) = flush {
        schedule_flush(tap, generation, held, gap);
    }
    play(replay);
    if action == "pass" || action == "replay+pass" {
        gtk::main_do_event(&mut event);
    }
    if let Some(code) = badge {
        let _ = win.emit("scanner-burst", code);
    }
}
/// What to do with one key event: pass it on, hold it, or drop it (a badge's); and which held
/// events to replay before it.
fn decide(
    t: &mut Tap,
    ev: &gdk::EventKey,
    press: bool,
    event: gdk::Event,
) -> (&'static str, Vec<gdk::Event>, Option<String>) {
    let time = ev.time();
    if !press {
        if let Some(i) = t.swallow.iter().position(|k| *k == ev.hardware_keycode()) {
            t.swallow.remove(i);
            return ("drop", Vec::new(), None);
        }
        if t.held.is_empty() {
            return ("pass", Vec::new(), None);
        }
        t.held.push(event);
        return ("hold", Vec::new(), None);
    }
    let keyval = ev.keyval();
    if is_enter(keyval) {
        if let Some(code) = t.burst.enter(time) {
            // The badge's keys go nowhere: neither the IME nor the page sees them.
            t.swallow = held_presses_unreleased(&t.held);
            t.swallow.push(ev.hardware_keycode());
            t.held.clear();
            t.generation += 1;
            return ("badge", Vec::new(), Some(code));
        }
        return ("replay+pass", take(t), None);
    }
    if ev.is_modifier() || is_modifier(&keyval) {
        if t.held.is_empty() {
            return ("pass", Vec::new(), None);
        }
        t.held.push(event);
        return ("hold", Vec::new(), None);
    }
    let plain = !ev.state().intersects(
        gdk::ModifierType::CONTROL_MASK
            | gdk::ModifierType::MOD1_MASK
            | gdk::ModifierType::SUPER_MASK
            | gdk::ModifierType::META_MASK,
    );
    match keyval.to_unicode().filter(|c| !c.is_control()) {
        Some(c) if plain => {
            // A pause before this key: what is held was a person typing; it goes first.
            let before = if t.burst.continues(time) {
                Vec::new()
            } else {
                take(t)
            };
            t.burst.push(c, time);
            t.held.push(event);
            ("hold", before, None)
        }
        _ => {
            // Arrows, function keys, shortcuts: no badge has them.
            t.burst.reset();
            ("replay+pass", take(t), None)
        }
    }
}

fn take(t: &mut Tap) -> Vec<gdk::Event> {
    t.generation += 1;
    std::mem::take(&mut t.held)
}

/// Hardware keys pressed among `held` whose release is not among them.
fn held_presses_unreleased(held: &[gdk::Event]) -> Vec<u16> {
    let mut down: Vec<u16> = Vec::new();
    for e in held {
        let Some(code) = e.keycode() else { continue };
        match e.event_type() {
            gdk::EventType::KeyPress => down.push(code),
            gdk::EventType::KeyRelease => {
                if let Some(i) = down.iter().position(|k| *k == code) {
                    down.remove(i);
                }
            }
            _ => {}
        }
    }
    down
}

/// Hands held events on to GTK in their order: the IME and the page get them as typed.
fn play(events: Vec<gdk::Event>) {
    for mut e in events {
        gtk::main_do_event(&mut e);
    }
}

/// After the gap with no new key, what is held was not a scanner: replay it.
fn schedule_flush(tap: &Rc<RefCell<Tap>>, generation: u64, key_count: usize, gap: u32) {
    flush_after(
        tap.clone(),
        generation,
        key_count,
        Duration::from_millis(u64::from(gap) + 5),
        0,
    );
}

/// How often a flush waits for events already queued (up to 20 × 5 ms).
const MAX_POSTPONE: u32 = 20;

fn flush_after(tap: Rc<RefCell<Tap>>, generation: u64, key_count: usize, after: Duration, n: u32) {
    glib::timeout_add_local_once(after, move || {
        let events = {
            let mut t = tap.borrow_mut();
            // A newer key (or a replay) came since: its own flush will decide.
            if t.generation != generation || t.held.len() != key_count {
                return;
            }
            // The main loop was busy (the page saving the previous badge, a slow laptop) and
            // events are still waiting to be read: the timer ran late, not the scanner. The
            // keys in the queue carry their own times and decide; flushing now would cut a
            // badge in two and hand its first half to the IME.
            if n < MAX_POSTPONE && gdk::events_pending() {
                drop(t);
                flush_after(tap, generation, key_count, Duration::from_millis(5), n + 1);
                return;
            }
            t.burst.reset();
            take(&mut t)
        };
        play(events);
    });
}
