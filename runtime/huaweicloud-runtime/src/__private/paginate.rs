//! The pager of offset/limit list operations: a lazy stream of pages, and of their items, over
//! one generated call repeated with the next offset.
//!
//! Generated code gives [`Pages::new`] where the call starts ([`page_start`]) and a closure that
//! sends the call for one `(offset, limit)`; everything else (when to fetch, when to stop, what
//! an error does) lives here once, so each operation adds only a few lines.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_core::stream::FusedStream;
use http::{HeaderMap, StatusCode};

use crate::error::Error;
use crate::response::ApiResponse;

/// The future of one page: the call's answer with its items and `total_num` taken out.
pub type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send + 'a>>;

/// What a page's answer holds for the pager: its list (if any) and its `total_num` (if any).
pub type PageParts<T, N> = (Option<Vec<T>>, Option<N>);

/// The closure that starts the call for one `(offset, limit)`, or refuses a value its
/// parameters cannot hold.
type Fetch<'a, T> = Box<dyn FnMut(u64, u64) -> Result<PageFuture<'a, T>, Error> + Send + 'a>;

/// One page of a list operation: its items, the `total_num` the service reported, and the
/// answer's status, headers and request id.
#[derive(Debug, Clone)]
pub struct Page<T> {
    offset: u64,
    total_num: Option<i64>,
    response: ApiResponse<Vec<T>>,
}

impl<T> Page<T> {
    /// The offset this page was fetched with.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The page's items (none when the answer held no list).
    pub fn items(&self) -> &[T] {
        self.response.body()
    }

    /// The page's items, by value.
    pub fn into_items(self) -> Vec<T> {
        self.response.into_body()
    }

    /// The number of items the service says the whole list holds, if it said.
    pub fn total_num(&self) -> Option<i64> {
        self.total_num
    }

    /// The `X-Request-Id` of this page's answer.
    pub fn request_id(&self) -> Option<&str> {
        self.response.request_id()
    }

    /// The HTTP status of this page's answer.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The headers of this page's answer.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }
}

/// Where a paged call starts: the offset and page size it was given, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageStart {
    offset: u64,
    limit: u64,
}

/// The start of a paged call: the call's own `offset` (else 0) and `limit` (else
/// `default_limit`, which the generator chose inside the operation's allowed range). A negative
/// offset, a page size below 1, or a value that does not fit is an invalid-argument error
/// naming the parameter, which the stream yields before fetching anything.
pub fn page_start<O, L>(
    offset: (&'static str, Option<O>),
    limit: (&'static str, Option<L>),
    default_limit: u64,
) -> Result<PageStart, Error>
where
    O: TryInto<u64> + Copy + fmt::Display,
    L: TryInto<u64> + Copy + fmt::Display,
{
    let (offset_name, offset) = offset;
    let offset = match offset {
        None => 0,
        Some(value) => value.try_into().map_err(|_| {
            Error::invalid_argument(
                offset_name,
                format!("is {value}, and a page's offset cannot be negative"),
            )
        })?,
    };
    let (limit_name, limit) = limit;
    let limit = match limit {
        None => default_limit,
        Some(value) => match value.try_into() {
            Ok(limit) if limit > 0 => limit,
            _ => {
                return Err(Error::invalid_argument(
                    limit_name,
                    format!("is {value}, and a page holds at least one item"),
                ));
            }
        },
    };
    // A generator never emits 0, but a hand-written caller might: refused like a set 0.
    if limit == 0 {
        return Err(Error::invalid_argument(
            limit_name,
            "has a default of 0, and a page holds at least one item",
        ));
    }
    Ok(PageStart { offset, limit })
}

/// `value` (an offset or a page size) as the integer type of the call's parameter `name`; a
/// value that does not fit is an invalid-argument error naming the parameter.
pub fn page_parameter<P: TryFrom<u64>>(name: &'static str, value: u64) -> Result<P, Error> {
    P::try_from(value).map_err(|_| {
        Error::invalid_argument(
            name,
            format!("would be {value}, more than the parameter's type holds"),
        )
    })
}

/// One page from the answer of `call`: `extract` takes the items and `total_num` out of the
/// decoded body (a missing list is an empty page).
pub fn fetch_page<'a, B, T, N>(
    call: impl Future<Output = Result<ApiResponse<B>, Error>> + Send + 'a,
    extract: fn(B) -> PageParts<T, N>,
) -> PageFuture<'a, T>
where
    B: 'a,
    T: Send + 'a,
    N: TryInto<i64> + 'a,
{
    Box::pin(async move {
        let mut total_num = None;
        let response = call.await?.map(|body| {
            let (items, total) = extract(body);
            // Beyond i64 cannot be a count of anything; saturated rather than dropped.
            total_num = total.map(|total| total.try_into().unwrap_or(i64::MAX));
            items.unwrap_or_default()
        });
        Ok(Page {
            // Set by the pager, which knows which offset it asked for.
            offset: 0,
            total_num,
            response,
        })
    })
}

enum State<'a, T> {
    /// The next page to ask for.
    Next {
        offset: u64,
        limit: u64,
    },
    /// A page on its way.
    Fetching {
        offset: u64,
        limit: u64,
        page: PageFuture<'a, T>,
    },
    /// An error to yield before anything is fetched (a bad `offset` or `limit`).
    Refused(Error),
    Done,
}

/// The pages of a list operation, as a [`Stream`]: lazy (a page is fetched only when the
/// stream is polled for it), each page the same call with the next offset, sent like any call
/// (signed afresh, retried as the client's policy says).
///
/// The stream ends after a page that is empty, shorter than the page size, or reaches the
/// `total_num` the service reported, so a wrong `total_num` never makes it loop forever. An
/// error is yielded once, after every page before it, and ends the stream.
#[must_use = "a stream does nothing until polled"]
pub struct Pages<'a, T> {
    fetch: Fetch<'a, T>,
    state: State<'a, T>,
}

impl<'a, T> Pages<'a, T> {
    /// A stream starting at `start` (or yielding its error), fetching each page with `fetch`.
    /// Made by generated code (`into_pages()`), not by users.
    #[doc(hidden)]
    pub fn new(
        start: Result<PageStart, Error>,
        fetch: impl FnMut(u64, u64) -> Result<PageFuture<'a, T>, Error> + Send + 'a,
    ) -> Self {
        let state = match start {
            Ok(PageStart { offset, limit }) => State::Next { offset, limit },
            Err(error) => State::Refused(error),
        };
        Self {
            fetch: Box::new(fetch),
            state,
        }
    }

    /// The items of every page, one by one.
    pub fn into_items(self) -> Items<'a, T> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }
}

/// Whether another page follows a page of `count` items fetched at `offset` with `limit`.
fn next_offset(offset: u64, limit: u64, count: usize, total_num: Option<i64>) -> Option<u64> {
    let count = u64::try_from(count).ok()?;
    if count == 0 || count < limit {
        return None;
    }
    // Past the items received, not `offset + limit`: a server that sends more than asked for
    // is not asked for the surplus again.
    let next = offset.checked_add(count)?;
    match total_num {
        // A negative total counts as none left.
        Some(total) if next >= u64::try_from(total).unwrap_or(0) => None,
        _ => Some(next),
    }
}

impl<T> Stream for Pages<'_, T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Refused(error) => return Poll::Ready(Some(Err(error))),
                State::Next { offset, limit } => match (this.fetch)(offset, limit) {
                    Ok(page) => {
                        this.state = State::Fetching {
                            offset,
                            limit,
                            page,
                        };
                    }
                    Err(error) => return Poll::Ready(Some(Err(error))),
                },
                State::Fetching {
                    offset,
                    limit,
                    mut page,
                } => match page.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::Fetching {
                            offset,
                            limit,
                            page,
                        };
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(error)) => return Poll::Ready(Some(Err(error))),
                    Poll::Ready(Ok(mut page)) => {
                        page.offset = offset;
                        if let Some(next) =
                            next_offset(offset, limit, page.items().len(), page.total_num)
                        {
                            this.state = State::Next {
                                offset: next,
                                limit,
                            };
                        }
                        return Poll::Ready(Some(Ok(page)));
                    }
                },
            }
        }
    }
}

impl<T> FusedStream for Pages<'_, T> {
    fn is_terminated(&self) -> bool {
        matches!(self.state, State::Done)
    }
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Pages");
        match &self.state {
            State::Next { offset, limit } => out.field("next_offset", offset).field("limit", limit),
            State::Fetching { offset, limit, .. } => {
                out.field("fetching_offset", offset).field("limit", limit)
            }
            State::Refused(error) => out.field("refused", error),
            State::Done => out.field("done", &true),
        };
        out.finish_non_exhaustive()
    }
}

/// The items of a list operation, page after page, as a [`Stream`] (see [`Pages`] for when
/// pages are fetched and when the stream ends). A page is fetched only once every item of the
/// page before has been taken, so `take(n)` never fetches a page it does not need. An error is
/// yielded after the items already received and ends the stream.
#[must_use = "a stream does nothing until polled"]
pub struct Items<'a, T> {
    pages: Pages<'a, T>,
    buffer: std::vec::IntoIter<T>,
}

// Items are moved out of the buffer, never pinned in place.
impl<T> Unpin for Items<'_, T> {}

impl<T> Stream for Items<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.buffer = page.into_items().into_iter(),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.buffer.len();
        if self.pages.is_terminated() {
            (buffered, Some(buffered))
        } else {
            (buffered, None)
        }
    }
}

impl<T> FusedStream for Items<'_, T> {
    fn is_terminated(&self) -> bool {
        self.buffer.len() == 0 && self.pages.is_terminated()
    }
}

impl<T> fmt::Debug for Items<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.buffer.len())
            .field("pages", &self.pages)
            .finish()
    }
}

#[cfg(test)]
mod tests;
