//! The county's review: written as a version, pulled by the post's devices, cleared by a
//! member's edit of a returned entry, never set or changed by a device.
use super::common::record;
use super::exercise::{page, sync, Answers, Fixture};
use chrono::Utc;
use county_server::storage::dashboard::{DashboardEntryFilter, NewReview, ReviewFilter};
use county_server::storage::AuthenticatedDevice;
use county_server::SharedStorage;
use patrol_model::{EntryId, ReviewDecision};
use serde_json::json;

pub async fn check_reviews(
    backend: &str,
    storage: &SharedStorage,
    fixture: &Fixture,
    [a1, a2, b1]: [AuthenticatedDevice; 3],
    seqs: &mut [u64; 3],
    answers: &mut Answers,
) {
    let road_hazard = fixture.id("road_hazard");
    let returned = NewReview::new(
        ReviewDecision::Returned,
        "请补充现场照片",
        "县边防办-张",
        fixture.decided_at,
    )
    .unwrap();
    let summary = storage
        .review_entry(road_hazard, returned, &county_server::audit::Actor::cli())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(summary.review_decision.as_deref(), Some("returned"));
    let approved = NewReview::new(
        ReviewDecision::Approved,
        "",
        "县边防办-张",
        fixture.decided_at,
    )
    .unwrap();
    storage
        .review_entry(
            fixture.id("patrol"),
            approved.clone(),
            &county_server::audit::Actor::cli(),
        )
        .await
        .unwrap()
        .unwrap();
    assert!(storage
        .review_entry(
            EntryId::new_v7(),
            approved,
            &county_server::audit::Actor::cli()
        )
        .await
        .unwrap()
        .is_none());
    let returned_page = page(
        storage,
        DashboardEntryFilter {
            review: Some(ReviewFilter::Returned),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        returned_page
            .entries
            .iter()
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        [road_hazard]
    );
    assert_eq!(
        page(
            storage,
            DashboardEntryFilter {
                review: Some(ReviewFilter::Pending),
                ..Default::default()
            }
        )
        .await
        .entries
        .len(),
        16
    );

    // Every device of the post receives the review on its next pull; the other post's do not.
    let pulled = sync(storage, a2, vec![], true).await;
    let hazard = pulled
        .changes
        .iter()
        .find(|c| c.entry["id"] == road_hazard.to_string())
        .expect("the reviewed entry is pulled");
    assert_eq!(
        hazard.entry["review"]["decision"], "returned",
        "[{backend}]"
    );
    assert_eq!(hazard.entry["review"]["comment"], "请补充现场照片");
    let by_a1 = sync(storage, a1, vec![], true).await;
    assert_eq!(
        by_a1.changes.len(),
        2,
        "[{backend}] the sender pulls the two reviewed entries only"
    );
    assert!(sync(storage, b1, vec![], true).await.changes.is_empty());

    // A member edits the returned entry (sending the review it pulled): pending again.
    let mut edited = hazard.entry.clone();
    edited["body"]["description"] = "便道塌陷,已补拍照片".into();
    seqs[0] += 1;
    let answer = sync(
        storage,
        a1,
        vec![record(
            seqs[0],
            a1.device_id,
            Utc::now().timestamp_millis(),
            Some(&hazard.entry),
            &edited,
        )],
        true,
    )
    .await;
    let back = answer
        .changes
        .iter()
        .find(|c| c.entry["id"] == road_hazard.to_string())
        .expect("the sender pulls the cleared version");
    assert!(
        back.entry.get("review").is_none(),
        "[{backend}] {}",
        back.entry
    );
    let summary = storage.entry_summary(road_hazard).await.unwrap().unwrap();
    assert_eq!(summary.review_decision, None);
    let detail = storage.entry_detail(road_hazard).await.unwrap().unwrap();
    let history: Vec<(u64, String, Option<String>)> = detail
        .history
        .iter()
        .map(|v| {
            (
                v.revision,
                serde_json::to_value(v.by)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
                v.document["review"]["decision"]
                    .as_str()
                    .map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            (1, "device".into(), None),
            (2, "county".into(), Some("returned".into())),
            (3, "device".into(), None)
        ],
        "[{backend}]"
    );
    assert_eq!(detail.device_label.as_deref(), Some("田蓬-李国华的手机"));
    let mut history_json = serde_json::to_value(&detail.history).unwrap();
    for version in history_json.as_array_mut().unwrap() {
        version.as_object_mut().unwrap().remove("written_at_ms");
    }
    answers.insert("history_road_hazard".into(), history_json);

    // A device can neither change an approval nor bring its own review.
    let patrol = pulled
        .changes
        .iter()
        .find(|c| c.entry["id"] == fixture.id("patrol").to_string())
        .unwrap()
        .entry
        .clone();
    let mut tampered = patrol.clone();
    tampered["review"]["decision"] = "returned".into();
    tampered["body"]["findings"] = "沿线正常".into();
    let mut invented = fixture.document("smuggling").clone();
    invented["id"] = fixture.new_entry_id.to_string().into();
    invented["device_id"] = a1.device_id.to_string().into();
    invented.as_object_mut().unwrap().remove("location");
    invented["review"] = json!({"decision": "approved", "comment": "", "reviewer": "我自己", "decided_at": "2025-01-01T00:00:00Z"});
    seqs[0] += 2;
    sync(
        storage,
        a1,
        vec![
            record(
                seqs[0] - 1,
                a1.device_id,
                Utc::now().timestamp_millis(),
                Some(&patrol),
                &tampered,
            ),
            record(
                seqs[0],
                a1.device_id,
                Utc::now().timestamp_millis(),
                None,
                &invented,
            ),
        ],
        false,
    )
    .await;
    let patrol_now = storage
        .entry_detail(fixture.id("patrol"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        patrol_now.entry["review"]["decision"], "approved",
        "[{backend}]"
    );
    assert_eq!(patrol_now.entry["body"]["findings"], "沿线正常");
    let new = storage
        .entry_detail(fixture.new_entry_id)
        .await
        .unwrap()
        .unwrap();
    assert!(
        new.entry.get("review").is_none(),
        "[{backend}] a device's own review is not taken"
    );
    assert_eq!(new.summary.review_decision, None);
    assert!(storage
        .entry_detail(EntryId::new_v7())
        .await
        .unwrap()
        .is_none());
}
