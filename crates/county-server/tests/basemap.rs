//! The county basemap through the real binary: `county-server map build` over a post's
//! located entries makes a PMTiles archive whose tiles hold the China–Vietnam border and the
//! post's patrol track where they are on the ground (read back with the pmtiles reader and
//! decoded as MVT); the dashboard and devices get it by range requests, uncompressed again,
//! with its version as ETag; before a build both are told there is none; a bad area is refused
//! naming it; `GET /api/v1/admin/map?zoom=` thins tracks.

mod common;

use common::process::ServerProcess;
use patrol_model::{EntryId, PackedTrack, TrackPoint};
use pmtiles::{AsyncPmTilesReader, TileCoord};
use prost::Message;
use serde_json::{json, Value};

/// The vector tile messages of the MVT 2.1 spec (vector_tile.proto), as much as the test reads.
#[derive(Clone, PartialEq, Message)]
struct VectorTile {
    #[prost(message, repeated, tag = "3")]
    layers: Vec<VectorLayer>,
}

#[derive(Clone, PartialEq, Message)]
struct VectorLayer {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(message, repeated, tag = "2")]
    features: Vec<VectorFeature>,
    #[prost(string, repeated, tag = "3")]
    keys: Vec<String>,
    #[prost(message, repeated, tag = "4")]
    values: Vec<VectorValue>,
    #[prost(uint32, optional, tag = "5")]
    extent: Option<u32>,
}

#[derive(Clone, PartialEq, Message)]
struct VectorFeature {
    #[prost(uint32, repeated, tag = "2")]
    tags: Vec<u32>,
    #[prost(int32, optional, tag = "3")]
    geometry_type: Option<i32>,
    #[prost(uint32, repeated, tag = "4")]
    geometry: Vec<u32>,
}

#[derive(Clone, PartialEq, Message)]
struct VectorValue {
    #[prost(string, optional, tag = "1")]
    string_value: Option<String>,
}

impl VectorLayer {
    /// The string tags of every feature, as (key, value) pairs.
    fn feature_tags(&self) -> Vec<Vec<(String, String)>> {
        self.features
            .iter()
            .map(|feature| {
                feature
                    .tags
                    .chunks(2)
                    .map(|pair| {
                        let value = self.values[pair[1] as usize]
                            .string_value
                            .clone()
                            .unwrap_or_default();
                        (self.keys[pair[0] as usize].clone(), value)
                    })
                    .collect()
            })
            .collect()
    }
}

/// A point on the China–Vietnam border line of the bundled data, south-west of Funing.
const BORDER_POINT: (f64, f64) = (23.30123, 105.22725);
/// Where the post's patrol walks, 8 km north-east of it.
const TRACK: [(f64, f64); 4] = [
    (23.3600, 105.2900),
    (23.3620, 105.2950),
    (23.3650, 105.2990),
    (23.3700, 105.3050),
];

fn tile_of(zoom: u8, lat: f64, lon: f64) -> TileCoord {
    let count = f64::from(1u32 << zoom);
    let x = ((lon + 180.0) / 360.0 * count).floor() as u32;
    let lat = lat.to_radians();
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * count)
        .floor() as u32;
    TileCoord::new(zoom, x, y).unwrap()
}

fn patrol_entry() -> Value {
    let points: Vec<TrackPoint> = TRACK
        .iter()
        .enumerate()
        .map(|(index, (lat, lon))| TrackPoint {
            recorded_at_ms: 1_709_338_200_000 + index as i64 * 5_000,
            lat: *lat,
            lon: *lon,
            accuracy_m: Some(5.0),
            altitude_m: None,
        })
        .collect();
    json!({"id": EntryId::new_v7(), "device_id": "00000000-0000-0000-0000-000000000000",
           "kind": "patrol", "occurred_at": "2024-03-02T08:10:00+08:00", "author": "李国华",
           "body": {"joint": false, "members": ["李国华"], "distance_km": 1.9,
                    "track": PackedTrack::pack(&points).to_base64()},
           "photos": [], "status": "ended", "revision": 1, "deleted": false,
           "created_at": "2024-03-02T04:31:02.100Z", "updated_at": "2024-03-02T04:31:02.100Z"})
}

async fn decoded_tile(
    reader: &AsyncPmTilesReader<pmtiles::MmapBackend>,
    tile: TileCoord,
) -> Option<VectorTile> {
    let bytes = reader.get_tile_decompressed(tile).await.unwrap()?;
    Some(VectorTile::decode(bytes.as_ref()).expect("an MVT tile"))
}

fn layer<'a>(tile: &'a VectorTile, name: &str) -> Option<&'a VectorLayer> {
    tile.layers.iter().find(|layer| layer.name == name)
}

/// A running server with one post whose device synced one patrol, and a viewer's session.
async fn post_with_one_patrol() -> (ServerProcess, common::process::HttpDevice, String) {
    let server = ServerProcess::start(None);
    server.ready().await;
    server.cli(&["post", "add", "田蓬联防所"]);
    server.add_admin("county-admin", "admin-pass-2024", "viewer");
    let mut device = server.enrol("田蓬联防所").await;
    server.sync(&mut device, &[patrol_entry()]).await;
    let (status, cookie) = server.log_in("county-admin", "admin-pass-2024").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    (server, device, cookie.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_built_basemap_holds_the_border_and_the_trails_and_is_served_by_range() {
    let (server, device, cookie) = post_with_one_patrol().await;
    let data_dir = server.data_dir();
    let data_dir = data_dir.to_str().unwrap();

    // Before a build: status says so, the archive is a JSON 404 that says what to run.
    let before: Value =
        serde_json::from_slice(&server.cli(&["map", "status", "--data-dir", data_dir])).unwrap();
    assert_eq!(before["built"], false);
    let (status, body) = server.get("/api/v1/admin/map/archive", &cookie).await;
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"], "basemap_not_built", "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("map build"),
        "{body}"
    );

    // Over the post's entries, 5 km out: the border 8 km away is cut in at the area's edge.
    let built: Value = serde_json::from_slice(&server.cli(&[
        "map",
        "build",
        "--data-dir",
        data_dir,
        "--area",
        "105.15,23.25,105.40,23.45",
    ]))
    .unwrap();
    assert_eq!(built["built"], true, "{built}");
    assert_eq!(built["max_zoom"], 15);
    let layers: Vec<(String, u64)> = built["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|layer| {
            (
                layer["name"].as_str().unwrap().to_string(),
                layer["features"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        layers,
        [("border".to_string(), 3), ("trails".to_string(), 1)]
    );
    let version = built["version"].as_str().unwrap().to_string();

    let archive = std::path::Path::new(data_dir).join("basemap/county.pmtiles");
    let reader = AsyncPmTilesReader::new_with_path(&archive).await.unwrap();
    for zoom in [6, 10, 12, 15] {
        let tile = decoded_tile(&reader, tile_of(zoom, BORDER_POINT.0, BORDER_POINT.1))
            .await
            .unwrap_or_else(|| panic!("no tile at zoom {zoom} over the border"));
        let border =
            layer(&tile, "border").unwrap_or_else(|| panic!("no border layer at zoom {zoom}"));
        assert_eq!(border.extent, Some(4096));
        assert!(border
            .feature_tags()
            .iter()
            .any(|tags| tags.contains(&("name".into(), "中国—越南边界".into()))));
        assert!(
            border
                .features
                .iter()
                .all(|feature| feature.geometry_type == Some(2)),
            "lines"
        );
    }
    let track_tile = decoded_tile(&reader, tile_of(14, TRACK[1].0, TRACK[1].1))
        .await
        .expect("a tile over the track");
    let trails = layer(&track_tile, "trails").expect("the trails layer over the track");
    assert!(trails.feature_tags()[0].contains(&("post_name".into(), "田蓬联防所".into())));
    let zoomed_out = decoded_tile(&reader, tile_of(8, TRACK[1].0, TRACK[1].1))
        .await
        .expect("a tile at zoom 8");
    assert!(
        layer(&zoomed_out, "trails").is_none(),
        "trails start at zoom 10"
    );
    // Beijing is outside the area: no tile at a deep zoom.
    assert!(reader
        .get_tile(tile_of(12, 39.9, 116.4))
        .await
        .unwrap()
        .is_none());

    // The dashboard reads it by ranges: 206, the file's own bytes, never compressed again.
    let file = std::fs::read(&archive).unwrap();
    let answer = server
        .client
        .get(server.url("/api/v1/admin/map/archive"))
        .header("cookie", &cookie)
        .header("range", "bytes=0-16383")
        .header("accept-encoding", "gzip, zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::PARTIAL_CONTENT);
    assert_eq!(answer.headers()["content-type"], "application/vnd.pmtiles");
    assert!(answer.headers().get("content-encoding").is_none());
    assert_eq!(answer.headers()["etag"], format!("\"{version}\"").as_str());
    assert_eq!(answer.bytes().await.unwrap().as_ref(), &file[..16384]);

    // A device resumes where it stopped; without its token it gets nothing.
    let tail = server
        .client
        .get(server.url("/api/v1/map/archive"))
        .bearer_auth(&device.token)
        .header("range", format!("bytes={}-", file.len() - 1000))
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), reqwest::StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        tail.bytes().await.unwrap().as_ref(),
        &file[file.len() - 1000..]
    );
    let stranger = server
        .client
        .get(server.url("/api/v1/map/archive"))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), reqwest::StatusCode::UNAUTHORIZED);

    let status: Value =
        serde_json::from_slice(&server.get("/api/v1/admin/map/status", &cookie).await.1).unwrap();
    assert_eq!(status, built);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_area_no_archive_can_cover_is_refused_naming_it_and_the_old_archive_stays() {
    let server = ServerProcess::start(None);
    server.ready().await;
    let data_dir = server.data_dir();
    let data_dir = data_dir.to_str().unwrap();
    let no_entries = server.run(&["map", "build", "--data-dir", data_dir], "");
    assert!(!no_entries.status.success());
    assert!(
        String::from_utf8_lossy(&no_entries.stderr).contains("--area"),
        "{}",
        String::from_utf8_lossy(&no_entries.stderr)
    );
    server.cli(&[
        "map",
        "build",
        "--data-dir",
        data_dir,
        "--area",
        "105.5,23.2,105.7,23.4",
    ]);
    let before =
        std::fs::read(std::path::Path::new(data_dir).join("basemap/county.pmtiles")).unwrap();
    for (area, says) in [
        ("0,0,100,60", "larger than"),
        ("105.7,23.2,105.5,23.4", "west must be less"),
        ("105,23,106", "four numbers"),
        ("105,23,x,24", "not a number"),
    ] {
        let output = server.run(
            &["map", "build", "--data-dir", data_dir, "--area", area],
            "",
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{area}");
        assert!(
            stderr.contains("--area") && stderr.contains(says),
            "{area}: {stderr}"
        );
    }
    let after =
        std::fs::read(std::path::Path::new(data_dir).join("basemap/county.pmtiles")).unwrap();
    assert_eq!(
        before, after,
        "a refused build leaves the archive as it was"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_map_thins_tracks_to_the_zoom_asked_and_refuses_a_zoom_out_of_range() {
    let (server, _device, cookie) = post_with_one_patrol().await;
    let points = |body: Vec<u8>| -> usize {
        let collection: Value = serde_json::from_slice(&body).unwrap();
        collection["features"][0]["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .len()
    };
    let (_, full) = server.get("/api/v1/admin/map", &cookie).await;
    assert_eq!(points(full), TRACK.len());
    let (_, county_wide) = server.get("/api/v1/admin/map?zoom=8", &cookie).await;
    assert_eq!(
        points(county_wide),
        2,
        "at zoom 8 a 2 km walk is its two ends"
    );
    let (_, close) = server.get("/api/v1/admin/map?zoom=18", &cookie).await;
    assert_eq!(points(close), TRACK.len());
    let (status, body) = server.get("/api/v1/admin/map?zoom=19", &cookie).await;
    assert_eq!(status, reqwest::StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["problems"][0]["field"], "zoom", "{body}");
}
