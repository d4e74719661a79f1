//! The installed package, not the build tree: `.ci/installed` builds the release `.deb` (and a
//! stand-in of the previous release), and these tests install it with apt, run
//! `/usr/bin/tongxin` as a coordinator would (a fresh home folder, no settings, no database
//! chosen) through the same WebDriver harness, upgrade over the old package, remove and
//! reinstall it. They change the machine's packages: run them through `.ci/installed` (CI runs
//! as root), one at a time.

// Tests panic on purpose when something is not as expected.
#![allow(clippy::unwrap_used)]
#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use fantoccini::Locator;

use harness::{answer_dialog_in, page_state, screenshot, text, wait_js, App};

const BIN: &str = "/usr/bin/tongxin";

fn deb(var: &str) -> Result<PathBuf> {
    let p = std::env::var_os(var)
        .map(PathBuf::from)
        .with_context(|| format!("{var} is not set: run these tests through .ci/installed"))?;
    if !p.exists() {
        bail!("{var}={} does not exist", p.display());
    }
    Ok(p)
}

fn run(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `apt-get install ./FILE.deb`: the package and its declared dependencies, as a coordinator's
/// software centre would install it.
fn install(deb: &Path) -> Result<()> {
    run(Command::new("apt-get")
        .args(["install", "-y", "--allow-downgrades", "-q"])
        .arg(deb))?;
    Ok(())
}

fn remove() -> Result<()> {
    run(Command::new("apt-get").args(["remove", "-y", "-q", "tongxin"]))?;
    Ok(())
}

fn installed_version() -> Option<String> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${Status} ${Version}", "tongxin"])
        .output()
        .ok()?;
    let s = String::from_utf8_lossy(&out.stdout).into_owned();
    s.strip_prefix("install ok installed ").map(str::to_string)
}

/// Where the package puts the window's face (Tauri's resource folder on Linux).
const FONTS: &str = "/usr/lib/tongxin/fonts";

/// How many running processes have `file` mapped (a font the web process draws from).
fn processes_mapping(file: &str) -> usize {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return 0;
    };
    procs
        .flatten()
        .filter(|p| {
            std::fs::read_to_string(p.path().join("maps"))
                .is_ok_and(|maps| maps.lines().any(|l| l.ends_with(file)))
        })
        .count()
}

fn data_dir(home: &Path) -> PathBuf {
    home.join(".local/share/cn.tongxin.checkin")
}

/// The package's files: each in a place a desktop package may put files.
#[test]
fn the_package_puts_its_files_only_in_the_usual_places_and_says_what_it_needs() -> Result<()> {
    let new = deb("TONGXIN_DEB")?;
    let field = |f: &str| run(Command::new("dpkg-deb").args(["-f"]).arg(&new).arg(f));
    assert_eq!(field("Package")?.trim(), "tongxin");
    let depends = field("Depends")?;
    for need in [
        "libwebkit2gtk-4.1-0",
        "libgtk-3-0",
        "fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei",
    ] {
        assert!(depends.contains(need), "Depends lacks {need}: {depends}");
    }
    assert!(
        !depends.contains("-dev"),
        "a runtime package must not need -dev packages: {depends}"
    );
    assert!(!field("Maintainer")?.trim().is_empty());
    assert!(field("Description")?.contains("专家服务日"));
    install(&new)?;
    let files = run(Command::new("dpkg").args(["-L", "tongxin"]))?;
    let allowed = [
        "/usr/bin/",
        "/usr/share/applications/",
        "/usr/share/icons/hicolor/",
        "/usr/share/doc/tongxin/",
        // The window's own face (the app adds it to fontconfig for itself: src/fonts.rs).
        "/usr/lib/tongxin/fonts/",
    ];
    let mut icons = Vec::new();
    for f in files.lines().map(str::trim).filter(|f| !f.is_empty()) {
        if Path::new(f).is_dir() {
            continue;
        }
        assert!(
            allowed.iter().any(|a| f.starts_with(a)),
            "unexpected file in the package: {f}"
        );
        if f.starts_with("/usr/share/icons/hicolor/") {
            icons.push(f.to_string());
        }
    }
    assert!(files.lines().any(|f| f.trim() == BIN), "{files}");
    for font in ["TongxinSans-Regular.otf", "TongxinSans-Bold.otf"] {
        let path = format!("{FONTS}/{font}");
        assert!(
            files.lines().any(|f| f.trim() == path),
            "no {path}: {files}"
        );
    }
    for size in ["32x32", "64x64", "128x128", "256x256", "512x512"] {
        // In the theme's own size folders (the bundler puts `@2x` files in `256x256@2`).
        assert!(
            icons.iter().any(|i| i.contains(&format!("/{size}/"))),
            "no {size} icon: {icons:?}"
        );
    }
    let desktop = std::fs::read_to_string("/usr/share/applications/tongxin.desktop")
        .context("the desktop entry")?;
    assert!(desktop.lines().any(|l| l == "Name=同心签到"), "{desktop}");
    assert!(
        desktop
            .lines()
            .any(|l| l.starts_with("Comment=") && l.contains("签到")),
        "{desktop}"
    );
    assert!(desktop.lines().any(|l| l == "Exec=tongxin"), "{desktop}");
    if Command::new("desktop-file-validate")
        .arg("--version")
        .output()
        .is_ok()
    {
        run(Command::new("desktop-file-validate").arg("/usr/share/applications/tongxin.desktop"))?;
    }
    Ok(())
}

/// A coordinator's first start of the installed app: the welcome screen, the demo chosen, a
/// name typed and Enter — and the check-in is in the data folder of that home; a PDF sheet
/// saved from the installed app carries its fonts; the window draws from the face it ships.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_installed_app_starts_on_its_welcome_screen_and_checks_someone_in() -> Result<()> {
    install(&deb("TONGXIN_DEB")?)?;
    let home = tempfile::tempdir()?;
    let pdf = home.path().join("签到表.pdf");
    let pdf_s = pdf.to_string_lossy().into_owned();
    let chosen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let picked = chosen.clone();
    let db_path = data_dir(home.path()).join("tongxin.db");
    let home_dir = home.path().to_path_buf();
    let app = App::start_home(Path::new(BIN), home.path(), Some(harness::start_xvfb()?)).await?;
    let (_none, db) = app
        .run(move |c| async move {
            if let Err(e) = wait_js(&c, "return document.querySelector('#welcome')?.offsetParent != null", 15).await {
                bail!("the installed app did not open on its welcome screen: {e}; page: {}", page_state(&c).await);
            }
            screenshot(&c, "installed-first-run").await?;
            c.find(Locator::Css("#choose-demo")).await?.click().await?;
            wait_js(&c, "return /^\\d+$/.test(document.querySelector('#present-count')?.textContent)", 15).await?;
            let before: i64 = text(&c, "#present-count").await?.parse()?;
            // The desk's Chinese is drawn from the face the package ships, not the system's.
            let face = format!("{FONTS}/TongxinSans-Regular.otf");
            if processes_mapping(&face) == 0 {
                bail!("no process of the installed app draws from {face}");
            }
            let (id, name) = someone_to_check_in(&db_path)?;
            *chosen.lock().unwrap() = id;
            c.find(Locator::Css("#search")).await?.send_keys(&name).await?;
            let hit = format!("return document.querySelector('.hit.selected .hit-name')?.textContent === '{name}'");
            wait_js(&c, &hit, 10).await?;
            c.find(Locator::Css("#search")).await?.send_keys("\u{E007}").await?;
            let after = format!("return document.querySelector('#present-count').textContent === '{}'", before + 1);
            if let Err(e) = wait_js(&c, &after, 10).await {
                bail!("{e}; page: {}", page_state(&c).await);
            }
            // A PDF sign-in sheet, saved where the save dialog would have said.
            c.find(Locator::Css(".nav-item[data-screen=export]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('.print-sheet tbody tr')", 15).await?;
            answer_dialog_in(&home_dir, &pdf_s)?;
            c.find(Locator::Css("[data-format=pdf]")).await?.click().await?;
            wait_js(&c, "return document.querySelector('#x-status [data-saved]')", 30).await?;
            Ok(())
        })
        .await?;
    assert_eq!(db, data_dir(home.path()).join("tongxin.db"));
    assert!(db.exists(), "no database in the fresh home's data folder");
    let checkins = tongxin_tests::cli_json(&db, &["checkins"]);
    let id = picked.lock().unwrap().clone();
    let found = checkins.as_array().is_some_and(|a| {
        a.iter()
            .any(|c| c["expert_id"] == id.as_str() && c["revoked_at"].is_null())
    });
    assert!(
        found,
        "{id}, checked in at the installed app's desk, is not in its database: {checkins}"
    );
    let fonts = run(Command::new("pdffonts").arg(&pdf))?;
    let embedded: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!embedded.is_empty(), "the PDF has no fonts: {fonts}");
    for line in &embedded {
        // pdffonts columns: name type encoding emb sub uni object ID; "emb" must be yes.
        let cols: Vec<&str> = line.split_whitespace().collect();
        let emb = cols
            .get(cols.len().saturating_sub(5))
            .copied()
            .unwrap_or("");
        assert_eq!(emb, "yes", "a font is not embedded: {line}");
    }
    assert!(fonts.contains("NotoSansCJK"), "{fonts}");
    Ok(())
}

/// The installed app on `home` opens on the day already there, not on the welcome screen.
async fn opens_on_the_day(home: &Path) -> Result<()> {
    let app = App::start_home(Path::new(BIN), home, Some(harness::start_xvfb()?)).await?;
    app.run(|c| async move {
        let shown = "return /^\\d+$/.test(document.querySelector('#present-count')?.textContent)";
        if let Err(e) = wait_js(&c, shown, 15).await {
            bail!(
                "the app does not open on the day: {e}; page: {}",
                page_state(&c).await
            );
        }
        let welcome = c
            .execute("return !!document.querySelector('#welcome')", vec![])
            .await?;
        if welcome.as_bool() == Some(true) {
            bail!("the app shows its welcome screen over an existing day");
        }
        Ok(())
    })
    .await?;
    Ok(())
}

/// A registered demo expert not checked in yet whose name nobody else bears.
fn someone_to_check_in(db: &Path) -> Result<(String, String)> {
    let d = tongxin_core::Db::open(db)?;
    let who = d.conn().query_row(
        "SELECT e.id, e.name FROM expert e JOIN signup s ON s.expert_id = e.id
          WHERE s.event_id = '2024-jinshan' AND s.status = 'registered' AND s.point_id IS NOT NULL
            AND length(e.name) = 3
            AND (SELECT COUNT(*) FROM expert o WHERE instr(o.name, e.name) > 0) = 1
            AND NOT EXISTS (SELECT 1 FROM checkin c WHERE c.expert_id = e.id)
          ORDER BY e.code LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(who)
}

/// The day survives an upgrade, an uninstall and a reinstall: the previous release's database
/// (tests/fixtures/upgrade) in the data folder, the old package, the new one over it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgrade_and_an_uninstall_keep_the_coordinators_day() -> Result<()> {
    let old = deb("TONGXIN_DEB_OLD")?;
    let new = deb("TONGXIN_DEB")?;
    let _ = remove();
    install(&old)?;
    let old_version = installed_version().context("the old package is not installed")?;
    let home = tempfile::tempdir()?;
    let data = data_dir(home.path());
    std::fs::create_dir_all(&data)?;
    let fixture = tongxin_tests::root().join("tests/fixtures/upgrade/tongxin-0.1.0.db");
    std::fs::copy(&fixture, data.join("tongxin.db"))?;
    // Counted on a copy: opening the fixture itself would encrypt and migrate it in place.
    let counted = home.path().join("counted.db");
    std::fs::copy(&fixture, &counted)?;
    let expected = tongxin_tests::cli_json(&counted, &["checkins"])
        .as_array()
        .map(Vec::len);

    install(&new)?;
    let new_version = installed_version().context("the new package is not installed")?;
    assert_ne!(
        old_version, new_version,
        "the upgrade did not change the version"
    );

    opens_on_the_day(home.path()).await?;
    let db = data.join("tongxin.db");
    let after = tongxin_tests::cli_json(&db, &["checkins"])
        .as_array()
        .map(Vec::len);
    assert_eq!(after, expected, "check-ins before and after the upgrade");

    // Uninstalling removes the program and leaves the coordinator's data where it was.
    remove()?;
    assert!(
        !Path::new(BIN).exists(),
        "{BIN} is still there after apt-get remove"
    );
    assert!(db.exists(), "apt-get remove deleted the data folder");
    install(&new)?;
    opens_on_the_day(home.path()).await?;
    let again = tongxin_tests::cli_json(&db, &["checkins"])
        .as_array()
        .map(Vec::len);
    assert_eq!(again, expected, "check-ins after reinstalling");
    Ok(())
}
