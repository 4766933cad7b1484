//! The regression test of the SDK type `datetime` (huaweicloudsdkhss 3.1.200 types
//! `GetNetworkPolicy.create_time` so; the importer once stopped at it). `.ci/run` copies this file
//! into the crate it generates from that version's spec and sets `SDK_DATE_TIME_JSON` to the
//! JSON the official SDK writes for such a model (`sdk_date_time.py`): the generated model must
//! decode it, hold the date-time as the SDK wrote it, and encode it back to the same JSON.

use serde_json::Value;

#[test]
fn a_date_time_survives_decode_and_encode() {
    let text = std::env::var("SDK_DATE_TIME_JSON").expect("SDK_DATE_TIME_JSON: the SDK's JSON");
    let sent: Value = serde_json::from_str(&text).expect("the SDK's JSON");
    let written = sent["create_time"].as_str().expect("a create_time string").to_owned();
    assert!(written.contains('T'), "not a date-time: {written}");
    let model: hss_3_1_200::models::GetNetworkPolicy =
        serde_json::from_str(&text).expect("decoded by the generated model");
    assert_eq!(model.create_time.as_deref(), Some(written.as_str()));
    let encoded = serde_json::to_value(&model).expect("encoded by the generated model");
    assert_eq!(encoded, sent);
}
