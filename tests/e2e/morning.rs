//! A scripted morning at the door: ~30 arrivals found by name, initials, phone digits and full
//! pinyin, badges scanned (also with synthetic composition events — WebDriver never goes through
//! a real input method: tests/e2e/ime.rs does), a duplicate, an
//! undo and a walk-in — then the SQLite file is checked.

use std::collections::HashSet;

use anyhow::{bail, Context, Result};
use chrono::Utc;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::json;
use tongxin_core::search::{MatchKind, SearchIndex};
use tongxin_core::{pinyin, rollcall, store, Db, Expert, Method};

use crate::harness::{
    chord, keys, page_state, present, screenshot, text, wait_js, wait_present, App,
};

const EVENT: &str = "2024-jinshan";

#[derive(Clone, Debug)]
enum How {
    Typed(String),
    Scan,
    ScanUnderIme,
}

#[derive(Clone, Debug)]
struct Arrival {
    expert: Expert,
    how: How,
}

/// Chooses arrivals among the demo's not-yet-arrived experts, with queries that make each
/// one the top hit of the desk's own index (the same one the window uses).
fn plan(db_path: &std::path::Path) -> Result<Vec<Arrival>> {
    let db = Db::open(db_path)?;
    let index = SearchIndex::build(&db, EVENT)?;
    let waiting: Vec<Expert> = rollcall::not_arrived(&db, EVENT)?
        .into_iter()
        .filter_map(|r| store::expert::get(db.conn(), &r.expert_id).ok().flatten())
        .collect();
    let mut out = Vec::new();
    let mut used = HashSet::new();
    let kinds = ["name", "initials", "phone", "pinyin"];
    for kind in kinds {
        for e in &waiting {
            if out
                .iter()
                .filter(|a: &&Arrival| matches!(&a.how, How::Typed(_)))
                .count()
                >= 5 * (kinds.iter().position(|k| *k == kind).unwrap_or(0) + 1)
            {
                break;
            }
            if used.contains(&e.id) {
                continue;
            }
            let (full, initials) = pinyin::full_and_initials(&e.name);
            let q = match kind {
                "name" => e.name.clone(),
                "initials" => initials,
                "phone" => e.phone[e.phone.len() - 4..].to_string(),
                _ => full,
            };
            let top = index.query(&q, 8);
            if top.first().map(|h| h.0.as_str()) == Some(e.id.as_str())
                && top.first().map(|h| h.1) != Some(MatchKind::Code)
            {
                used.insert(e.id.clone());
                out.push(Arrival {
                    expert: e.clone(),
                    how: How::Typed(q),
                });
            }
        }
    }
    let mut scans = 0;
    for e in &waiting {
        if scans == 8 {
            break;
        }
        if used.insert(e.id.clone()) {
            out.push(Arrival {
                expert: e.clone(),
                how: if scans % 2 == 0 {
                    How::Scan
                } else {
                    How::ScanUnderIme
                },
            });
            scans += 1;
        }
    }
    if out.len() < 28 {
        bail!("could only plan {} arrivals", out.len());
    }
    Ok(out)
}

/// A scanner burst while a pinyin input method is composing: keydown events carry
/// key "Process" (the IME swallows the characters) and only the physical key codes tell
/// what was typed; the IME leaks its own text into the box.
async fn scan_under_ime(c: &Client, payload: &str) -> Result<()> {
    c.execute(
        r#"
        const payload = arguments[0];
        const el = document.activeElement || document.body;
        const codeOf = (ch) => {
          if (/[a-z]/i.test(ch)) return ['Key' + ch.toUpperCase(), ch !== ch.toLowerCase()];
          if (/[0-9]/.test(ch)) return ['Digit' + ch, false];
          if (ch === '-') return ['Minus', false];
          if (ch === ':') return ['Semicolon', true];
          throw new Error('no key for ' + ch);
        };
        el.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' }));
        for (const ch of payload) {
          const [code, shiftKey] = codeOf(ch);
          el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Process', code, shiftKey, keyCode: 229, isComposing: true, bubbles: true, cancelable: true }));
          el.dispatchEvent(new KeyboardEvent('keyup', { key: 'Process', code, shiftKey, keyCode: 229, isComposing: true, bubbles: true }));
        }
        if ('value' in el) { el.value += '特需'; el.dispatchEvent(new Event('input', { bubbles: true })); }
        el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', keyCode: 13, isComposing: true, bubbles: true, cancelable: true }));
        el.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '' }));
        "#,
        vec![json!(payload)],
    )
    .await?;
    Ok(())
}

async fn focus_away_from_search(c: &Client) -> Result<()> {
    c.execute(
        "document.querySelector('.chip[data-cp=main]').focus()",
        vec![],
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_morning_at_the_door_is_recorded_exactly() -> Result<()> {
    let mut arrivals = Vec::new();
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        drop(d);
        arrivals = plan(db)?;
        Ok(())
    })
    .await?;
    let script = arrivals.clone();
    let (_dir, db) = app
        .run(move |c| async move {
            let mut n = present(&c).await?;
            let search = c.find(Locator::Css("#search")).await?;
            for a in &script {
                match &a.how {
                    How::Typed(q) => {
                        search.click().await?;
                        search.send_keys(q).await?;
                        wait_js(
                            &c,
                            &format!(
                                "const h = document.querySelector('.hit.selected'); return h && h.dataset.expert === {:?};",
                                a.expert.id
                            ),
                            10,
                        )
                        .await
                        .with_context(|| format!("{q} → {}", a.expert.name))?;
                        search.send_keys(&char::from(Key::Enter).to_string()).await?;
                    }
                    How::Scan => {
                        focus_away_from_search(&c).await?;
                        keys(&c, &format!("TX:{}\n", a.expert.code)).await?;
                    }
                    How::ScanUnderIme => {
                        search.click().await?;
                        scan_under_ime(&c, &format!("TX:{}", a.expert.code)).await?;
                    }
                }
                n += 1;
                if let Err(e) = wait_present(&c, n).await {
                    let state = page_state(&c).await;
                    bail!("arrival {} by {:?}: {e}; page: {state}", a.expert.name, a.how);
                }
                // Whatever the scanner or the IME typed did not stay in the box.
                wait_js(&c, "return document.querySelector('#search').value === ''", 5).await?;
            }
            screenshot(&c, "desk-mid-morning").await?;

            // A second scan of the first person: a warning, no new record.
            let first = &script[0].expert;
            focus_away_from_search(&c).await?;
            keys(&c, &format!("TX:{}\n", first.code)).await?;
            wait_js(&c, "return document.querySelector('.confirm.dup')", 10).await?;
            let warning = text(&c, ".confirm.dup").await?;
            assert!(warning.contains(&first.name) && warning.contains("已于"), "{warning}");
            assert_eq!(present(&c).await?, n);
            screenshot(&c, "desk-duplicate").await?;

            // Undo the last arrival with a reason.
            chord(&c, Key::Control, 'z').await?;
            wait_js(&c, "return document.querySelector('#undo-reason')", 10).await?;
            c.execute("document.querySelector('#undo-reason').value = ''", vec![]).await?;
            keys(&c, "认错人\n").await?;
            n -= 1;
            wait_present(&c, n).await?;

            // A walk-in.
            keys(&c, &char::from(Key::F2).to_string()).await?;
            wait_js(&c, "return document.querySelector('#wi-name')", 10).await?;
            c.find(Locator::Css("#wi-name")).await?.send_keys("顾晨曦").await?;
            c.find(Locator::Css("#wi-phone")).await?.send_keys("139 0000 7777").await?;
            c.find(Locator::Css("#wi-org")).await?.send_keys("上海大学").await?;
            keys(&c, "\n").await?;
            n += 1;
            wait_present(&c, n).await?;
            assert!(text(&c, ".confirm.ok").await?.contains("顾晨曦"));
            assert_eq!(text(&c, "#walkin-count").await?, "1");
            Ok(())
        })
        .await?;

    // The file, after the window has gone.
    let d = Db::open(&db)?;
    let all = store::checkin::for_checkpoint(d.conn(), EVENT, None)?;
    let (last, kept) = arrivals.split_last().context("arrivals")?;
    for a in kept {
        let mine: Vec<_> = all.iter().filter(|c| c.expert_id == a.expert.id).collect();
        assert_eq!(mine.len(), 1, "{} has one record", a.expert.name);
        assert!(mine[0].revoked_at.is_none(), "{} is in", a.expert.name);
        let method = match a.how {
            How::Typed(_) => Method::Search,
            _ => Method::Scan,
        };
        assert_eq!(mine[0].method, method, "{}", a.expert.name);
        assert_eq!(mine[0].desk_name, "测试台");
    }
    let undone: Vec<_> = all
        .iter()
        .filter(|c| c.expert_id == last.expert.id)
        .collect();
    assert_eq!(undone.len(), 1);
    assert_eq!(undone[0].revoke_reason.as_deref(), Some("认错人"));
    let walkin = store::expert::by_phone(d.conn(), "13900007777")?;
    assert_eq!(walkin.len(), 1);
    assert_eq!(walkin[0].name, "顾晨曦");
    assert!(all.iter().any(|c| c.expert_id == walkin[0].id
        && c.method == Method::Walkin
        && c.revoked_at.is_none()));
    // 9 demo arrivals + the morning's, one record each.
    assert_eq!(all.len(), 9 + arrivals.len() + 1);
    Ok(())
}
