//! The pager's rules without a network: where a call starts, when another page follows, what
//! is fetched when, and how errors end the stream. The end-to-end tests repeat the main cases
//! over HTTP with the generated operations.

use std::future::poll_fn;
use std::sync::{Arc, Mutex, PoisonError};

use super::*;
use crate::error::ErrorKind;

#[test]
fn another_page_follows_only_a_full_page_short_of_the_total() {
    // (offset, limit, items on the page, total_num, next offset)
    type Case = (u64, u64, usize, Option<i64>, Option<u64>);
    let cases: &[Case] = &[
        (0, 10, 10, Some(23), Some(10)),
        (10, 10, 10, Some(23), Some(20)),
        (20, 10, 3, Some(23), None),
        // Exactly at the total: no empty page is asked for.
        (10, 10, 10, Some(20), None),
        // Empty or short pages end it, whatever the total says.
        (0, 10, 0, Some(50), None),
        (0, 10, 9, Some(50), None),
        (0, 10, 0, None, None),
        // Without a total, a full page is followed by another.
        (0, 10, 10, None, Some(10)),
        // A total below what was received, or negative, ends it.
        (0, 10, 10, Some(5), None),
        (0, 10, 10, Some(-1), None),
        // More than asked for: the next offset is past what arrived.
        (0, 10, 12, Some(100), Some(12)),
        // The offset cannot overflow.
        (u64::MAX - 5, 10, 10, None, None),
        (u64::MAX - 10, 10, 10, None, Some(u64::MAX)),
    ];
    for &(offset, limit, count, total, expected) in cases {
        assert_eq!(
            next_offset(offset, limit, count, total),
            expected,
            "offset {offset}, limit {limit}, {count} items, total {total:?}"
        );
    }
}

#[test]
fn the_start_is_the_calls_offset_and_limit_or_the_defaults() {
    let start = |offset: Option<i64>, limit: Option<i64>| {
        page_start(("offset", offset), ("limit", limit), 200)
    };
    assert_eq!(
        start(None, None).ok(),
        Some(PageStart {
            offset: 0,
            limit: 200
        })
    );
    assert_eq!(
        start(Some(40), Some(15)).ok(),
        Some(PageStart {
            offset: 40,
            limit: 15
        })
    );
    // (offset, limit, the argument named, the message)
    let refused: &[(Option<i64>, Option<i64>, &str, &str)] = &[
        (
            Some(-1),
            None,
            "offset",
            "is -1, and a page's offset cannot be negative",
        ),
        (
            None,
            Some(0),
            "limit",
            "is 0, and a page holds at least one item",
        ),
        (
            None,
            Some(-10),
            "limit",
            "is -10, and a page holds at least one item",
        ),
    ];
    for &(offset, limit, argument, message) in refused {
        let error = start(offset, limit).err();
        assert_eq!(
            error.as_ref().map(ToString::to_string),
            Some(format!("invalid argument {argument}: {message}")),
        );
        assert_eq!(
            error.as_ref().map(Error::kind),
            Some(ErrorKind::InvalidArgument)
        );
    }
    let no_default = page_start::<i64, i64>(("offset", None), ("limit", None), 0);
    assert_eq!(
        no_default.err().map(|error| error.to_string()),
        Some(
            "invalid argument limit: has a default of 0, and a page holds at least one item".into()
        )
    );
}

#[test]
fn a_value_the_parameter_cannot_hold_is_an_error_naming_it() {
    assert_eq!(page_parameter::<i32>("offset", 7).ok(), Some(7));
    assert_eq!(
        page_parameter::<i32>("offset", 1 << 31)
            .err()
            .map(|error| error.to_string()),
        Some(
            "invalid argument offset: would be 2147483648, more than the parameter's type holds"
                .into()
        )
    );
    assert_eq!(page_parameter::<i64>("offset", u64::MAX).ok(), None::<i64>);
}

/// A page of `items` with `total_num`, as an answer would give it.
fn answer(items: Vec<u32>, total: Option<i64>) -> Result<Page<u32>, Error> {
    let response = ApiResponse::from_parts(items, StatusCode::OK, HeaderMap::new());
    Ok(Page {
        offset: 0,
        total_num: total,
        response,
    })
}

/// Each `(offset, limit)` a pager asked for, in order.
type Asked = Arc<Mutex<Vec<(u64, u64)>>>;

/// Pages answered from `script` in order, recording each `(offset, limit)` asked for.
fn scripted(
    start: Result<PageStart, Error>,
    script: Vec<Result<Page<u32>, Error>>,
) -> (Pages<'static, u32>, Asked) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&asked);
    let mut script = script.into_iter();
    let pages = Pages::new(start, move |offset, limit| {
        record
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((offset, limit));
        let answer = script
            .next()
            .unwrap_or_else(|| Err(Error::invalid_argument("script", "is used up")));
        Ok(Box::pin(std::future::ready(answer)) as PageFuture<'static, u32>)
    });
    (pages, asked)
}

fn asked(log: &Mutex<Vec<(u64, u64)>>) -> Vec<(u64, u64)> {
    log.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

#[tokio::test]
async fn nothing_is_fetched_before_the_stream_is_polled() {
    let (pages, asked_for) = scripted(
        Ok(PageStart {
            offset: 0,
            limit: 2,
        }),
        vec![answer(vec![1, 2], Some(4)), answer(vec![3, 4], Some(4))],
    );
    let mut items = pages.into_items();
    assert!(asked(&asked_for).is_empty());
    assert_eq!(next(&mut items).await.and_then(Result::ok), Some(1));
    assert_eq!(asked(&asked_for), [(0, 2)]);
    // The second item is in hand: no page is fetched for it.
    assert_eq!(next(&mut items).await.and_then(Result::ok), Some(2));
    assert_eq!(asked(&asked_for), [(0, 2)]);
    assert_eq!(next(&mut items).await.and_then(Result::ok), Some(3));
    assert_eq!(next(&mut items).await.and_then(Result::ok), Some(4));
    assert!(next(&mut items).await.is_none());
    assert!(items.is_terminated());
    // Fused: polling again asks for nothing.
    assert!(next(&mut items).await.is_none());
    assert_eq!(asked(&asked_for), [(0, 2), (2, 2)]);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_items_before_it() {
    let (pages, asked_for) = scripted(
        Ok(PageStart {
            offset: 5,
            limit: 2,
        }),
        vec![
            answer(vec![1, 2], None),
            Err(Error::invalid_argument("page", "failed")),
            answer(vec![3, 4], None),
        ],
    );
    let mut items = pages.into_items();
    let mut seen = Vec::new();
    while let Some(item) = next(&mut items).await {
        seen.push(item.map_err(|error| error.to_string()));
    }
    assert_eq!(
        seen,
        [
            Ok(1),
            Ok(2),
            Err("invalid argument page: failed".to_owned())
        ]
    );
    assert_eq!(asked(&asked_for), [(5, 2), (7, 2)]);
}

#[tokio::test]
async fn a_refused_start_is_the_only_item_and_fetches_nothing() {
    let (mut pages, asked_for) = scripted(
        page_start(("offset", Some(-3_i64)), ("limit", None::<i64>), 10),
        vec![answer(vec![1], None)],
    );
    assert!(format!("{pages:?}").contains("refused"));
    let first = next(&mut pages).await;
    assert_eq!(
        first.map(|page| page.map(|page| page.into_items()).map_err(|e| e.kind())),
        Some(Err(ErrorKind::InvalidArgument))
    );
    assert!(next(&mut pages).await.is_none());
    assert!(asked(&asked_for).is_empty());
}

#[tokio::test]
async fn a_fetch_that_refuses_its_offset_ends_the_stream_with_that_error() {
    let mut pages = Pages::new(
        Ok(PageStart {
            offset: 0,
            limit: 1,
        }),
        |offset, _limit| {
            let offset: i8 = page_parameter("offset", offset.saturating_mul(1000))?;
            Ok(Box::pin(std::future::ready(answer(
                vec![u32::from(offset.unsigned_abs())],
                None,
            ))) as PageFuture<'static, u32>)
        },
    );
    let first = next(&mut pages).await;
    assert_eq!(
        first.map(|page| page
            .map(|page| (page.offset(), page.into_items()))
            .map_err(|e| e.to_string())),
        Some(Ok((0, vec![0])))
    );
    let second = next(&mut pages).await;
    assert_eq!(
        second.map(|page| page.map(|page| page.offset()).map_err(|e| e.to_string())),
        Some(Err(
            "invalid argument offset: would be 1000, more than the parameter's type holds".into()
        ))
    );
    assert!(next(&mut pages).await.is_none());
}

#[tokio::test]
async fn pages_carry_their_offset_total_and_request_id() {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", http::HeaderValue::from_static("req-7"));
    let page = Page {
        offset: 0,
        total_num: Some(3),
        response: ApiResponse::from_parts(vec![1_u32, 2, 3], StatusCode::OK, headers),
    };
    let (mut pages, _) = scripted(
        Ok(PageStart {
            offset: 0,
            limit: 5,
        }),
        vec![Ok(page)],
    );
    let page = next(&mut pages).await.and_then(Result::ok);
    let page = page.as_ref();
    assert_eq!(page.map(Page::offset), Some(0));
    assert_eq!(page.map(Page::items), Some(&[1, 2, 3][..]));
    assert_eq!(page.and_then(Page::total_num), Some(3));
    assert_eq!(page.and_then(Page::request_id), Some("req-7"));
    assert_eq!(page.map(Page::status), Some(StatusCode::OK));
    assert!(next(&mut pages).await.is_none());
}

#[tokio::test]
async fn fetch_page_takes_the_items_and_total_out_of_the_body() {
    let call = async {
        Ok(ApiResponse::from_parts(
            (Some(vec![4_u32, 5]), Some(9_u64)),
            StatusCode::OK,
            HeaderMap::new(),
        ))
    };
    let page = fetch_page(call, |(items, total)| (items, total)).await;
    let page = page.ok();
    assert_eq!(page.as_ref().map(Page::items), Some(&[4, 5][..]));
    assert_eq!(page.as_ref().and_then(Page::total_num), Some(9));
    // A missing list is an empty page; a total beyond i64 saturates.
    let call = async {
        Ok(ApiResponse::from_parts(
            (None::<Vec<u32>>, Some(u64::MAX)),
            StatusCode::OK,
            HeaderMap::new(),
        ))
    };
    let page = fetch_page(call, |(items, total)| (items, total)).await.ok();
    assert_eq!(page.as_ref().map(Page::items), Some(&[][..]));
    assert_eq!(page.as_ref().and_then(Page::total_num), Some(i64::MAX));
}
