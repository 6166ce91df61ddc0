//! The made-up county the demo fills: Funing's (富宁县) border posts with their places, linked
//! villages and boundary markers, the members who staff them, and the devices they record on.
//! Names are real places of the county; people are invented.

use super::random::DemoRng;
use std::collections::HashSet;

/// One border post: where it is, the villages it is linked to (挂联村) and its stretch of the
/// boundary (界碑 numbers).
#[derive(Debug, Clone)]
pub struct DemoPost {
    /// "田蓬联防所".
    pub name: String,
    /// "田蓬": the township, used in texts ("田蓬边境派出所").
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    pub villages: Vec<String>,
    /// The first boundary marker of its stretch; it patrols `first_marker..first_marker + 12`.
    pub first_marker: u32,
    pub members: Vec<String>,
    /// Labels of its devices: the post's PC first, then members' phones.
    pub devices: Vec<String>,
}

/// The twelve posts of 富宁县 with (place, lat, lon, villages), west to east along the border.
const FUNING_POSTS: [(&str, f64, f64, [&str; 4]); 12] = [
    (
        "田蓬",
        23.282,
        105.262,
        ["田蓬村", "龙哈村", "下寨村", "者兰村"],
    ),
    (
        "木央",
        23.318,
        105.371,
        ["木央村", "坡门村", "瑶人寨村", "达孟村"],
    ),
    (
        "洞波",
        23.356,
        105.458,
        ["洞波村", "那哈村", "瑶山村", "平孟村"],
    ),
    (
        "剥隘",
        23.392,
        105.547,
        ["剥隘村", "那桑村", "索里村", "百合村"],
    ),
    (
        "里达",
        23.421,
        105.633,
        ["里达村", "龙绍村", "董堡村", "里拱村"],
    ),
    (
        "郎恒",
        23.447,
        105.712,
        ["郎恒村", "龙修村", "木杠村", "多林村"],
    ),
    (
        "那能",
        23.478,
        105.795,
        ["那能村", "龙德村", "庙坝村", "拉它村"],
    ),
    (
        "归朝",
        23.506,
        105.873,
        ["归朝村", "者宜村", "八宝村", "孟梅村"],
    ),
    (
        "者桑",
        23.537,
        105.951,
        ["者桑村", "那耶村", "布兰村", "者岩村"],
    ),
    (
        "板仑",
        23.566,
        106.022,
        ["板仑村", "龙迈村", "坡嘎村", "新寨村"],
    ),
    (
        "花甲",
        23.598,
        106.089,
        ["花甲村", "那洒村", "龙窝村", "弄所村"],
    ),
    (
        "阿用",
        23.642,
        106.153,
        ["阿用村", "那伦村", "坡脚村", "弄追村"],
    ),
];

/// More border townships of Wenshan, for a county (or province) of more than twelve posts.
const MORE_PLACES: [&str; 20] = [
    "天保",
    "八布",
    "董干",
    "猛硐",
    "杨万",
    "下金厂",
    "铁厂",
    "马街",
    "都龙",
    "金厂",
    "小坝子",
    "夹寒箐",
    "八寨",
    "仁和",
    "木厂",
    "篾厂",
    "古林箐",
    "船头",
    "南温河",
    "老君山",
];

const VILLAGE_SUFFIXES: [&str; 6] = ["村", "寨村", "坪村", "湾村", "河村", "坡村"];

const SURNAMES: [&str; 26] = [
    "农", "黄", "陆", "韦", "李", "王", "罗", "梁", "邓", "杨", "陈", "覃", "沈", "卢", "盘", "赵",
    "何", "周", "张", "刘", "蒙", "颜", "潘", "马", "陶", "侬",
];

const GIVEN_NAMES: [&str; 40] = [
    "建国", "志强", "文斌", "海涛", "春生", "永刚", "光荣", "丽萍", "海燕", "德明", "国华", "成林",
    "家顺", "正华", "世明", "金福", "有才", "兴旺", "绍军", "朝阳", "应龙", "开富", "明亮", "小兵",
    "红军", "忠良", "天才", "秀英", "玉兰", "贵平", "廷高", "荣昌", "学文", "仕勇", "老四", "文忠",
    "朝明", "达成", "国强", "正荣",
];

/// Members a post is staffed with.
pub const MEMBERS_PER_POST: usize = 8;

/// The county's posts with their people and devices, the same for one seed.
pub fn demo_posts(count: usize, seed: u64) -> Vec<DemoPost> {
    let mut used_names = HashSet::new();
    (0..count)
        .map(|index| {
            let mut rng = DemoRng::stream(&[seed, 0x9057, index as u64]);
            let (place, lat, lon, villages) = post_place(index, &mut rng);
            let members: Vec<String> = (0..MEMBERS_PER_POST)
                .map(|_| unique_member_name(&mut rng, &mut used_names))
                .collect();
            let phones = rng.between(1, 2) as usize;
            let mut devices = vec![format!("{place}联防所值班电脑")];
            devices.extend(
                members
                    .iter()
                    .take(phones)
                    .map(|member| format!("{member}的手机")),
            );
            DemoPost {
                name: format!("{place}联防所"),
                place,
                lat,
                lon,
                villages,
                first_marker: 101 + 12 * index as u32,
                members,
                devices,
            }
        })
        .collect()
}

fn post_place(index: usize, rng: &mut DemoRng) -> (String, f64, f64, Vec<String>) {
    if let Some((place, lat, lon, villages)) = FUNING_POSTS.get(index) {
        return (
            place.to_string(),
            *lat,
            *lon,
            villages.iter().map(|village| village.to_string()).collect(),
        );
    }
    let extra = index - FUNING_POSTS.len();
    let base = MORE_PLACES[extra % MORE_PLACES.len()];
    let round = extra / MORE_PLACES.len();
    let place = if round == 0 {
        base.to_string()
    } else {
        format!("{base}{}", round + 1)
    };
    // Along the border: south-west to north-east across the county's stretch.
    let along = rng.unit();
    let lat = 23.25 + 0.40 * along + rng.range(-0.03, 0.03);
    let lon = 105.25 + 0.90 * along + rng.range(-0.02, 0.02);
    let villages = (0..4)
        .map(|_| {
            format!(
                "{}{}",
                rng.pick(&GIVEN_NAMES[..20]).chars().next().unwrap_or('那'),
                rng.pick(&VILLAGE_SUFFIXES)
            )
        })
        .collect();
    (place, lat, lon, villages)
}

fn unique_member_name(rng: &mut DemoRng, used: &mut HashSet<String>) -> String {
    for _ in 0..50 {
        let name = format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN_NAMES));
        if used.insert(name.clone()) {
            return name;
        }
    }
    // A big county runs out of two-part names: members then share one, as people do.
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN_NAMES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_twelve_posts_are_funings_and_inside_the_border_box() {
        let posts = demo_posts(14, 1);
        assert_eq!(posts[0].name, "田蓬联防所");
        assert_eq!(posts[11].name, "阿用联防所");
        let names: HashSet<&str> = posts.iter().map(|post| post.name.as_str()).collect();
        assert_eq!(names.len(), 14, "post names are unique");
        for post in &posts {
            assert!((23.2..=23.7).contains(&post.lat), "{post:?}");
            assert!((105.2..=106.2).contains(&post.lon), "{post:?}");
            assert!((2..=3).contains(&post.devices.len()));
        }
    }
}
