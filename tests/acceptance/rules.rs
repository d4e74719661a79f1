//! Every way in obeys the same field rules: a name of 41 characters, or an organisation of
//! 201, is refused by the walk-in form, the edit form (add and edit), an imported list and a
//! merged package alike — and 40 and 200 pass everywhere.

use std::path::Path;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tongxin_tests::{cli, cli_json, demo_db};

fn fails(db: &Path, args: &[&str], message: &str) {
    let out = cli(db, args);
    assert!(!out.status.success(), "{args:?} was accepted");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(message), "{args:?}: {err}");
}

fn people(db: &Path) -> usize {
    cli_json(db, &["experts"]).as_array().unwrap().len()
}

/// An unsealed desk package from a copy of `db` with one walk-in whose name and organisation
/// are then set to `name` / `org`, checksum recomputed (merged on trust).
fn package_with(dir: &Path, db: &Path, name: &str, org: &str) -> std::path::PathBuf {
    let b = dir.join("b.db");
    let _ = std::fs::remove_file(&b);
    cli_json(db, &["backup", "--out", b.to_str().unwrap()]);
    let args = [
        "walkin",
        "--name",
        "顾晨曦",
        "--phone",
        "13900007777",
        "--desk",
        "2号台",
    ];
    cli_json(&b, &args);
    let f = dir.join("b.txpack");
    cli_json(&b, &["pack", "--out", f.to_str().unwrap(), "--unsealed"]);
    let bytes = std::fs::read(&f).unwrap();
    let nl = bytes.iter().position(|b| *b == b'\n').unwrap();
    let mut header: Value = serde_json::from_slice(&bytes[..nl]).unwrap();
    let mut p: Value = serde_json::from_slice(&bytes[nl + 1..]).unwrap();
    for e in p["experts"].as_array_mut().unwrap() {
        if e["name"] == "顾晨曦" {
            e["name"] = json!(name);
            e["organisation"] = json!(org);
        }
    }
    let body = serde_json::to_vec(&p).unwrap();
    let sum: String = Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    header["sha256"] = json!(sum);
    header["bytes"] = json!(body.len());
    let mut out = serde_json::to_vec(&header).unwrap();
    out.push(b'\n');
    out.extend(body);
    std::fs::write(&f, out).unwrap();
    f
}

#[test]
fn every_way_in_refuses_a_name_of_41_characters_and_an_organisation_of_201() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let name41 = "名".repeat(41);
    let org201 = "单".repeat(201);
    let before = people(&db);

    fails(&db, &["walkin", "--name", &name41], "姓名太长");
    fails(
        &db,
        &["walkin", "--name", "韩冬", "--organisation", &org201],
        "内容过长",
    );
    fails(&db, &["experts", "add", "--name", &name41], "姓名太长");
    fails(
        &db,
        &[
            "experts",
            "add",
            "--name",
            "韩冬",
            "--organisation",
            &org201,
        ],
        "内容过长",
    );
    fails(
        &db,
        &["experts", "edit", "--code", "E-0001", "--name", &name41],
        "姓名太长",
    );

    let list = dir.path().join("名单.csv");
    std::fs::write(
        &list,
        format!(
            "姓名,手机,工作单位\n{name41},13912345001,复旦大学\n许晴,13912345002,{org201}\n陆一鸣,13912345003,同济大学\n"
        ),
    )
    .unwrap();
    let r = cli_json(
        &db,
        &["import", list.to_str().unwrap(), "--kind", "experts"],
    );
    let codes: Vec<&str> = r["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"name_too_long") && codes.contains(&"field_too_long"),
        "{r}"
    );
    assert_eq!(r["counts"]["added"], 1, "only 陆一鸣: {r}");

    for (name, org, message) in [
        (name41.as_str(), "复旦大学", "姓名过长（41 字）"),
        ("顾晨曦", org201.as_str(), "超过 200 字"),
    ] {
        let f = package_with(dir.path(), &db, name, org);
        fails(
            &db,
            &["merge", f.to_str().unwrap(), "--trust-foreign"],
            message,
        );
    }
    assert_eq!(
        people(&db),
        before + 1,
        "nobody else was added, on any path"
    );
}

#[test]
fn a_name_of_40_characters_and_an_organisation_of_200_pass_every_way_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let name40 = "名".repeat(40);
    let org200 = "单".repeat(200);
    let before = people(&db);
    cli_json(
        &db,
        &["walkin", "--name", &name40, "--organisation", &org200],
    );
    cli_json(
        &db,
        &[
            "experts",
            "add",
            "--name",
            &name40,
            "--organisation",
            &org200,
            "--phone",
            "13912340001",
        ],
    );
    let list = dir.path().join("名单.csv");
    std::fs::write(
        &list,
        format!("姓名,手机,工作单位\n{name40},13912345001,{org200}\n"),
    )
    .unwrap();
    let r = cli_json(
        &db,
        &["import", list.to_str().unwrap(), "--kind", "experts"],
    );
    assert_eq!(r["counts"]["added"], 1, "{r}");
    let f = package_with(dir.path(), &db, &name40, &org200);
    let m = cli_json(&db, &["merge", f.to_str().unwrap(), "--trust-foreign"]);
    assert_eq!(m["added"]["experts"], 1, "{m}");
    assert_eq!(people(&db), before + 4);
}
