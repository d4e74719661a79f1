//! The window opens on the demo day.

use anyhow::Result;

use crate::harness::{screenshot, text, wait_js, App};

#[tokio::test]
async fn the_window_opens_on_the_demo_day_and_shows_its_name() -> Result<()> {
    // An empty file: the app's first start loads the demo day into it.
    let app = App::start(|_| Ok(())).await?;
    let (_dir, db) = app
        .run(|c| async move {
            wait_js(
                &c,
                "return document.querySelector('#event-title .event-name')",
                10,
            )
            .await?;
            assert_eq!(
                text(&c, "#event-title .event-name").await?,
                "2024年上海党外知识分子专家服务日"
            );
            assert_eq!(text(&c, "#event-title .event-venue").await?, "金山主会场");
            assert_eq!(text(&c, "#brand").await?, "同心签到");
            assert_eq!(c.title().await?, "同心签到");
            // The desk is the landing screen and its counts come from the database.
            wait_js(
                &c,
                "return /^\\d+$/.test(document.querySelector('#present-count').textContent)",
                10,
            )
            .await?;
            // 115 registered and 6 waiting for a service point's place: all expected.
            assert_eq!(text(&c, "#expected-count").await?, "121");
            screenshot(&c, "shell-demo-day").await?;
            Ok(())
        })
        .await?;
    let events = tongxin_tests::cli_json(&db, &["events"]);
    assert_eq!(events[0]["id"], "2024-jinshan");
    Ok(())
}
