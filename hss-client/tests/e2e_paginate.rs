//! Paged operations against the loopback server: `ListHostStatus(..).into_stream()` and
//! `.into_pages()` walk every page in order, lazily, each page a freshly signed request with the
//! next offset, ending on an empty or short page or at `total_num`, and ending with an error
//! after the items already received. A seeded property test covers (total, page size).

mod support;

use futures_util::StreamExt;
use hss_client::{Credentials, Error, ErrorKind};
use serde_json::json;
use support::{Expect, Reply, Seen, TestServer};

fn expect() -> Expect {
    Expect::permanent("AK", "SK")
}

fn client(server: &TestServer) -> hss_client::Client {
    support::client(&server.url, Credentials::permanent("AK", "SK"))
        .build()
        .expect("client")
}

/// A page of the hosts numbered `ids`, with `total_num`.
fn page(ids: std::ops::Range<usize>, total: usize) -> Reply {
    let hosts: Vec<_> = ids
        .map(|id| json!({"host_id": format!("h-{id}"), "host_name": format!("host {id}")}))
        .collect();
    Reply::json(
        200,
        &json!({"total_num": total, "data_list": hosts}).to_string(),
    )
}

/// The query pairs of a request, decoded.
fn query(seen: &Seen) -> Vec<(String, String)> {
    seen.query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key.to_owned(), value.to_owned())
        })
        .collect()
}

/// The `offset` of each request, checking that everything else of the requests is the same
/// and that every request carried a valid signature.
fn offsets(server: &TestServer) -> Vec<String> {
    server.assert_all_verified();
    let seen = server.seen();
    let rest = |seen: &Seen| {
        let pairs: Vec<_> = query(seen)
            .into_iter()
            .filter(|(key, _)| key != "offset")
            .collect();
        (
            seen.method.clone(),
            seen.path.clone(),
            pairs,
            seen.body.clone(),
        )
    };
    if let Some(first) = seen.first() {
        for other in &seen {
            assert_eq!(
                rest(other),
                rest(first),
                "requests differ beyond the offset"
            );
        }
    }
    seen.iter()
        .map(|seen| {
            query(seen)
                .into_iter()
                .find(|(key, _)| key == "offset")
                .map(|(_, value)| value)
                .unwrap_or_default()
        })
        .collect()
}

fn host_ids(hosts: &[Result<hss_client::models::Host, Error>]) -> Vec<String> {
    hosts
        .iter()
        .map(|host| match host {
            Ok(host) => host.host_id.clone().unwrap_or_default(),
            Err(error) => format!("error: {error}"),
        })
        .collect()
}

fn numbered(ids: std::ops::Range<usize>) -> Vec<String> {
    ids.map(|id| format!("h-{id}")).collect()
}

#[tokio::test]
async fn every_page_in_order_each_a_signed_request_with_the_next_offset() {
    let server = TestServer::start(
        expect(),
        vec![page(0..10, 23), page(10..20, 23), page(20..23, 23)],
    )
    .await;
    let client = client(&server);
    let hosts: Vec<_> = client
        .list_host_status()
        .host_status("ACTIVE")
        .limit(10)
        .into_stream()
        .collect()
        .await;
    assert_eq!(host_ids(&hosts), numbered(0..23));
    assert_eq!(offsets(&server), ["0", "10", "20"]);
    let first = &server.seen()[0];
    assert_eq!(first.path, "/v5/project-1/host-management/hosts");
    assert_eq!(
        query(first),
        [
            ("host_status".to_owned(), "ACTIVE".to_owned()),
            ("limit".to_owned(), "10".to_owned()),
            ("offset".to_owned(), "0".to_owned()),
        ]
    );
}

#[tokio::test]
async fn the_default_page_size_and_the_calls_own_offset() {
    // Without `limit`, the generated default page size; the call's offset is where the walk
    // starts.
    let server = TestServer::start(expect(), vec![page(40..45, 45)]).await;
    let client = client(&server);
    let hosts: Vec<_> = client
        .list_host_status()
        .offset(40)
        .into_stream()
        .collect()
        .await;
    assert_eq!(host_ids(&hosts), numbered(40..45));
    let seen = server.seen();
    assert_eq!(offsets(&server), ["40"]);
    let limit = query(&seen[0])
        .into_iter()
        .find(|(key, _)| key == "limit")
        .map(|(_, value)| value);
    assert_eq!(limit.as_deref(), Some(DEFAULT_PAGE_SIZE));
}

/// The page size the generated `ListHostStatus` uses when the call sets no `limit`: the spec
/// records the documented range 10–200 as the `limit`'s `minimum`/`maximum`, and the pager takes
/// the maximum (see ARCHITECTURE.md).
const DEFAULT_PAGE_SIZE: &str = "200";

#[tokio::test]
async fn stopping_early_fetches_no_further_page() {
    // (items taken, pages fetched) at 10 a page out of 23
    for (taken, fetched) in [(0, 0), (1, 1), (10, 1), (11, 2), (20, 2), (21, 3)] {
        let server = TestServer::start(
            expect(),
            vec![page(0..10, 23), page(10..20, 23), page(20..23, 23)],
        )
        .await;
        let client = client(&server);
        let hosts: Vec<_> = client
            .list_host_status()
            .limit(10)
            .into_stream()
            .take(taken)
            .collect()
            .await;
        assert_eq!(host_ids(&hosts), numbered(0..taken), "take({taken})");
        assert_eq!(server.attempts(), fetched, "take({taken})");
    }
}

#[tokio::test]
async fn a_total_larger_than_the_data_ends_at_the_short_page() {
    let server = TestServer::start(
        expect(),
        vec![page(0..10, 1000), page(10..20, 1000), page(20..23, 1000)],
    )
    .await;
    let client = client(&server);
    let hosts: Vec<_> = client
        .list_host_status()
        .limit(10)
        .into_stream()
        .collect()
        .await;
    assert_eq!(host_ids(&hosts), numbered(0..23));
    assert_eq!(offsets(&server), ["0", "10", "20"]);

    // The data ends on a page boundary: one empty page says so.
    let server = TestServer::start(
        expect(),
        vec![page(0..10, 1000), page(10..20, 1000), page(20..20, 1000)],
    )
    .await;
    let client = self::client(&server);
    let hosts: Vec<_> = client
        .list_host_status()
        .limit(10)
        .into_stream()
        .collect()
        .await;
    assert_eq!(host_ids(&hosts), numbered(0..20));
    assert_eq!(offsets(&server), ["0", "10", "20"]);
}

#[tokio::test]
async fn an_error_on_a_middle_page_ends_the_stream_after_the_items_before_it() {
    let failure = Reply::json(
        500,
        r#"{"error_code":"HSS.1001","error_msg":"internal error"}"#,
    )
    .header("X-Request-Id", "req-500");
    let server =
        TestServer::start(expect(), vec![page(0..10, 30), failure, page(20..30, 30)]).await;
    let client = client(&server);
    let mut stream = client.list_host_status().limit(10).into_stream();
    let mut hosts = Vec::new();
    while let Some(host) = stream.next().await {
        hosts.push(host);
    }
    let ids = host_ids(&hosts);
    assert_eq!(ids[..10], numbered(0..10));
    assert_eq!(ids.len(), 11, "{ids:?}");
    let error = hosts.pop().and_then(Result::err).expect("an error last");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(error.request_id(), Some("req-500"));
    assert_eq!(error.error_code(), Some("HSS.1001"));
    // Not retried (a 500 is not, by default), and nothing after it.
    assert_eq!(offsets(&server), ["0", "10"]);
    assert!(stream.next().await.is_none());
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn a_retried_middle_page_is_signed_afresh_and_the_walk_goes_on() {
    let throttled = Reply::json(503, r#"{"error_code":"APIGW.0308","error_msg":"busy"}"#);
    let server = TestServer::start(
        expect(),
        vec![
            page(0..10, 25),
            throttled,
            page(10..20, 25),
            page(20..25, 25),
        ],
    )
    .await;
    let client = client(&server);
    let hosts: Vec<_> = client
        .list_host_status()
        .limit(10)
        .into_stream()
        .collect()
        .await;
    assert_eq!(host_ids(&hosts), numbered(0..25));
    assert_eq!(offsets(&server), ["0", "10", "10", "20"]);
}

#[tokio::test]
async fn an_empty_first_page_is_an_empty_stream() {
    for body in [
        r#"{"total_num":0,"data_list":[]}"#,
        // A total that says otherwise does not make it ask again.
        r#"{"total_num":57,"data_list":[]}"#,
        // Neither list nor total: an empty page.
        r#"{}"#,
    ] {
        let server = TestServer::start(expect(), vec![Reply::json(200, body)]).await;
        let client = client(&server);
        let hosts: Vec<_> = client.list_host_status().into_stream().collect().await;
        assert!(hosts.is_empty(), "{body}: {:?}", host_ids(&hosts));
        assert_eq!(offsets(&server), ["0"], "{body}");
    }
}

#[tokio::test]
async fn unknown_fields_in_the_items_and_the_page_are_ignored() {
    let body = json!({
        "total_num": 2,
        "next_marker": "not ours",
        "data_list": [
            {"host_id": "h-0", "host_name": "a", "new_field": {"nested": [1, 2]}, "agent_id": "x"},
            {"host_id": "h-1", "brand_new": true},
        ],
    });
    let server = TestServer::start(expect(), vec![Reply::json(200, &body.to_string())]).await;
    let client = client(&server);
    let hosts: Vec<_> = client
        .list_host_status()
        .limit(2)
        .into_stream()
        .collect()
        .await;
    assert_eq!(host_ids(&hosts), ["h-0", "h-1"]);
    let first = hosts[0].as_ref().ok();
    assert_eq!(first.and_then(|host| host.host_name.as_deref()), Some("a"));
    assert_eq!(first.and_then(|host| host.agent_id.as_deref()), Some("x"));
}

#[tokio::test]
async fn pages_carry_their_total_offset_and_request_id() {
    let server = TestServer::start(
        expect(),
        vec![
            page(0..3, 5).header("X-Request-Id", "req-a"),
            page(3..5, 5).header("X-Request-Id", "req-b"),
        ],
    )
    .await;
    let client = client(&server);
    let pages: Vec<_> = client
        .list_host_status()
        .limit(3)
        .into_pages()
        .collect()
        .await;
    let summary: Vec<_> = pages
        .iter()
        .map(|page| {
            let page = page.as_ref().expect("a page");
            (
                page.offset(),
                page.items().len(),
                page.total_num(),
                page.request_id().map(str::to_owned),
                page.status().as_u16(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (0, 3, Some(5), Some("req-a".to_owned()), 200),
            (3, 2, Some(5), Some("req-b".to_owned()), 200),
        ]
    );
}

#[tokio::test]
async fn a_bad_offset_or_page_size_is_an_argument_error_before_any_request() {
    let server = TestServer::start(expect(), vec![]).await;
    let client = client(&server);
    let cases = [
        (client.list_host_status().offset(-1), "offset"),
        (client.list_host_status().limit(0), "limit"),
        (client.list_host_status().limit(-5), "limit"),
    ];
    for (call, argument) in cases {
        let items: Vec<_> = call.into_stream().collect().await;
        assert_eq!(items.len(), 1);
        let error = items.into_iter().next().and_then(Result::err);
        assert_eq!(
            error.as_ref().map(Error::kind),
            Some(ErrorKind::InvalidArgument)
        );
        let text = error.map(|error| error.to_string()).unwrap_or_default();
        assert!(
            text.starts_with(&format!("invalid argument {argument}: ")),
            "{text}"
        );
    }
    assert_eq!(server.attempts(), 0);
}

/// SplitMix64: a seeded sequence, as the crate's other property tests use.
struct Draw(u64);

impl Draw {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % bound
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

#[tokio::test]
async fn every_total_and_page_size_yields_each_item_once_in_the_fewest_requests() {
    let mut draw = Draw(env_number("HSS_PROPERTY_SEED", 9));
    // (total, total_num reported, page size): the reported total is right, or larger than the
    // data (a server that miscounts).
    let cases: Vec<(usize, usize, usize)> = (0..env_number("HSS_PROPERTY_CASES", 200))
        .map(|_| {
            let total = usize::try_from(draw.below(64)).expect("small");
            let size = usize::try_from(1 + draw.below(24)).expect("small");
            let inflated = draw.below(3) == 0;
            let reported = if inflated {
                total + 1 + 7 * size
            } else {
                total
            };
            (total, reported, size)
        })
        .collect();
    // One server and one client for every case: each case's answers follow the one before's,
    // and the requests of a case are those that arrived while it ran.
    let script: Vec<Reply> = cases
        .iter()
        .flat_map(|&(total, reported, size)| {
            (0..expected_requests(total, reported, size))
                .map(move |n| page((n * size).min(total)..((n + 1) * size).min(total), reported))
        })
        .collect();
    let server = TestServer::start(expect(), script).await;
    let client = client(&server);
    for (case, &(total, reported, size)) in cases.iter().enumerate() {
        let before = server.attempts();
        let hosts: Vec<_> = client
            .list_host_status()
            .limit(i64::try_from(size).expect("small"))
            .into_stream()
            .collect()
            .await;
        let label = format!("case {case}: total {total}, reported {reported}, page size {size}");
        assert_eq!(host_ids(&hosts), numbered(0..total), "{label}");
        let seen = server.seen();
        let offsets: Vec<String> = seen[before..]
            .iter()
            .map(|seen| {
                let pairs = query(seen);
                assert_eq!(pairs.len(), 2, "{label}: {pairs:?}");
                assert!(
                    pairs.contains(&("limit".to_owned(), size.to_string())),
                    "{label}"
                );
                pairs
                    .into_iter()
                    .find(|(key, _)| key == "offset")
                    .map(|(_, value)| value)
                    .unwrap_or_default()
            })
            .collect();
        let expected: Vec<String> = (0..expected_requests(total, reported, size))
            .map(|n| (n * size).to_string())
            .collect();
        assert_eq!(offsets, expected, "{label}");
    }
    server.assert_all_verified();
}

/// How many pages a walk needs: with the right total, one per page (at least one); with a total
/// larger than the data, the short or empty page after the last full one ends it.
fn expected_requests(total: usize, reported: usize, size: usize) -> usize {
    if reported > total {
        total / size + 1
    } else {
        total.div_ceil(size).max(1)
    }
}
