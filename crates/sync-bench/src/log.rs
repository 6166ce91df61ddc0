//! A deterministic, lived-in patrol log to fill device stores with: patrols (some joint),
//! hazards and repairs with Chinese text, about 300 bytes of draft JSON each.

use patrol_model::{parse_entry_draft, EntryDraft};
use serde_json::{json, Value};

/// xorshift64*: tiny, seeded, good enough for a log and for photo noise.
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

    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next_u64() as usize % items.len()]
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
    "平孟口岸东侧约{n}米",
    "那坡段界河边",
    "哨所北侧山坳",
    "边境公路{a}公里处",
];

const FINDINGS: &[&str] = &[
    "沿线界碑完好,无移位",
    "未发现异常情况",
    "发现可疑脚印一处,已报告边境派出所",
    "便道有积水,车辆通行困难",
    "对沿线村寨开展政策宣传",
    "发现非法越境通道痕迹,已拍照取证",
    "劝返边民两人",
    "夜间巡逻,天气有雾,能见度低",
];

/// (category, problems) of hazards.
const HAZARDS: &[(&str, &[&str])] = &[
    (
        "road",
        &["便道被雨水冲刷,路面塌陷约{n}米", "巡逻便道被倒伏树木阻断"],
    ),
    (
        "landslide",
        &["山体塌方,土石堆积约{n}方", "雨后山体出现滑移迹象"],
    ),
    ("water", &["蓄水池渗漏", "引水管破裂"]),
    ("power", &["太阳能板损坏", "蓄电池老化,夜间照明不足"]),
    ("fence", &["铁网被洪水冲毁约{n}米", "铁网有人为剪断痕迹"]),
    ("camera", &["监控摄像头离线", "监控杆被雷击损坏"]),
    ("crossing", &["发现非法越境便道", "甘蔗林遮挡视线,形成盲区"]),
    ("other", &["警示牌缺失", "界碑漆面脱落,字迹不清"]),
];

const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];

/// (category, unit, works) of repairs.
const REPAIRS: &[(&str, &str, &[&str])] = &[
    ("road", "km", &["清理便道碎石,平整路面", "修补水毁路段"]),
    ("fence", "m", &["修复被冲毁铁网", "更换锈蚀立柱"]),
    ("camera", "count", &["更换监控摄像头", "修复监控杆"]),
    ("power", "count", &["更换太阳能板", "更换蓄电池"]),
];

pub struct LogGenerator {
    rng: Rng,
    made: u64,
}

impl LogGenerator {
    pub fn new(seed: u64) -> LogGenerator {
        LogGenerator {
            rng: Rng::new(seed),
            made: 0,
        }
    }

    pub fn drafts(&mut self, count: usize) -> Vec<EntryDraft> {
        (0..count).map(|_| self.draft()).collect()
    }

    /// The draft's JSON as a member's input; see [`LogGenerator::draft`].
    pub fn json(&mut self) -> Value {
        self.made += 1;
        // Spread over 2024, a few entries a day.
        let day = 1 + (self.made / 3) % 365;
        let date = chrono::NaiveDate::from_yo_opt(2024, day as u32).expect("a day of 2024");
        let hour = self.rng.between(7, 17);
        let minute = self.rng.between(0, 59);
        let at = |hour: u64| format!("{date}T{hour:02}:{minute:02}:00+08:00");
        let location = json!({
            "lat": (2295.0 + self.rng.unit() * 55.0).round() / 100.0,
            "lon": (10545.0 + self.rng.unit() * 75.0).round() / 100.0,
        });
        let author = *self.rng.pick(MEMBERS);
        match self.rng.between(0, 99) {
            0..=44 => {
                let joint = self.rng.between(0, 2) == 0;
                let partners = if joint {
                    json!([{"unit": "army", "count": self.rng.between(1, 6)}])
                } else {
                    json!([])
                };
                let marker = self.rng.between(101, 156);
                let findings = format!("{},{}。", self.rng.pick(FINDINGS), self.rng.pick(FINDINGS));
                json!({
                    "kind": "patrol", "occurred_at": at(hour), "ended_at": at(hour + 3),
                    "author": author, "location": location,
                    "body": {"joint": joint, "members": [author, self.rng.pick(MEMBERS)],
                             "partners": partners,
                             "markers": [marker.to_string(), (marker + 1).to_string()],
                             "findings": findings, "distance_km": self.rng.between(30, 250) as f64 / 10.0}
                })
            }
            45..=74 => {
                let (category, problems) = *self.rng.pick(HAZARDS);
                let description = format!(
                    "{},{},已上报连队。",
                    self.place(),
                    self.rng
                        .pick(problems)
                        .replace("{n}", &self.rng.between(2, 60).to_string())
                );
                json!({
                    "kind": "hazard", "occurred_at": at(hour), "author": author, "location": location,
                    "body": {"category": category, "severity": self.rng.pick(SEVERITIES),
                             "description": description}
                })
            }
            _ => {
                let (category, unit, works) = *self.rng.pick(REPAIRS);
                let quantity = match unit {
                    "km" => json!(self.rng.between(1, 30) as f64 / 10.0),
                    "m" => json!(self.rng.between(5, 300)),
                    _ => json!(self.rng.between(1, 4)),
                };
                let description = format!("{},{}", self.place(), self.rng.pick(works));
                json!({
                    "kind": "repair", "occurred_at": at(hour), "author": author, "location": location,
                    "body": {"category": category, "quantity": quantity, "unit": unit,
                             "description": description}
                })
            }
        }
    }

    pub fn draft(&mut self) -> EntryDraft {
        parse_entry_draft(&self.json().to_string(), None).expect("generated drafts are valid")
    }

    fn place(&mut self) -> String {
        let a = self.rng.between(101, 158);
        self.rng
            .pick(PLACES)
            .replace("{b}", &(a + 1).to_string())
            .replace("{a}", &a.to_string())
            .replace("{n}", &self.rng.between(20, 900).to_string())
    }
}
