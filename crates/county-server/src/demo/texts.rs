//! What members write: the Chinese texts of a demo year's entries (findings, descriptions,
//! topics), filled with the post's own places, markers and villages.

use super::random::DemoRng;
use patrol_model::{ActivityType, CrimeType, HazardCategory, RepairCategory};

const QUIET_FINDINGS: [&str; 8] = [
    "沿线界碑完好,无移位",
    "未发现异常情况",
    "便道通行正常,沿线村寨平稳",
    "夜间巡逻,天气有雾,能见度低,未发现异常",
    "对沿线边民开展政策宣传",
    "巡查重点路口,未发现可疑人员",
    "检查边境铁网,完好",
    "查看监控点位,设备运行正常",
];

const NOTABLE_FINDINGS: [&str; 5] = [
    "发现可疑脚印一处,已报告边境派出所",
    "劝返边民两人",
    "发现非法越境通道痕迹,已拍照取证",
    "对往来边民进行询问登记",
    "发现境外车辆在界河边停留,已报告边境警务室",
];

/// A patrol's findings; `hazard` names a hazard reported on the way.
pub fn patrol_findings(
    rng: &mut DemoRng,
    first_marker: u32,
    last_marker: u32,
    hazard: Option<&str>,
) -> String {
    let stretch = format!("沿{first_marker}号至{last_marker}号界碑巡逻");
    let what = if rng.chance(0.12) {
        *rng.pick(&NOTABLE_FINDINGS)
    } else {
        *rng.pick(&QUIET_FINDINGS)
    };
    match hazard {
        Some(hazard) => format!("{stretch},{what};发现隐患:{hazard},已登记"),
        None => format!("{stretch},{what}。"),
    }
}

/// What a member writes about a hazard of `category`.
pub fn hazard_description(rng: &mut DemoRng, category: HazardCategory, marker: u32) -> String {
    let size = rng.between(3, 40);
    let place = match rng.between(0, 2) {
        0 => format!("{marker}号界碑附近"),
        1 => format!("{marker}号界碑往北约{}米", rng.between(100, 900)),
        _ => format!(
            "巡逻便道K{}+{}处",
            rng.between(1, 18),
            rng.between(0, 9) * 100
        ),
    };
    let problem = match category {
        HazardCategory::Road => {
            format!("便道被雨水冲刷,路面塌陷约{size}米,摩托车无法通行")
        }
        HazardCategory::Landslide => format!("山体塌方,土石堆积约{size}方,阻断巡逻便道"),
        HazardCategory::Water => {
            (*rng.pick(&["蓄水池渗漏", "引水管破裂,哨点断水", "水源点被泥沙淤塞"])).to_string()
        }
        HazardCategory::Power => (*rng.pick(&[
            "太阳能板损坏,夜间无照明",
            "电线被倒树压断",
            "蓄电池老化,监控供电不足",
        ]))
        .to_string(),
        HazardCategory::Fence => format!("铁网被洪水冲毁约{}米", rng.between(5, 40)),
        HazardCategory::Camera => {
            (*rng.pick(&["监控摄像头离线", "监控杆被雷击损坏", "红外报警器无信号"])).to_string()
        }
        HazardCategory::Crossing => (*rng.pick(&[
            "发现非法越境便道一条",
            "甘蔗林遮挡视线,形成管控盲区",
            "界河枯水期可徒步涉水,需加强巡查",
        ]))
        .to_string(),
        HazardCategory::Other => (*rng.pick(&[
            "警示牌缺失",
            "界碑漆面脱落,字迹不清",
            "巡逻便道指示牌被损坏",
        ]))
        .to_string(),
    };
    format!("{place}:{problem}")
}

/// What a member writes about a repair.
pub fn repair_description(rng: &mut DemoRng, category: RepairCategory, quantity: f64) -> String {
    match category {
        RepairCategory::Road => format!(
            "组织联防员和村民修复水毁便道{}米,清理碎石,平整路面",
            (quantity * 1000.0).round()
        ),
        RepairCategory::Landslide => format!(
            "清理塌方{}处,土石约{}方,便道恢复通行",
            quantity,
            rng.between(5, 60)
        ),
        RepairCategory::Water => {
            (*rng.pick(&["修补蓄水池,恢复供水", "更换破裂引水管", "清淤水源点"])).to_string()
        }
        RepairCategory::Power => format!(
            "{},修复电路{}处",
            rng.pick(&["更换太阳能板", "重新架设电线", "更换蓄电池"]),
            quantity
        ),
        RepairCategory::Fence => format!("修复被冲毁铁网{quantity}米,更换锈蚀立柱"),
        RepairCategory::Camera => (*rng.pick(&[
            "更换监控摄像头",
            "修复监控杆并重新接线",
            "更换红外报警器电池",
        ]))
        .to_string(),
        RepairCategory::Other => {
            (*rng.pick(&["补设警示牌", "重新描红界碑字迹", "更换便道指示牌"])).to_string()
        }
    }
}

const OUTREACH_TOPICS: [&str; 10] = [
    "边境管控形势",
    "联防联治工作的重要意义",
    "防范跨境违法犯罪",
    "禁毒宣传",
    "反走私宣传",
    "非法出入境的危害",
    "涉外婚姻登记政策",
    "防范电信网络诈骗",
    "森林防火",
    "平安边境建设",
];

/// (topic, description) of an outreach session.
pub fn outreach_texts(rng: &mut DemoRng, village: &str) -> (String, String) {
    let topic = (*rng.pick(&OUTREACH_TOPICS)).to_string();
    let description = format!(
        "到{village}村委会开展“挂联村”普法宣传,讲解{topic},发放宣传资料{}份",
        rng.between(20, 200)
    );
    (topic, description)
}

const STUDY_TOPICS: [&str; 8] = [
    "党史学习教育",
    "党纪学习教育",
    "党的二十届三中全会精神",
    "习近平总书记关于强边固防重要论述",
    "文山州联防员管理办法",
    "内务管理“四条规定”",
    "边境管理法律法规",
    "网课:新时代强边固防",
];

/// (topic, description) of an activity.
pub fn activity_texts(
    rng: &mut DemoRng,
    activity: ActivityType,
    place: &str,
    village: &str,
) -> (String, String) {
    match activity {
        ActivityType::StudyDay => {
            let topic = (*rng.pick(&STUDY_TOPICS)).to_string();
            let how = rng.pick(&["原文精读", "党课讲解", "网课解读"]);
            let description = format!("每周一集中学习日:{how},学习{topic};召开工作例会");
            (topic, description)
        }
        ActivityType::PartyDay => (
            "党旗引领启新程 我与边关共青春".to_string(),
            "到田蓬狮子山爱国主义教育基地开展主题党日活动,重温入党誓词".to_string(),
        ),
        ActivityType::CleanUp => (
            "乡村振兴环境卫生整治".to_string(),
            format!("帮助{village}清理村道垃圾、疏通沟渠"),
        ),
        ActivityType::Training => (
            "全体联防员技能培训".to_string(),
            "队列训练、战术基本动作、安全防范与装备使用".to_string(),
        ),
        ActivityType::Drill => (
            "军警民战术演练".to_string(),
            format!("在{place}开展突发事件处置演练,部队、边境警务室共同参加"),
        ),
        ActivityType::JointMeeting => (
            "军地联席会议".to_string(),
            "通报边境管控形势,研究边境辖区联合巡逻、重大活动联合稳控、情报信息联合互通".to_string(),
        ),
        ActivityType::QuarterlyMeeting => (
            "季度边境管控推进会".to_string(),
            "全体联防员参加,总结本季度边境管控工作,部署下季度任务".to_string(),
        ),
    }
}

/// (handed_to, description) of an incident.
pub fn incident_texts(
    rng: &mut DemoRng,
    crime: CrimeType,
    persons: u32,
    place: &str,
    marker: u32,
) -> (String, String) {
    let handed_to = match crime {
        CrimeType::Drugs => "富宁县公安局禁毒大队".to_string(),
        _ => format!("{place}边境派出所"),
    };
    let what = match crime {
        CrimeType::IllegalCrossing => format!("在{marker}号界碑附近查获非法越境人员{persons}名"),
        CrimeType::Smuggling => format!("在{marker}号界碑附近查获走私冻品一批,涉案{persons}人"),
        CrimeType::Drugs => format!("协助查获涉毒人员{persons}名"),
        CrimeType::Other => format!("协助处置跨境违法案件,涉案{persons}人"),
    };
    let after = rng.pick(&["已移交", "经询问登记后移交", "联合边境警务室移交"]);
    (handed_to.clone(), format!("{what},{after}{handed_to}"))
}
