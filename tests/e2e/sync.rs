//! Several desks in the window: this desk's check-ins written as a package, another desk's
//! package merged (counted once, the double check-in listed for review, merging twice changes
//! nothing), automatic backups listed; and a disk that fills up during check-ins: the desk says
//! so plainly and loses nothing it confirmed.

use anyhow::Result;
use chrono::Utc;
use fantoccini::Locator;
use serde_json::json;
use tongxin_core::{checkin, package, store, Checkpoint, Db, Desk, Method};

use crate::harness::{answer_dialog, keys, page_state, present, screenshot, text, wait_js, App};

const EVENT: &str = "2024-jinshan";

fn other_desk() -> Desk {
    Desk {
        id: "desk-2".into(),
        name: "2号台".into(),
    }
}

#[tokio::test]
async fn packages_are_written_and_merged_in_the_window() -> Result<()> {
    let mut files = None;
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        // Desk 2 was set up from a copy of this database before anyone arrived; then both
        // desks checked E-0042 in, and desk 2 two more people.
        let other = db.with_file_name("desk2.db");
        tongxin_core::backup::copy_to(&d, &other)?;
        let e42 = store::expert::by_code(d.conn(), "E-0042")?.unwrap();
        let here = Desk {
            id: "desk-1".into(),
            name: "测试台".into(),
        };
        checkin::check_in(
            &mut d,
            EVENT,
            &e42.id,
            &Checkpoint::Main,
            Method::Search,
            &here,
            Utc::now(),
        )?;
        let mut d2 = Db::open(&other)?;
        for code in ["E-0042", "E-0043", "E-0044"] {
            let e = store::expert::by_code(d2.conn(), code)?.unwrap();
            checkin::check_in(
                &mut d2,
                EVENT,
                &e.id,
                &Checkpoint::Main,
                Method::Search,
                &other_desk(),
                Utc::now(),
            )?;
        }
        let p = package::build(
            &d2,
            EVENT,
            package::Kind::Desk,
            None,
            &other_desk(),
            Utc::now(),
        )?;
        let incoming = db.with_file_name("2号台.txpack");
        let sealed = package::to_bytes(&d2, &p, &package::Sealing::EventKey)?;
        std::fs::write(&incoming, sealed)?;
        // A laptop that loaded the demo day itself: same event, no shared key; it sends its
        // one check-in unsealed.
        let foreign = db.with_file_name("foreign.db");
        let mut d3 = Db::open(&foreign)?;
        tongxin_core::demo::load(&mut d3, Utc::now())?;
        let e45 = store::expert::by_code(d3.conn(), "E-0045")?.unwrap();
        let third = Desk {
            id: "desk-3".into(),
            name: "3号台".into(),
        };
        let now = Utc::now();
        checkin::check_in(
            &mut d3,
            EVENT,
            &e45.id,
            &Checkpoint::Main,
            Method::Search,
            &third,
            now,
        )?;
        let p3 = package::build(&d3, EVENT, package::Kind::Desk, None, &third, now)?;
        let unsealed = db.with_file_name("3号台.txpack");
        std::fs::write(
            &unsealed,
            package::to_bytes(&d3, &p3, &package::Sealing::Unsealed)?,
        )?;
        // Backups made by hand on earlier days, never pruned: two of the three are offered
        // for deletion (the newest stays).
        let backups = db.with_file_name("backups");
        std::fs::create_dir_all(&backups)?;
        for day in ["20240101", "20240301", "20240601"] {
            std::fs::write(
                backups.join(format!("tongxin-{day}-090000-manual.db")),
                b"old",
            )?;
        }
        files = Some((
            incoming,
            db.with_file_name("mine.txpack"),
            unsealed,
            db.with_file_name("分会场.txpack"),
        ));
        Ok(())
    })
    .await?;
    let (incoming, mine, unsealed, sub) = files.unwrap();
    let s = |p: &std::path::Path| p.to_string_lossy().into_owned();
    let (incoming_s, mine_s, unsealed_s, sub_s) = (s(&incoming), s(&mine), s(&unsealed), s(&sub));
    let (_dir, _db) = app
        .run(move |c| async move {
            let before = present(&c).await?;
            c.find(Locator::Css(".nav-item[data-screen=settings]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#pack') && document.querySelector('#no-flags')", 10).await?;
            // Each file goes through the native dialog (the app takes the test's answer).
            let choose = |button: &'static str, path: String| {
                let c = c.clone();
                async move {
                    answer_dialog(&path)?;
                    c.find(Locator::Css(button)).await?.click().await?;
                    anyhow::Ok(())
                }
            };
            // A page that names a file itself is refused, whatever the file.
            let refused = c
                .execute_async(
                    "const done = arguments[arguments.length - 1]; \
                     window.__TAURI__.core.invoke('merge_package', { path: arguments[0], passphrase: null, trustForeign: true }) \
                       .then(() => done('merged'), (e) => done(e.code))",
                    vec![json!(incoming_s)],
                )
                .await?;
            assert_eq!(refused, json!("path_not_chosen"));
            let opener = c
                .execute_async(
                    "const done = arguments[arguments.length - 1]; \
                     window.__TAURI__.core.invoke('open_folder', { path: '/usr/bin/xterm' }).then(() => done('opened'), (e) => done(e.code))",
                    vec![],
                )
                .await?;
            assert_eq!(opener, json!("path_not_chosen"));
            let dialog = c
                .execute_async(
                    "const done = arguments[arguments.length - 1]; \
                     window.__TAURI__.core.invoke('plugin:dialog|open', { options: {} }).then(() => done('opened'), (e) => done(String(e)))",
                    vec![],
                )
                .await?;
            assert!(dialog.as_str().is_some_and(|e| e.contains("not allowed")), "the page has no dialog API: {dialog}");

            choose("#pack", mine_s.clone()).await?;
            wait_js(&c, "return document.querySelector('[data-packed]')", 15).await?;
            // The demo's 9 early check-ins and this desk's one, sealed.
            let written = text(&c, "#exchange-result").await?;
            assert!(written.contains("签到 10 条") && written.contains("已加密"), "{written}");

            choose("#merge", incoming_s.clone()).await?;
            if let Err(e) = wait_js(&c, "return document.querySelector('.merge-report')", 15).await {
                anyhow::bail!("{e}; page: {}", page_state(&c).await);
            }
            let added = c.execute("return document.querySelector('.merge-report').dataset.added", vec![]).await?;
            assert_eq!(added, json!("3"));
            let lines = text(&c, ".merge-lines").await?;
            assert!(lines.contains("新增签到") && lines.contains("2号台"), "{lines}");
            wait_js(&c, "return document.querySelectorAll('#flag-list tbody tr').length === 1", 10).await?;
            let flag = text(&c, "#flag-list tbody tr").await?;
            assert!(flag.contains("测试台") && flag.contains("2号台"), "{flag}");
            c.execute("document.querySelector('.merge-report').scrollIntoView({ block: 'start' })", vec![]).await?;
            screenshot(&c, "settings-merged").await?;

            // Again: nothing new (the 9 early check-ins of the demo were there from the start).
            choose("#merge", incoming_s.clone()).await?;
            wait_js(&c, "return document.querySelector('.merge-report')?.dataset.already === '12'", 15).await?;
            let added = c.execute("return document.querySelector('.merge-report').dataset.added", vec![]).await?;
            assert_eq!(added, json!("0"));

            // The unsealed package: the window asks first; cancelled, nothing is merged.
            choose("#merge", unsealed_s.clone()).await?;
            wait_js(&c, "return document.querySelector('.modal [data-act=ok]')", 15).await?;
            let asked = text(&c, ".modal").await?;
            assert!(asked.contains("此数据包未加密"), "{asked}");
            screenshot(&c, "settings-foreign-confirm").await?;
            c.find(Locator::Css(".modal [data-act=cancel]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#exchange-result [data-code=package_unsealed]')", 15).await?;
            choose("#merge", unsealed_s.clone()).await?;
            wait_js(&c, "return document.querySelector('.modal [data-act=ok]')", 15).await?;
            c.find(Locator::Css(".modal [data-act=ok]")).await?.click().await?;
            if let Err(e) = wait_js(&c, "return document.querySelector('.merge-report')?.dataset.sealed === 'false'", 15).await {
                anyhow::bail!("{e}; result: {}", text(&c, "#exchange-result").await?);
            }
            let added = c.execute("return document.querySelector('.merge-report').dataset.added", vec![]).await?;
            assert_eq!(added, json!("1"), "E-0045 from the third desk");

            // A sub-venue package: its passphrase is shown once, large.
            choose("#pack-sub", sub_s.clone()).await?;
            wait_js(&c, "return document.querySelector('[data-passphrase]')", 30).await?;
            let phrase = c.execute("return document.querySelector('[data-passphrase]').dataset.passphrase", vec![]).await?;
            assert_eq!(phrase.as_str().map(str::len), Some(24), "{phrase}");
            c.execute("document.querySelector('.passphrase-card').scrollIntoView({ block: 'center' })", vec![]).await?;
            screenshot(&c, "settings-passphrase").await?;

            // Automatic backups: one appears after the changes.
            c.find(Locator::Css(".nav-item[data-screen=desk]")).await?.click().await?;
            assert_eq!(present(&c).await?, before + 3, "E-0042 once, E-0043, E-0044 and E-0045");
            c.find(Locator::Css(".nav-item[data-screen=settings]")).await?.click().await?;
            // The backup thread runs every 2 s here and the list is read when the screen
            // opens: reopen it until an automatic backup is listed, for up to 20 s.
            let auto = "return [...document.querySelectorAll('#backup-list tbody tr')].some(r => r.textContent.includes('-auto.db'))";
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while wait_js(&c, auto, 3).await.is_err() {
                anyhow::ensure!(std::time::Instant::now() < deadline, "no automatic backup listed after 20 s");
                c.find(Locator::Css(".nav-item[data-screen=desk]")).await?.click().await?;
                c.find(Locator::Css(".nav-item[data-screen=settings]")).await?.click().await?;
            }
            // The kept backups: said, and the old ones deleted on request.
            c.execute("document.querySelector('#kept-backups').scrollIntoView({ block: 'center' })", vec![]).await?;
            let kept = text(&c, "#kept-backups").await?;
            assert!(kept.contains("不会自动删除") && kept.contains("3 份"), "{kept}");
            screenshot(&c, "settings-kept-backups").await?;
            c.find(Locator::Css("#delete-old")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.modal [data-act=ok]')", 10).await?;
            screenshot(&c, "settings-kept-backups-confirm").await?;
            c.execute("document.querySelector('.modal [data-act=ok]').click()", vec![]).await?;
            wait_js(&c, "return document.querySelector('#kept-backups') && !document.querySelector('#delete-old')", 10).await?;
            assert!(text(&c, "#kept-backups").await?.contains("1 份"));
            Ok(())
        })
        .await?;
    let left: Vec<_> = std::fs::read_dir(_db.with_file_name("backups"))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-manual.db"))
        .collect();
    assert_eq!(left, ["tongxin-20240601-090000-manual.db"]);
    // The package this desk wrote is a valid package with every check-in it knew then.
    let db = Db::open(&_db)?;
    let p = package::read_file(&db, &mine, &package::Unlock::default())?.payload;
    assert_eq!(p.checkins.len(), 10);
    assert_eq!(p.desk.name, "测试台");
    Ok(())
}

#[tokio::test]
async fn a_full_disk_is_said_plainly_and_loses_nothing_confirmed() -> Result<()> {
    let mut codes = Vec::new();
    let app = App::start_with(
        |db| {
            let mut d = Db::open(db)?;
            tongxin_core::demo::load(&mut d, Utc::now())?;
            for s in store::signup::for_event(d.conn(), EVENT)? {
                if store::checkin::active(d.conn(), EVENT, &s.expert_id, None)?.is_none() {
                    codes.push(store::expert::get(d.conn(), &s.expert_id)?.unwrap().code);
                }
            }
            Ok(())
        },
        // The database may grow by two pages, then the disk is "full": SQLite answers
        // SQLITE_FULL exactly as on a full disk (the acceptance suite fills a real file-size
        // limit with the CLI).
        &[("TONGXIN_FAULT_MAX_PAGES_EXTRA", "2".to_string())],
    )
    .await?;
    let (_dir, db) = app
        .run(move |c| async move {
            let start = present(&c).await?;
            let mut confirmed = 0;
            let mut failed = false;
            for code in codes.iter().take(60) {
                keys(&c, &format!("TX:{code}\n")).await?;
                let outcome = wait_js(
                    &c,
                    &format!(
                        "const f = document.querySelector('.confirm.fail'); if (f) return 'fail'; \
                         return document.querySelector('#present-count').textContent === '{}' ? 'ok' : null",
                        start + confirmed + 1
                    ),
                    10,
                )
                .await;
                let outcome = match outcome {
                    Ok(o) => o,
                    Err(e) => anyhow::bail!("{e}; after {confirmed} check-ins; page: {}", page_state(&c).await),
                };
                if outcome == json!("fail") {
                    failed = true;
                    break;
                }
                confirmed += 1;
            }
            assert!(failed, "the disk filled up within 60 check-ins");
            let msg = text(&c, ".confirm.fail").await?;
            assert!(msg.contains("没有保存") && msg.contains("磁盘"), "{msg}");
            // The screen keeps the last good state.
            assert_eq!(present(&c).await?, start + confirmed);
            screenshot(&c, "desk-disk-full").await?;
            std::fs::write(
                tongxin_tests::root().join("tests/output/disk-full-confirmed.txt"),
                format!("{confirmed}"),
            )?;
            Ok(())
        })
        .await?;
    let confirmed: i64 = std::fs::read_to_string(
        tongxin_tests::root().join("tests/output/disk-full-confirmed.txt"),
    )?
    .parse()?;
    let d = Db::open(&db)?;
    let ok: String = d
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    assert_eq!(ok, "ok");
    let a = tongxin_core::attendance::attendance(&d, EVENT, &Checkpoint::Main)?;
    assert!(
        confirmed > 0,
        "some check-ins went through before the disk filled"
    );
    // 9 demo check-ins in the morning, then what the desk confirmed.
    assert_eq!(a.present, 9 + confirmed);
    Ok(())
}
