//! What both benches of the store use: a store directory on a real disk, and a deterministic
//! patrol log (patrols, hazards, repairs with Chinese text, 2023–2024 at +08:00).

#![allow(dead_code)]

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use patrol_device::DeviceStore;
use patrol_model::{
    parse_entry_draft, DomainCode, Entry, EntryBody, EntryDraft, EntryKind, HazardCategory,
    HazardSeverity, RepairCategory,
};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Entries recorded per `record_entries` transaction while filling a store.
pub const FILL_BATCH: usize = 5_000;

/// Whether criterion is measuring (`cargo bench`) rather than checking that each benchmark
/// runs (`cargo test --all-targets`, `cargo bench -- --test`).
pub fn measuring() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|arg| arg == "--bench") && !args.iter().any(|arg| arg == "--test")
}

// ---------------------------------------------------------------------------------------------
// Where the stores live

/// A fresh temporary directory on a disk where fsync is real.
pub fn directory_on_disk() -> BenchDirectory {
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
pub struct BenchDirectory {
    path: PathBuf,
    _guard: Option<TempDir>,
}

impl BenchDirectory {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

pub fn is_memory_filesystem(filesystem: &str) -> bool {
    matches!(filesystem, "tmpfs" | "ramfs")
}

/// The type of the filesystem `path` is on, from the longest matching mount point.
pub fn filesystem_of(path: &Path) -> String {
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

pub fn store_file_mib(store: &DeviceStore) -> f64 {
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
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next_u64() as usize % items.len()]
    }

    /// One of `items`, each with its weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
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
    pub fn tenths(&mut self, low: f64, high: f64) -> f64 {
        ((low + self.unit() * (high - low)) * 10.0).round() / 10.0
    }
}

pub const MEMBERS: &[&str] = &[
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

pub const PLACES: &[&str] = &[
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

pub const PATROL_FINDINGS: &[&str] = &[
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
pub const PARTNER_GROUPS: &[&[&str]] = &[
    &["army"],
    &["police"],
    &["army", "police"],
    &["village_committee"],
    &["police", "village_committee"],
    &["army", "police", "village_committee"],
    &["other"],
];

/// Rare on purpose: "野猪" is the two-character word that matches almost nothing.
pub const RARE_FINDING: &str = "发现野猪活动痕迹";

pub fn hazard_problems(category: HazardCategory) -> &'static [&'static str] {
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

pub const HAZARD_FOLLOW_UPS: &[&str] = &[
    "已设置警示标志",
    "已上报连队",
    "需尽快处理",
    "已拍照留存",
    "等待物资到位后修复",
    "已通知村委会",
];

pub fn repair_works(category: RepairCategory) -> &'static [&'static str] {
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
pub fn closable_by(category: RepairCategory) -> &'static [HazardCategory] {
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
pub struct LogGenerator {
    rng: Rng,
    total: usize,
    made: usize,
    open_hazards: HashMap<HazardCategory, VecDeque<String>>,
}

pub const FIRST_DAY: (i32, u32, u32) = (2023, 1, 1);
pub const DAYS: u64 = 731;

impl LogGenerator {
    pub fn new(seed: u64, total: usize) -> LogGenerator {
        LogGenerator {
            rng: Rng::new(seed),
            total,
            made: 0,
            open_hazards: HashMap::new(),
        }
    }

    pub fn remaining(&self) -> usize {
        self.total - self.made
    }

    pub fn batch(&mut self, size: usize) -> Vec<EntryDraft> {
        (0..size.min(self.remaining()))
            .map(|_| self.next_draft())
            .collect()
    }

    /// Hazards just recorded become open hazards later repairs may close.
    pub fn remember(&mut self, entries: &[Entry]) {
        for entry in entries {
            if let EntryBody::Hazard(hazard) = &entry.draft.body {
                self.open_hazards
                    .entry(hazard.category)
                    .or_default()
                    .push_back(entry.id.to_string());
            }
        }
    }

    pub fn next_draft(&mut self) -> EntryDraft {
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

    pub fn at(&mut self, day: NaiveDate, from_hour: u64, to_hour: u64) -> NaiveDateTime {
        let minute = self.rng.between(from_hour * 60, to_hour * 60 - 1);
        let second = self.rng.between(0, 59);
        day.and_time(
            NaiveTime::from_num_seconds_from_midnight_opt((minute * 60 + second) as u32, 0)
                .unwrap(),
        )
    }

    pub fn location(&mut self) -> Value {
        json!({
            "lat": 22.95 + self.rng.unit() * 0.55,
            "lon": 105.45 + self.rng.unit() * 0.75,
            "accuracy_m": self.rng.between(3, 30),
        })
    }

    pub fn place(&mut self) -> String {
        let a = self.rng.between(101, 158);
        self.rng
            .pick(PLACES)
            .replace("{b}", &(a + self.rng.between(1, 3)).to_string())
            .replace("{a}", &a.to_string())
            .replace("{n}", &self.rng.between(20, 900).to_string())
    }

    pub fn members(&mut self, count: usize) -> Vec<&'static str> {
        let start = self.rng.between(0, MEMBERS.len() as u64 - 1) as usize;
        (0..count)
            .map(|offset| MEMBERS[(start + offset * 5) % MEMBERS.len()])
            .collect()
    }

    pub fn patrol(&mut self, day: NaiveDate) -> Value {
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

    pub fn hazard(&mut self, day: NaiveDate) -> Value {
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

    pub fn repair(&mut self, day: NaiveDate) -> Value {
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

pub fn rfc3339(time: NaiveDateTime) -> String {
    format!("{}+08:00", time.format("%Y-%m-%dT%H:%M:%S"))
}

/// A fresh store in `directory` holding `total` generated entries.
pub fn filled_store(directory: &Path, seed: u64, total: usize) -> DeviceStore {
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

/// This thread's time on a CPU and waiting in the run queue for one, from the Linux scheduler
/// (`/proc/thread-self/schedstat`); zero where that is not available.
#[derive(Clone, Copy)]
pub struct ThreadTimes {
    pub on_cpu: Duration,
    pub waiting: Duration,
}

impl ThreadTimes {
    pub fn now() -> ThreadTimes {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
        let mut fields = text
            .split_whitespace()
            .map(|field| Duration::from_nanos(field.parse().unwrap_or(0)));
        ThreadTimes {
            on_cpu: fields.next().unwrap_or_default(),
            waiting: fields.next().unwrap_or_default(),
        }
    }

    pub fn since(self, earlier: ThreadTimes) -> ThreadTimes {
        ThreadTimes {
            on_cpu: self.on_cpu.saturating_sub(earlier.on_cpu),
            waiting: self.waiting.saturating_sub(earlier.waiting),
        }
    }
}
