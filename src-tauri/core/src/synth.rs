//! Synthetic experts in any number, for benchmarks and load tests (never for the demo day,
//! which ships its own data), and the bare baselines the benchmarks measure the desk against.
//! Deterministic for a given seed.

use chrono::{DateTime, Utc};

use crate::{
    clock, search, store, CheckIn, Db, Event, EventKind, Expert, Result, SignUp, SignUpStatus,
};

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解仇查区朴盖翟缪";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红玲芬燕兰凤洁梅琳素云莲真雪荣爱香月瑞凡佳嘉琼勤珍莉璐娅琦晶妍茜秋珊莎锦青倩婷婉娴瑾颖露瑶怡雁蓓仪荷丹蓉君琴蕊薇菁梦岚婕馨琰韵融艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣育滢馥筠柔竹凝晓欢霄枫芸菲寒伊亚宜可舒影思兆国斌宇浩然博文轩睿志鹏飞建海晨阳子豪俊堃珺喆";
const ORGS: &[&str] = &[
    "上海交通大学",
    "华东理工大学",
    "东华大学",
    "上海师范大学",
    "复旦大学",
    "同济大学",
    "华东师范大学",
    "上海大学",
    "上海理工大学",
    "中国科学院上海有机化学研究所",
    "上海市第六人民医院",
    "复旦大学附属中山医院",
    "上海社会科学院",
    "上海市农业科学院",
];

/// A small xorshift generator: reproducible without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// `n` experts with plausible names, organisations and (made-up) phones; codes S-0000001….
pub fn experts(n: usize, seed: u64) -> Vec<Expert> {
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let mut name = String::new();
            name.push(*rng.pick(&surnames));
            name.push(*rng.pick(&given));
            if rng.below(10) < 7 {
                name.push(*rng.pick(&given));
            }
            let phone = format!("1{}{:09}", 3 + rng.below(6), rng.next_u64() % 1_000_000_000);
            Expert {
                id: uuid::Uuid::new_v4().to_string(),
                code: format!("S-{:07}", i + 1),
                name,
                gender: String::new(),
                party: String::new(),
                organisation: rng.pick(ORGS).to_string(),
                title: "研究员".into(),
                field: String::new(),
                phone,
                notes: String::new(),
            }
        })
        .collect()
}

/// An event to load synthetic experts into (benchmarks).
pub fn create_event(db: &Db, id: &str) -> Result<()> {
    store::event::insert(
        db.conn(),
        &Event {
            id: id.to_string(),
            name: "基准测试".into(),
            short_name: String::new(),
            kind: EventKind::Main,
            parent_id: None,
            date: "2024-09-29".into(),
            place: String::new(),
        },
        &crate::seal::new_key()?,
        "2024-09-29T00:00:00.000Z",
    )
}

/// Inserts the experts in one transaction, every one signed up for `event_id` (no point).
pub fn load(db: &mut Db, event_id: &str, experts: &[Expert], now: DateTime<Utc>) -> Result<()> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    for e in experts {
        store::expert::insert(&tx, e, &search::stored_keys(&e.name), &at)?;
        store::signup::insert(
            &tx,
            &SignUp {
                id: store::new_id(),
                event_id: event_id.to_string(),
                expert_id: e.id.clone(),
                point_id: None,
                status: SignUpStatus::Registered,
            },
            &at,
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Makes `points` service points for `event_id` and spreads its sign-ups over them in turn,
/// every twentieth on a point's waiting list (a large day's groups, for benchmarks).
pub fn groups(db: &mut Db, event_id: &str, points: usize) -> Result<()> {
    let at = clock::to_db(chrono::Utc::now());
    let tx = db.conn_mut().transaction()?;
    let ids: Vec<String> = (0..points.max(1))
        .map(|i| format!("{event_id}-g{:03}", i + 1))
        .collect();
    for (i, id) in ids.iter().enumerate() {
        store::point::insert(
            &tx,
            &crate::ServicePoint {
                id: id.clone(),
                event_id: event_id.to_string(),
                theme_id: None,
                name: format!("第{}组服务点", i + 1),
                short_name: format!("{}组", i + 1),
                address: String::new(),
                contact: String::new(),
                contact_phone: String::new(),
                capacity: 0,
                depart_time: "09:30".into(),
                bus: String::new(),
                sort_order: i as i64,
            },
        )?;
    }
    for (i, s) in store::signup::for_event(&tx, event_id)?.iter().enumerate() {
        store::signup::set_point(&tx, &s.id, Some(&ids[i % ids.len()]), &at)?;
        if i % 20 == 19 {
            store::signup::set_status(&tx, &s.id, SignUpStatus::Waiting, &at)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// A large district's ten years of ledger, all dated in `year`: `activities` activities spread
/// over the districts, kinds and months, each with `per_activity` of the `experts` linked
/// (participations = links). The experts must be on file already.
pub fn ledger(
    db: &mut Db,
    year: i32,
    activities: usize,
    per_activity: usize,
    experts: &[Expert],
    now: DateTime<Utc>,
) -> Result<()> {
    let at = clock::to_db(now);
    let tx = db.conn_mut().transaction()?;
    for i in 0..activities {
        let a = crate::Activity {
            id: store::new_id(),
            date: format!("{year:04}-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            district: crate::districts::DISTRICTS[i % 16].0.to_string(),
            name: format!("服务活动 {i}"),
            kind: crate::activities::KINDS[i % 6].to_string(),
            place: String::new(),
            station_id: None,
            participations: per_activity as i64,
            enterprises: (i % 7) as i64,
            people: (i % 50) as i64,
            notes: String::new(),
            same_as_event: None,
        };
        store::activity::insert(&tx, &a, &format!("synth:{}", a.id), None, &at)?;
        for k in 0..per_activity.min(experts.len()) {
            let e = &experts[(i * per_activity + k) % experts.len()];
            store::activity::link_expert(&tx, &a.id, &e.id)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The baseline the desk's search index is measured against: a plain `LIKE` scan over the same
/// rows, as a desk without an index would search; the ids of up to `limit` matches.
pub fn like_scan(db: &Db, query: &str, limit: i64) -> Result<Vec<String>> {
    store::search::like_scan(db.conn(), query, limit)
}

/// The baseline a durable check-in is measured against: the same row written by one bare
/// `INSERT` (autocommit) with none of the desk's checks.
pub fn bare_insert(db: &Db, row: &CheckIn) -> Result<()> {
    store::checkin::insert(db.conn(), row)
}

/// The kinds of query a desk sees, drawn from the experts: whole names, name parts, initials,
/// full pinyin, mixed pinyin, phone digits.
pub fn queries(experts: &[Expert], count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed ^ 0xA5A5);
    (0..count)
        .map(|k| {
            let e = rng.pick(experts);
            let (full, initials) = crate::pinyin::full_and_initials(&e.name);
            let syl = crate::pinyin::syllables(&e.name);
            match k % 6 {
                0 => e.name.clone(),
                1 => e.name.chars().skip(1).collect(),
                2 => initials,
                3 => full,
                4 => {
                    // surname in full, the rest as initials: zhangzg
                    let mut q = syl
                        .first()
                        .and_then(|s| s.readings.first())
                        .cloned()
                        .unwrap_or_default();
                    for s in syl.iter().skip(1) {
                        if let Some(c) = s.readings.first().and_then(|r| r.chars().next()) {
                            q.push(c);
                        }
                    }
                    q
                }
                _ => e.phone[e.phone.len() - 4..].to_string(),
            }
        })
        .collect()
}
