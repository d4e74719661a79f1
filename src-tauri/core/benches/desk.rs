//! Criterion benchmarks of the desk's hot paths: search over 100,000 experts by each kind of
//! query, and a durable check-in. `cargo bench -p tongxin-core`. (`tongxin-cli bench …` runs
//! the same measurements beside their SQLite baselines and prints JSON.)

use std::hint::black_box;

use chrono::Utc;
use criterion::{criterion_group, criterion_main, Criterion};
use tongxin_core::search::SearchIndex;
use tongxin_core::{checkin, pinyin, synth, Checkpoint, Db, Desk, Method};

fn bench_db(path: &std::path::Path, n: usize) -> (Db, Vec<tongxin_core::Expert>) {
    let mut db = Db::open(path).expect("open");
    synth::create_event(&db, "bench").expect("event");
    let people = synth::experts(n, 7);
    synth::load(&mut db, "bench", &people, Utc::now()).expect("load");
    (db, people)
}

fn search(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, people) = bench_db(&dir.path().join("s.db"), 100_000);
    let index = SearchIndex::build(&db, "bench").expect("index");
    let e = &people[4242];
    let (full, initials) = pinyin::full_and_initials(&e.name);
    let cases = [
        ("name", e.name.clone()),
        ("name_part", e.name.chars().skip(1).collect::<String>()),
        ("initials", initials),
        ("full_pinyin", full.clone()),
        ("pinyin_prefix", full[..full.len().min(4)].to_string()),
        ("one_letter", full[..1].to_string()),
        ("phone_last4", e.phone[e.phone.len() - 4..].to_string()),
    ];
    let mut g = c.benchmark_group("search_100k");
    for (label, q) in cases {
        g.bench_function(label, |b| {
            b.iter(|| black_box(index.query(black_box(&q), 8)))
        });
    }
    g.finish();
}

fn durable_check_in(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut db, people) = bench_db(&dir.path().join("c.db"), 20_000);
    let desk = Desk {
        id: "bench".into(),
        name: "基准".into(),
    };
    let mut i = 0;
    c.bench_function("durable_check_in", |b| {
        b.iter(|| {
            let e = &people[i % people.len()];
            i += 1;
            black_box(
                checkin::check_in(
                    &mut db,
                    "bench",
                    &e.id,
                    &Checkpoint::Main,
                    Method::Scan,
                    &desk,
                    Utc::now(),
                )
                .expect("check-in"),
            )
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = search, durable_check_in
}
criterion_main!(benches);
