//! DRF's `PageNumberPagination`: `page` / `page_size` reading, Django's `Paginator` checks, and
//! the absolute `next` / `previous` links rebuilt the way `replace_query_param` does it (query
//! keys sorted, values re-encoded, no `page` on links to page 1).

use super::fields::python::py_int;
use crate::common::query::last;
use std::ops::Range;

/// How a list view paginates.
#[derive(Debug, Clone, Copy)]
pub struct PageRules {
    /// `page_size` when the query has none (or a bad one).
    pub default_size: usize,
    /// The cutoff applied to a larger `page_size`.
    pub max_size: usize,
}

/// One page of `count` results, ready to slice and link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// 1-based page number.
    pub number: usize,
    /// Results per page.
    pub size: usize,
    /// Results in the whole (filtered) list.
    pub count: usize,
}

/// `Paginator.validate_number` refused the page: DRF answers 404 `Invalid page.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidPage;

impl Page {
    /// Reads `page` and `page_size` from the query pairs and checks the page against `count`.
    pub fn of(pairs: &[(String, String)], rules: PageRules, count: usize) -> Result<Self, InvalidPage> {
        let size =
            last(pairs, "page_size").and_then(positive_int).map_or(rules.default_size, |n| n.min(rules.max_size));
        // Django: an empty list still has page 1.
        let pages = count.div_ceil(size).max(1);
        let number = match last(pairs, "page") {
            None => 1,
            Some("last") => i64::try_from(pages).unwrap_or(i64::MAX),
            Some(text) => py_int(text).ok_or(InvalidPage)?,
        };
        let number = usize::try_from(number).ok().filter(|n| (1..=pages).contains(n)).ok_or(InvalidPage)?;
        Ok(Self { number, size, count })
    }

    /// The index range of this page's results.
    pub fn range(&self) -> Range<usize> {
        let start = (self.number - 1) * self.size;
        start..(start + self.size).min(self.count)
    }

    /// `get_next_link`: the request URL with `page` replaced, or `None` on the last page.
    pub fn next_link(&self, url: &RequestUrl<'_>) -> Option<String> {
        (self.range().end < self.count).then(|| url.with_page(Some(self.number + 1)))
    }

    /// `get_previous_link`: page 1 is linked without any `page` parameter.
    pub fn previous_link(&self, url: &RequestUrl<'_>) -> Option<String> {
        match self.number {
            1 => None,
            2 => Some(url.with_page(None)),
            n => Some(url.with_page(Some(n - 1))),
        }
    }
}

/// `request.build_absolute_uri()` in parts.
#[derive(Debug, Clone)]
pub struct RequestUrl<'a> {
    /// `http` or `https`.
    pub scheme: &'a str,
    /// The `Host` the client used.
    pub host: &'a str,
    /// The path as requested (prefix included).
    pub path: &'a str,
    /// The query, decoded, in order.
    pub pairs: &'a [(String, String)],
}

impl RequestUrl<'_> {
    /// DRF's `replace_query_param` (or `remove_query_param` for `None`).
    fn with_page(&self, page: Option<usize>) -> String {
        let mut pairs: Vec<(&str, String)> =
            self.pairs.iter().filter(|(k, _)| k != "page").map(|(k, v)| (k.as_str(), v.clone())).collect();
        if let Some(page) = page {
            pairs.push(("page", page.to_string()));
        }
        // `sorted(query_dict.items())`: stable by key, so repeated keys keep their order.
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        let mut url = format!("{}://{}{}", self.scheme, self.host, self.path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        url
    }
}

/// DRF's `_positive_int(strict=True)`: a Python `int()` above zero, else the default applies.
fn positive_int(text: &str) -> Option<usize> {
    py_int(text).filter(|n| *n > 0).and_then(|n| usize::try_from(n).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: PageRules = PageRules { default_size: 10, max_size: 100 };

    use crate::common::query::pairs;

    #[test]
    fn page_of_clamps_size_and_rejects_pages_out_of_range() {
        assert_eq!(Page::of(&pairs("page_size=500"), RULES, 300).map(|p| p.size), Ok(100));
        assert_eq!(Page::of(&pairs("page_size=abc"), RULES, 300).map(|p| p.size), Ok(10));
        assert_eq!(Page::of(&pairs("page_size=0"), RULES, 300).map(|p| p.size), Ok(10));
        assert_eq!(Page::of(&pairs("page=31"), RULES, 300), Err(InvalidPage));
        assert_eq!(Page::of(&pairs("page=0"), RULES, 300), Err(InvalidPage));
        assert_eq!(Page::of(&pairs("page=1.0"), RULES, 300), Err(InvalidPage));
        assert_eq!(Page::of(&pairs("page=last"), RULES, 300).map(|p| p.number), Ok(30));
        assert_eq!(Page::of(&pairs(""), RULES, 0).map(|p| p.range()), Ok(0..0));
    }

    #[test]
    fn links_sort_the_query_and_drop_page_for_page_one() {
        let query = pairs("page_size=20&page=2&enabled=true");
        let url = RequestUrl { scheme: "http", host: "h:1", path: "/joinup/x/", pairs: &query };
        let page = Page::of(&query, RULES, 57).expect("valid page");
        assert_eq!(page.previous_link(&url).as_deref(), Some("http://h:1/joinup/x/?enabled=true&page_size=20"));
        assert_eq!(page.next_link(&url).as_deref(), Some("http://h:1/joinup/x/?enabled=true&page=3&page_size=20"));
    }
}
