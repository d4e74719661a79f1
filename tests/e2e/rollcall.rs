//! The afternoon roll call at a service point: its list, ticking arrivals by scan and by
//! search, moving someone into a full group (with the warning), and who is on no bus.

use anyhow::{Context, Result};
use chrono::Utc;
use fantoccini::key::Key;
use fantoccini::Locator;
use tongxin_core::{checkin, rollcall, store, Checkpoint, Db, Desk, Method, SignUpStatus};

use crate::harness::{keys, page_state, screenshot, text, wait_js, App};

const EVENT: &str = "2024-jinshan";
const P3: &str = "2024-jinshan-p3"; // 生物医药 · 张江金山园, 22 places
const P1: &str = "2024-jinshan-p1"; // 低空经济 · 御风未来, full (20/20)

#[tokio::test]
async fn the_bus_list_ticks_arrivals_and_moves_people_with_a_capacity_warning() -> Result<()> {
    let mut people = Vec::new();
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        let list: Vec<_> = rollcall::roster(&d, EVENT, P3)?
            .into_iter()
            .filter(|r| r.status == SignUpStatus::Registered && r.morning_time.is_none())
            .take(3)
            .collect();
        // All three came in the morning.
        let desk = Desk {
            id: "m".into(),
            name: "1号台".into(),
        };
        for r in &list {
            checkin::check_in(
                &mut d,
                EVENT,
                &r.expert_id,
                &Checkpoint::Main,
                Method::Scan,
                &desk,
                Utc::now(),
            )?;
        }
        for r in &list {
            people.push(store::expert::get(d.conn(), &r.expert_id)?.context("expert")?);
        }
        Ok(())
    })
    .await?;
    let [scanned, searched, moved] = <[_; 3]>::try_from(people.clone())
        .map_err(|_| anyhow::anyhow!("three people of point 3"))?;
    let (_dir, db) = app
        .run({
            let (scanned, searched, moved) = (scanned.clone(), searched.clone(), moved.clone());
            move |c| async move {
                c.find(Locator::Css(&format!(".chip[data-cp='{P3}']"))).await?.click().await?;
                wait_js(&c, &format!("return document.querySelector('.roster[data-point=\"{P3}\"]')"), 10).await?;
                assert!(text(&c, ".roster-title").await?.contains("张江金山园"));

                // Scanned onto the bus.
                c.execute("document.querySelector('.chip.active').focus()", vec![]).await?;
                keys(&c, &format!("TX:{}\n", scanned.code)).await?;
                let on = |id: &str| format!("return document.querySelector('.roster li.on[data-expert=\"{id}\"]')");
                if let Err(e) = wait_js(&c, &on(&scanned.id), 10).await {
                    anyhow::bail!("{e}; page: {}", page_state(&c).await);
                }
                // Found by name and ticked with Enter.
                let search = c.find(Locator::Css("#search")).await?;
                search.click().await?;
                search.send_keys(&searched.name).await?;
                wait_js(&c, &format!("const h = document.querySelector('.hit.selected'); return h && h.dataset.expert === '{}'", searched.id), 10).await?;
                search.send_keys(&char::from(Key::Enter).to_string()).await?;
                wait_js(&c, &on(&searched.id), 10).await?;
                screenshot(&c, "rollcall").await?;

                // Move the third into the full point 1: a warning, then confirmed.
                c.execute(
                    &format!("document.querySelector('.roster li[data-expert=\"{}\"] [data-act=move]').click()", moved.id),
                    vec![],
                )
                .await?;
                wait_js(&c, "return document.querySelector('#move-to')", 10).await?;
                c.execute(&format!("document.querySelector('#move-to').value = '{P1}'"), vec![]).await?;
                keys(&c, "\n").await?;
                wait_js(&c, "return document.querySelector('.modal .btn-danger') && document.querySelector('.modal-body').textContent.includes('已满')", 10).await?;
                let warning = text(&c, ".modal-body").await?;
                assert!(warning.contains("20/20"), "{warning}");
                screenshot(&c, "rollcall-capacity-warning").await?;
                keys(&c, "\n").await?;
                let gone = format!("return !document.querySelector('.roster li[data-expert=\"{}\"]')", moved.id);
                if let Err(e) = wait_js(&c, &gone, 10).await {
                    anyhow::bail!("{e}; page: {}", page_state(&c).await);
                }

                // F6: who came this morning but is on no bus — the moved one is among them.
                keys(&c, &char::from(Key::F6).to_string()).await?;
                wait_js(&c, "return document.querySelector('.modal .list-scroll')", 10).await?;
                let listed = c
                    .execute(&format!("return !!document.querySelector('.modal li[data-expert=\"{}\"]')", moved.id), vec![])
                    .await?;
                assert_eq!(listed, serde_json::json!(true));
                let scanned_listed = c
                    .execute(&format!("return !!document.querySelector('.modal li[data-expert=\"{}\"]')", scanned.id), vec![])
                    .await?;
                assert_eq!(scanned_listed, serde_json::json!(false));
                Ok(())
            }
        })
        .await?;

    let d = Db::open(&db)?;
    let at_p3 = store::checkin::for_checkpoint(d.conn(), EVENT, Some(P3))?;
    for e in [&scanned, &searched] {
        assert!(
            at_p3
                .iter()
                .any(|c| c.expert_id == e.id && c.revoked_at.is_none()),
            "{} on the bus",
            e.name
        );
    }
    let s = store::signup::current(d.conn(), EVENT, &moved.id)?.context("sign-up")?;
    assert_eq!(s.point_id.as_deref(), Some(P1));
    assert_eq!(store::signup::registered_at_point(d.conn(), P1)?, 21);
    Ok(())
}
