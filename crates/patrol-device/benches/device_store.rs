//! Benchmarks of the device store against the goals of the foundation issue:
//!
//! - `record_entry/hazard_into_10k`: one hazard and its outbox row, in its own transaction,
//!   fsync included (WAL, `synchronous=FULL`), into a store of ~10,000 entries [≤ 2 ms];
//!   `record_entry/raw_fsync_append_4k` is the same disk's bare fsync, for comparison.
//! - `list_entries_100k/*`: a page of 50 (newest, at page 100 by cursor, one kind) [≤ 2 ms].
//! - `search_100k/*`: Chinese full-text search, trigram (3+ characters) and LIKE (2) [≤ 20 ms].
//! - `statistics_100k/year_2024`: one year of statistics [≤ 50 ms].
//!
//! Run with `cargo bench -p patrol-device --bench device_store`. The stores are real files in a
//! temporary directory on a real disk (under `target/` when the system temp dir is a tmpfs, where
//! fsync costs nothing). The 100,000-entry log is generated deterministically (a seeded xorshift):
//! patrols (joint and regular), hazards (every category and severity) and repairs (every category,
//! some closing an earlier hazard), spread over 2023–2024 at +08:00, with Chinese text.
//!
//! Under `cargo test --all-targets` (no `--bench` argument) criterion runs each benchmark once;
//! the stores are then small so that the test suite stays fast.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use patrol_device::{DeviceStore, EntryListQuery, StatisticsQuery};
use patrol_model::{
    parse_entry_draft, DomainCode, Entry, EntryBody, EntryDraft, EntryKind, HazardCategory,
    HazardSeverity, RepairCategory,
};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Entries recorded per `record_entries` transaction while filling a store.
const FILL_BATCH: usize = 5_000;

/// Whether criterion is measuring (`cargo bench`) rather than checking that each benchmark
/// runs (`cargo test --all-targets`, `cargo bench -- --test`).
fn measuring() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|arg| arg == "--bench") && !args.iter().any(|arg| arg == "--test")
}

/// (entries in the store `record_entry` writes into, entries in the store queries read).
fn store_sizes() -> (usize, usize) {
    if measuring() {
        (10_000, 100_000)
    } else {
        (300, 3_000)
    }
}

// ---------------------------------------------------------------------------------------------
// Where the stores live

/// A fresh temporary directory on a disk where fsync is real.
fn directory_on_disk() -> BenchDirectory {
    let system = std::env::temp_dir();
    let builder = {
        let mut builder = tempfile::Builder::new();
        builder.prefix("patrol-bench-");
        builder
    };
    let directory = if is_memory_filesystem(&filesystem_of(&system)) {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
        std::fs::create_dir_all(&target).unwrap();
        builder.tempdir_in(target).unwrap()
    } else {
        builder.tempdir().unwrap()
    };
    let filesystem = filesystem_of(directory.path());
    assert!(
        !is_memory_filesystem(&filesystem),
        "{} is on {filesystem}: fsync would cost nothing",
        directory.path().display()
    );
    eprintln!(
        "store directory: {} ({filesystem})",
        directory.path().display()
    );
    // PATROL_BENCH_KEEP=1 keeps the stores, to look at them afterwards (EXPLAIN QUERY PLAN).
    if std::env::var_os("PATROL_BENCH_KEEP").is_some() {
        BenchDirectory {
            path: directory.keep(),
            _guard: None,
        }
    } else {
        BenchDirectory {
            path: directory.path().to_path_buf(),
            _guard: Some(directory),
        }
    }
}

/// A directory for one store, removed afterwards unless kept.
struct BenchDirectory {
    path: PathBuf,
    _guard: Option<TempDir>,
}

impl BenchDirectory {
    fn path(&self) -> &Path {
        &self.path
    }
}

fn is_memory_filesystem(filesystem: &str) -> bool {
    matches!(filesystem, "tmpfs" | "ramfs")
}

/// The type of the filesystem `path` is on, from the longest matching mount point.
fn filesystem_of(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (_device, mount_point, filesystem) =
                (fields.next()?, fields.next()?, fields.next()?);
            path.starts_with(mount_point)
                .then(|| (mount_point.len(), filesystem.to_string()))
        })
        .max()
        .map(|(_, filesystem)| filesystem)
        .unwrap_or_else(|| "unknown filesystem".to_string())
}

fn store_file_mib(store: &DeviceStore) -> f64 {
    let database = store.database_path();
    let wal = PathBuf::from(format!("{}-wal", database.display()));
    let bytes: u64 = [database, wal]
        .iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|metadata| metadata.len())
        .sum();
    bytes as f64 / (1024.0 * 1024.0)
}

// ---------------------------------------------------------------------------------------------
// A deterministic patrol log

/// xorshift64*: tiny, seeded, good enough to make a log look lived-in.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next_u64() as usize % items.len()]
    }

    /// One of `items`, each with its weight.
    fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, weight)| weight).sum();
        let mut roll = self.between(0, u64::from(total) - 1) as u32;
        for (item, weight) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        unreachable!("the roll is below the total weight")
    }

    /// A decimal in `low..high` with one digit after the point.
    fn tenths(&mut self, low: f64, high: f64) -> f64 {
        ((low + self.unit() * (high - low)) * 10.0).round() / 10.0
    }
}

const MEMBERS: &[&str] = &[
    "李国华",
    "王明",
    "张建军",
    "刘志强",
    "陈卫东",
    "杨光荣",
    "黄海涛",
    "赵永刚",
    "周德胜",
    "吴振华",
    "农丽萍",
    "韦海燕",
    "梁文斌",
    "覃春生",
];

const PLACES: &[&str] = &[
    "{a}号界碑附近",
    "{a}号至{b}号界碑之间",
    "巡逻便道K{a}+{n}处",
    "弄合村口",
    "百南乡边境线",
    "平孟口岸东侧约{n}米",
    "那坡段界河边",
    "哨所北侧山坳",
    "念井屯后山",
    "边境公路{a}公里处",
];

const PATROL_FINDINGS: &[&str] = &[
    "沿线界碑完好,无移位",
    "未发现异常",
    "未发现异常情况",
    "发现可疑脚印一处,已报告边境派出所",
    "便道有积水,车辆通行困难",
    "铁网完好",
    "对沿线村寨开展政策宣传",
    "监控摄像头运行正常",
    "发现非法越境通道痕迹,已拍照取证",
    "清理界碑周边杂草",
    "山体有小规模落石",
    "劝返边民两人",
    "查验过往车辆三辆,无异常",
    "巡查边境小道,通信信号弱",
    "夜间巡逻,天气有雾,能见度低",
    "雨后道路湿滑,注意安全",
    "与驻地部队交接巡逻情况",
    "界碑周边有新开垦的耕地,已提醒村民",
];

/// Who comes along on a joint patrol.
const PARTNER_GROUPS: &[&[&str]] = &[
    &["army"],
    &["police"],
    &["army", "police"],
    &["village_committee"],
    &["police", "village_committee"],
    &["army", "police", "village_committee"],
    &["other"],
];

/// Rare on purpose: "野猪" is the two-character word that matches almost nothing.
const RARE_FINDING: &str = "发现野猪活动痕迹";

fn hazard_problems(category: HazardCategory) -> &'static [&'static str] {
    match category {
        HazardCategory::Road => &[
            "便道被雨水冲刷,路面塌陷约{n}米",
            "道路边坡出现裂缝",
            "路面积水严重,摩托车无法通行",
            "涵洞堵塞",
            "巡逻便道被倒伏树木阻断",
        ],
        HazardCategory::Landslide => &[
            "山体塌方,土石堆积约{n}方",
            "边坡落石频繁",
            "塌方阻断巡逻路线",
            "雨后山体出现滑移迹象",
        ],
        HazardCategory::Water => &[
            "水源地水质浑浊",
            "蓄水池渗漏",
            "引水管破裂",
            "水井水位下降,饮水困难",
        ],
        HazardCategory::Power => &[
            "太阳能板损坏",
            "电线被风刮断",
            "蓄电池老化,夜间照明不足",
            "配电箱进水",
        ],
        HazardCategory::Fence => &[
            "铁网被洪水冲毁约{n}米",
            "铁网底部被掏空",
            "铁网立柱锈蚀倾斜",
            "铁网有人为剪断痕迹",
        ],
        HazardCategory::Camera => &[
            "监控摄像头离线",
            "摄像头镜头被遮挡",
            "红外报警器误报频繁",
            "监控杆被雷击损坏",
        ],
        HazardCategory::Crossing => &[
            "发现非法越境便道",
            "界河枯水期可徒步涉水",
            "甘蔗林遮挡视线,形成盲区",
            "发现可疑脚印",
        ],
        HazardCategory::Other => &[
            "警示牌缺失",
            "哨所屋顶漏雨",
            "界碑周边杂草过高",
            "界碑漆面脱落,字迹不清",
        ],
    }
}

const HAZARD_FOLLOW_UPS: &[&str] = &[
    "已设置警示标志",
    "已上报连队",
    "需尽快处理",
    "已拍照留存",
    "等待物资到位后修复",
    "已通知村委会",
];

fn repair_works(category: RepairCategory) -> &'static [&'static str] {
    match category {
        RepairCategory::Road => &["清理便道碎石,平整路面", "修补水毁路段", "疏通涵洞"],
        RepairCategory::Landslide => &["清理塌方土石", "人工清理落石", "清理塌方并设置挡土墙"],
        RepairCategory::Water => &["更换引水管", "清洗蓄水池", "修补蓄水池裂缝"],
        RepairCategory::Power => &["更换太阳能板", "重新架设电线", "更换蓄电池"],
        RepairCategory::Fence => &["修复被冲毁铁网", "更换锈蚀立柱", "加固铁网底部"],
        RepairCategory::Camera => &["更换监控摄像头", "调整摄像头角度并清洁镜头", "修复监控杆"],
        RepairCategory::Other => &["补设警示牌", "修补哨所屋顶", "重新描红界碑字迹"],
    }
}

/// The hazard categories a repair of `category` closes.
fn closable_by(category: RepairCategory) -> &'static [HazardCategory] {
    match category {
        RepairCategory::Road => &[HazardCategory::Road],
        RepairCategory::Landslide => &[HazardCategory::Landslide],
        RepairCategory::Water => &[HazardCategory::Water],
        RepairCategory::Power => &[HazardCategory::Power],
        RepairCategory::Fence => &[HazardCategory::Fence],
        RepairCategory::Camera => &[HazardCategory::Camera],
        RepairCategory::Other => &[HazardCategory::Crossing, HazardCategory::Other],
    }
}

/// Generates drafts in time order, spread evenly over 2023-01-01..=2024-12-31 (+08:00). Repairs
/// close hazards recorded in earlier batches (see [`LogGenerator::remember`]).
struct LogGenerator {
    rng: Rng,
    total: usize,
    made: usize,
    open_hazards: HashMap<HazardCategory, VecDeque<String>>,
}

const FIRST_DAY: (i32, u32, u32) = (2023, 1, 1);
const DAYS: u64 = 731;

impl LogGenerator {
    fn new(seed: u64, total: usize) -> LogGenerator {
        LogGenerator {
            rng: Rng::new(seed),
            total,
            made: 0,
            open_hazards: HashMap::new(),
        }
    }

    fn remaining(&self) -> usize {
        self.total - self.made
    }

    fn batch(&mut self, size: usize) -> Vec<EntryDraft> {
        (0..size.min(self.remaining()))
            .map(|_| self.next_draft())
            .collect()
    }

    /// Hazards just recorded become open hazards later repairs may close.
    fn remember(&mut self, entries: &[Entry]) {
        for entry in entries {
            if let EntryBody::Hazard(hazard) = &entry.draft.body {
                self.open_hazards
                    .entry(hazard.category)
                    .or_default()
                    .push_back(entry.id.to_string());
            }
        }
    }

    fn next_draft(&mut self) -> EntryDraft {
        let day = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2)
            .unwrap()
            .checked_add_days(Days::new(self.made as u64 * DAYS / self.total as u64))
            .unwrap();
        self.made += 1;
        let kind = *self.rng.weighted(&[
            (EntryKind::Patrol, 45),
            (EntryKind::Hazard, 30),
            (EntryKind::Repair, 25),
        ]);
        let json = match kind {
            EntryKind::Patrol => self.patrol(day),
            EntryKind::Hazard => self.hazard(day),
            EntryKind::Repair => self.repair(day),
            other => unreachable!("the generator makes no {other:?}"),
        };
        parse_entry_draft(&json.to_string(), None).expect("generated drafts are valid")
    }

    fn at(&mut self, day: NaiveDate, from_hour: u64, to_hour: u64) -> NaiveDateTime {
        let minute = self.rng.between(from_hour * 60, to_hour * 60 - 1);
        let second = self.rng.between(0, 59);
        day.and_time(
            NaiveTime::from_num_seconds_from_midnight_opt((minute * 60 + second) as u32, 0)
                .unwrap(),
        )
    }

    fn location(&mut self) -> Value {
        json!({
            "lat": 22.95 + self.rng.unit() * 0.55,
            "lon": 105.45 + self.rng.unit() * 0.75,
            "accuracy_m": self.rng.between(3, 30),
        })
    }

    fn place(&mut self) -> String {
        let a = self.rng.between(101, 158);
        self.rng
            .pick(PLACES)
            .replace("{b}", &(a + self.rng.between(1, 3)).to_string())
            .replace("{a}", &a.to_string())
            .replace("{n}", &self.rng.between(20, 900).to_string())
    }

    fn members(&mut self, count: usize) -> Vec<&'static str> {
        let start = self.rng.between(0, MEMBERS.len() as u64 - 1) as usize;
        (0..count)
            .map(|offset| MEMBERS[(start + offset * 5) % MEMBERS.len()])
            .collect()
    }

    fn patrol(&mut self, day: NaiveDate) -> Value {
        // Mostly by day; some night patrols.
        let started = if self.rng.chance(0.15) {
            self.at(day, 19, 23)
        } else {
            self.at(day, 6, 16)
        };
        let ended = started + TimeDelta::minutes(self.rng.between(80, 360) as i64);
        let joint = self.rng.chance(0.35);
        let partners: Vec<Value> = if joint {
            self.rng
                .pick(PARTNER_GROUPS)
                .iter()
                .map(|unit| json!({"unit": unit, "count": self.rng.between(1, 8)}))
                .collect()
        } else {
            Vec::new()
        };
        let member_count = self.rng.between(2, 4) as usize;
        let first_marker = self.rng.between(101, 156);
        let markers: Vec<String> = (first_marker..first_marker + self.rng.between(1, 4))
            .map(|marker| marker.to_string())
            .collect();
        let finding_count = self.rng.between(1, 3) as usize;
        let mut findings: Vec<&str> = (0..finding_count)
            .map(|_| *self.rng.pick(PATROL_FINDINGS))
            .collect();
        if self.rng.chance(0.0015) {
            findings.push(RARE_FINDING);
        }
        let mut patrol = json!({
            "kind": "patrol",
            "occurred_at": rfc3339(started),
            "ended_at": rfc3339(ended),
            "author": self.members(1)[0],
            "location": self.location(),
            "body": {
                "joint": joint,
                "members": self.members(member_count),
                "partners": partners,
                "markers": markers,
                "findings": format!("{}。", findings.join(",")),
            },
        });
        if self.rng.chance(0.8) {
            patrol["body"]["distance_km"] = json!(self.rng.tenths(3.0, 25.0));
        }
        patrol
    }

    fn hazard(&mut self, day: NaiveDate) -> Value {
        let category = *self.rng.weighted(&[
            (HazardCategory::Road, 20),
            (HazardCategory::Landslide, 15),
            (HazardCategory::Water, 10),
            (HazardCategory::Power, 10),
            (HazardCategory::Fence, 20),
            (HazardCategory::Camera, 10),
            (HazardCategory::Crossing, 8),
            (HazardCategory::Other, 7),
        ]);
        let severity = *self.rng.weighted(&[
            (HazardSeverity::Low, 35),
            (HazardSeverity::Medium, 35),
            (HazardSeverity::High, 20),
            (HazardSeverity::Critical, 10),
        ]);
        // ~10 to 80 characters: a place, one to three problems, maybe what was done.
        let mut parts = vec![self.place()];
        for _ in 0..self.rng.between(1, 3) {
            let problem = self.rng.pick(hazard_problems(category)).to_string();
            let problem = problem.replace("{n}", &self.rng.between(2, 60).to_string());
            if !parts.contains(&problem) {
                parts.push(problem);
            }
        }
        if self.rng.chance(0.6) {
            parts.push(self.rng.pick(HAZARD_FOLLOW_UPS).to_string());
        }
        let mut description: String = parts.join(",").chars().take(79).collect();
        description.push('。');
        let mut hazard = json!({
            "kind": "hazard",
            "occurred_at": rfc3339(self.at(day, 7, 19)),
            "location": self.location(),
            "body": {
                "category": category.code(),
                "severity": severity.code(),
                "description": description,
            },
        });
        if self.rng.chance(0.85) {
            hazard["author"] = json!(self.members(1)[0]);
        }
        hazard
    }

    fn repair(&mut self, day: NaiveDate) -> Value {
        let category = *self.rng.pick(RepairCategory::ALL);
        let (quantity, unit) = match category {
            RepairCategory::Road => (json!(self.rng.tenths(0.1, 3.0)), "km"),
            // Now and then a fence repair is entered in km; it is totalled in m.
            RepairCategory::Fence if self.rng.chance(0.05) => {
                (json!(self.rng.tenths(0.1, 0.5)), "km")
            }
            RepairCategory::Fence => (json!(self.rng.between(5, 300)), "m"),
            _ => (json!(self.rng.between(1, 6)), "count"),
        };
        let mut body = json!({
            "category": category.code(),
            "quantity": quantity,
            "unit": unit,
            "description": format!("{},{}", self.place(), self.rng.pick(repair_works(category))),
        });
        if self.rng.chance(0.6) {
            let hazard_category = *self.rng.pick(closable_by(category));
            let closes = self
                .open_hazards
                .get_mut(&hazard_category)
                .and_then(VecDeque::pop_front);
            if let Some(hazard_id) = closes {
                body["closes_hazard"] = json!(hazard_id);
            }
        }
        json!({
            "kind": "repair",
            "occurred_at": rfc3339(self.at(day, 8, 18)),
            "author": self.members(1)[0],
            "location": self.location(),
            "body": body,
        })
    }
}

fn rfc3339(time: NaiveDateTime) -> String {
    format!("{}+08:00", time.format("%Y-%m-%dT%H:%M:%S"))
}

/// A fresh store in `directory` holding `total` generated entries.
fn filled_store(directory: &Path, seed: u64, total: usize) -> DeviceStore {
    let mut store = DeviceStore::open(directory).unwrap();
    store
        .set_setting(patrol_device::CURRENT_MEMBER_SETTING, "李国华")
        .unwrap();
    let mut generator = LogGenerator::new(seed, total);
    let started = Instant::now();
    while generator.remaining() > 0 {
        let drafts = generator.batch(FILL_BATCH);
        let entries = store.record_entries(drafts).unwrap();
        generator.remember(&entries);
    }
    eprintln!(
        "filled a store with {total} entries in {:.1} s: {:.0} MiB",
        started.elapsed().as_secs_f64(),
        store_file_mib(&store)
    );
    store
}

/// The hazard `record_entry` records, as a member would type it in.
fn new_hazard(rng: &mut Rng) -> EntryDraft {
    let category = *rng.pick(HazardCategory::ALL);
    let severity = *rng.pick(HazardSeverity::ALL);
    let json = json!({
        "kind": "hazard",
        "occurred_at": format!("2024-12-31T{:02}:{:02}:00+08:00", rng.between(7, 18), rng.between(0, 59)),
        "location": {"lat": 23.4251, "lon": 105.8312, "accuracy_m": 8},
        "body": {
            "category": category.code(),
            "severity": severity.code(),
            "description": format!("{}号界碑附近,{}", rng.between(101, 158), hazard_problems(category)[0]),
        },
    });
    parse_entry_draft(&json.to_string(), None).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Benchmarks

fn record_entry(c: &mut Criterion) {
    let (size, _) = store_sizes();
    let directory = directory_on_disk();
    let mut store = filled_store(directory.path(), 0x5eed_0001, size);
    let mut rng = Rng::new(0x5eed_0002);

    // Sanity: one hazard appends exactly one outbox row.
    let pending = store.pending_outbox_count().unwrap();
    store
        .record_entry(new_hazard(&mut rng), Vec::new())
        .unwrap();
    assert_eq!(store.pending_outbox_count().unwrap(), pending + 1);

    // What one commit appends to the WAL (and so what its fsync has to make durable).
    let commit_bytes = wal_bytes_per_commit(&mut store, &mut rng);
    eprintln!(
        "one record_entry commit appends {commit_bytes} bytes to the WAL ({} frames)",
        commit_bytes / WAL_FRAME_BYTES
    );

    let mut group = c.benchmark_group("record_entry");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("hazard_into_10k", |b| {
        b.iter_batched(
            || new_hazard(&mut rng),
            |draft| store.record_entry(draft, Vec::new()).unwrap(),
            BatchSize::SmallInput,
        )
    });

    // The disk's own fsync, for comparison: append a page, or as much as one commit appends to
    // the WAL, to a file in the same directory and fsync it.
    let mut probe = FsyncProbe::new(directory.path(), commit_bytes);
    group.bench_function("raw_fsync_append_4k", |b| b.iter(|| probe.page()));
    group.bench_function("raw_fsync_append_one_commit", |b| b.iter(|| probe.commit()));
    group.finish();

    // fsync latency on a shared disk drifts from minute to minute, so the runs above are not
    // strictly comparable; this loop alternates the three, so that each round sees the same disk.
    let rounds = if measuring() { 300 } else { 3 };
    let mut times: [Vec<Duration>; 3] = Default::default();
    for _ in 0..rounds {
        let draft = new_hazard(&mut rng);
        let started = Instant::now();
        store.record_entry(draft, Vec::new()).unwrap();
        times[0].push(started.elapsed());
        let started = Instant::now();
        probe.page();
        times[1].push(started.elapsed());
        let started = Instant::now();
        probe.commit();
        times[2].push(started.elapsed());
    }
    let [record, page, commit] = times.map(|mut times| {
        times.sort();
        let at = |quantile: f64| times[((times.len() - 1) as f64 * quantile) as usize];
        format!(
            "median {:.2?}, p10 {:.2?}, p90 {:.2?}",
            at(0.5),
            at(0.1),
            at(0.9)
        )
    });
    eprintln!("alternating, {rounds} rounds: record_entry {record}");
    eprintln!("alternating, {rounds} rounds: raw fsync of 4 KiB {page}");
    eprintln!("alternating, {rounds} rounds: raw fsync of one commit's bytes {commit}");

    // Where record_entry's time goes: on a CPU, waiting for a CPU, and the rest (blocked,
    // which here is waiting for the disk).
    let drafts: Vec<EntryDraft> = (0..rounds).map(|_| new_hazard(&mut rng)).collect();
    let before = ThreadTimes::now();
    let started = Instant::now();
    for draft in drafts {
        store.record_entry(draft, Vec::new()).unwrap();
    }
    let wall = started.elapsed() / rounds;
    let spent = ThreadTimes::now().since(before);
    let (on_cpu, waiting) = (spent.on_cpu / rounds, spent.waiting / rounds);
    eprintln!(
        "record_entry, {rounds} in a row, per call: wall {wall:.2?}, on a CPU {on_cpu:.2?}, \
         waiting for a CPU {waiting:.2?}, blocked {:.2?}",
        wall.saturating_sub(on_cpu + waiting)
    );
    eprintln!(
        "the store now holds {} entries",
        entry_count(&store.database_path())
    );
}

/// Appends to a file next to the store and fsyncs it, as SQLite does with its WAL.
struct FsyncProbe {
    file: std::fs::File,
    page: Vec<u8>,
    commit: Vec<u8>,
}

impl FsyncProbe {
    fn new(directory: &Path, commit_bytes: usize) -> FsyncProbe {
        FsyncProbe {
            file: std::fs::File::create(directory.join("fsync-probe")).unwrap(),
            page: vec![0x5a; 4096],
            commit: vec![0x5a; commit_bytes.max(4096)],
        }
    }

    fn page(&mut self) {
        self.file.write_all(&self.page).unwrap();
        self.file.sync_all().unwrap();
    }

    fn commit(&mut self) {
        self.file.write_all(&self.commit).unwrap();
        self.file.sync_all().unwrap();
    }
}

/// A WAL frame: a 24-byte header and a 4 KiB page.
const WAL_FRAME_BYTES: usize = 24 + 4096;

/// How many bytes one `record_entry` appends to the WAL, on average over a few commits.
fn wal_bytes_per_commit(store: &mut DeviceStore, rng: &mut Rng) -> usize {
    const COMMITS: usize = 20;
    let database = store.database_path();
    let wal = PathBuf::from(format!("{}-wal", database.display()));
    let side = rusqlite::Connection::open(&database).unwrap();
    side.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(side);
    let before = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    for _ in 0..COMMITS {
        store.record_entry(new_hazard(rng), Vec::new()).unwrap();
    }
    let after = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    // The first commit after a truncation also writes the 32-byte WAL header.
    (after.saturating_sub(before).saturating_sub(32) as usize) / COMMITS
}

fn entry_count(database: &Path) -> i64 {
    let side = rusqlite::Connection::open(database).unwrap();
    side.query_row("SELECT COUNT(*) FROM entries", [], |row| row.get(0))
        .unwrap()
}

fn queries(c: &mut Criterion) {
    let (_, size) = store_sizes();
    let directory = directory_on_disk();
    let store = filled_store(directory.path(), 0x5eed_0003, size);

    let list = |query: &EntryListQuery| store.list_entries(query).unwrap();
    let first_page = EntryListQuery::default();
    // The cursor that page 100 starts from, reached the way the log screen reaches it.
    let deep_page_number = (size / 50 / 2).min(100);
    let mut after = None;
    for _ in 1..deep_page_number {
        after = list(&EntryListQuery {
            after,
            ..Default::default()
        })
        .next_cursor;
    }
    let deep_page = EntryListQuery {
        after,
        ..Default::default()
    };
    let hazards = EntryListQuery {
        kind: Some(EntryKind::Hazard),
        ..Default::default()
    };
    // Date filters (not among the goals; the log screen offers them): one month, and
    // everything since mid-2023.
    let one_month = EntryListQuery {
        since: NaiveDate::from_ymd_opt(2024, 6, 1),
        until: NaiveDate::from_ymd_opt(2024, 6, 30),
        ..Default::default()
    };
    let since_mid_2023 = EntryListQuery {
        since: NaiveDate::from_ymd_opt(2023, 7, 1),
        ..Default::default()
    };
    for query in [
        &first_page,
        &deep_page,
        &hazards,
        &one_month,
        &since_mid_2023,
    ] {
        assert_eq!(list(query).entries.len(), 50);
    }
    eprintln!("deep page: page {deep_page_number}");

    let searches = [
        ("trigram_common", "未发现异常"),
        ("trigram", "可疑脚印"),
        ("trigram_rare", "雷击损坏"),
        ("like_2char", "塌方"),
        ("like_2char_rare", "野猪"),
    ];
    for (name, text) in searches {
        let (matches, shown) = count_matches(&store, text);
        eprintln!("search {name} {text:?}: {matches} matching entries, first page {shown}");
    }

    let mut group = c.benchmark_group("list_entries_100k");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("first_page", |b| b.iter(|| list(&first_page)));
    group.bench_function("page_100", |b| b.iter(|| list(&deep_page)));
    group.bench_function("kind_hazard_first_page", |b| b.iter(|| list(&hazards)));
    group.bench_function("month_first_page", |b| b.iter(|| list(&one_month)));
    // Hundreds of milliseconds each: fewer samples.
    group.sample_size(10);
    group.bench_function("since_2023_07_first_page", |b| {
        b.iter(|| list(&since_mid_2023))
    });
    group.finish();

    let mut group = c.benchmark_group("search_100k");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (name, text) in searches {
        let query = EntryListQuery {
            search: Some(text.to_string()),
            ..Default::default()
        };
        group.bench_function(name, |b| b.iter(|| list(&query)));
    }
    group.finish();

    let year = StatisticsQuery { year: Some(2024) };
    let statistics = store.statistics(&year).unwrap();
    let counted: u64 = statistics.totals.iter().map(|total| total.entries).sum();
    eprintln!(
        "statistics 2024: {counted} entries in {} month rows",
        statistics.by_month.len()
    );
    let mut group = c.benchmark_group("statistics_100k");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("year_2024", |b| b.iter(|| store.statistics(&year).unwrap()));
    group.finish();

    // Where the time goes on this shared machine: on a CPU, or waiting for one.
    profile("list_entries_100k/first_page", || list(&first_page));
    profile("list_entries_100k/page_100", || list(&deep_page));
    profile("list_entries_100k/kind_hazard_first_page", || {
        list(&hazards)
    });
    profile("list_entries_100k/month_first_page", || list(&one_month));
    profile("list_entries_100k/since_2023_07_first_page", || {
        list(&since_mid_2023)
    });
    for (name, text) in searches {
        let query = EntryListQuery {
            search: Some(text.to_string()),
            ..Default::default()
        };
        profile(&format!("search_100k/{name}"), || list(&query));
    }
    profile("statistics_100k/year_2024", || {
        store.statistics(&year).unwrap()
    });
}

/// This thread's time on a CPU and waiting in the run queue for one, from the Linux scheduler
/// (`/proc/thread-self/schedstat`); zero where that is not available.
#[derive(Clone, Copy)]
struct ThreadTimes {
    on_cpu: Duration,
    waiting: Duration,
}

impl ThreadTimes {
    fn now() -> ThreadTimes {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
        let mut fields = text
            .split_whitespace()
            .map(|field| Duration::from_nanos(field.parse().unwrap_or(0)));
        ThreadTimes {
            on_cpu: fields.next().unwrap_or_default(),
            waiting: fields.next().unwrap_or_default(),
        }
    }

    fn since(self, earlier: ThreadTimes) -> ThreadTimes {
        ThreadTimes {
            on_cpu: self.on_cpu.saturating_sub(earlier.on_cpu),
            waiting: self.waiting.saturating_sub(earlier.waiting),
        }
    }
}

/// Runs `call` for about a second (once under `cargo test`) and prints, per call, the wall
/// time next to the time on a CPU and waiting for one.
fn profile<T>(name: &str, mut call: impl FnMut() -> T) {
    let budget = if measuring() {
        Duration::from_secs(1)
    } else {
        Duration::ZERO
    };
    let before = ThreadTimes::now();
    let started = Instant::now();
    let mut calls = 0u32;
    while calls < 3 || started.elapsed() < budget {
        std::hint::black_box(call());
        calls += 1;
    }
    let wall = started.elapsed() / calls;
    let spent = ThreadTimes::now().since(before);
    eprintln!(
        "{name}: {calls} calls, per call: wall {wall:.2?}, on a CPU {:.2?}, waiting for a CPU {:.2?}",
        spent.on_cpu / calls,
        spent.waiting / calls
    );
}

/// How many entries a search matches in all, and how many its first page shows.
fn count_matches(store: &DeviceStore, text: &str) -> (usize, usize) {
    let mut query = EntryListQuery {
        search: Some(text.to_string()),
        limit: Some(500),
        ..Default::default()
    };
    let mut matches = 0;
    loop {
        let page = store.list_entries(&query).unwrap();
        matches += page.entries.len();
        match page.next_cursor {
            Some(cursor) => query.after = Some(cursor),
            None => break,
        }
    }
    let shown = store
        .list_entries(&EntryListQuery {
            search: Some(text.to_string()),
            ..Default::default()
        })
        .unwrap()
        .entries
        .len();
    (matches, shown)
}

criterion_group!(benches, record_entry, queries);
criterion_main!(benches);
