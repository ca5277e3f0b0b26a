//! Query parameters, parsed strictly: an unknown name, a bad number, date or cursor is a 400
//! that names the parameter (a typo in a filter must not silently return everything).

use chrono::{DateTime, NaiveDate, Utc};

use super::WebError;
use crate::store::PageReq;

pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 500;

/// The query string of one request.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses `raw` for a page: refuses names outside `allowed` and repeated names; values
    /// are trimmed and empty ones count as absent (HTML forms send every field).
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Self, WebError> {
        Self::parse_with(raw, allowed, true)
    }

    /// Parses `raw` for the JSON API, as the OpenAPI document describes it: like
    /// [`Params::parse`], but a value is taken as given and an empty one is refused (an
    /// empty `status=` is not a status; a client building URLs should leave it out).
    pub fn parse_api(raw: Option<&str>, allowed: &[&str]) -> Result<Self, WebError> {
        Self::parse_with(raw, allowed, false)
    }

    fn parse_with(raw: Option<&str>, allowed: &[&str], form: bool) -> Result<Self, WebError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if !allowed.contains(&k.as_ref()) {
                let known = if allowed.is_empty() {
                    "this endpoint takes no parameters".to_string()
                } else {
                    format!("known parameters: {}", allowed.join(", "))
                };
                return Err(WebError::bad(
                    &k,
                    format!("unknown parameter {k:?} ({known})"),
                ));
            }
            if pairs.iter().any(|(n, _)| *n == k) {
                return Err(WebError::bad(&k, format!("parameter {k:?} given twice")));
            }
            if form {
                if !v.trim().is_empty() {
                    pairs.push((k.into_owned(), v.trim().to_string()));
                }
            } else if v.is_empty() {
                return Err(WebError::bad(
                    &k,
                    format!("parameter {k:?} is empty (leave it out instead)"),
                ));
            } else {
                pairs.push((k.into_owned(), v.into_owned()));
            }
        }
        Ok(Params { pairs })
    }

    pub fn str(&self, name: &str) -> Option<String> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, WebError> {
        self.str(name)
            .map(|v| {
                v.parse::<i64>().map_err(|_| {
                    WebError::bad(name, format!("{name} must be an integer, not {v:?}"))
                })
            })
            .transpose()
    }

    /// RFC 3339 (`2026-01-06T09:00:00Z`) or a day (`2026-01-06`, midnight UTC).
    pub fn time(&self, name: &str) -> Result<Option<DateTime<Utc>>, WebError> {
        self.str(name).map(|v| parse_time(name, &v)).transpose()
    }

    /// One of `choices`.
    pub fn choice(&self, name: &str, choices: &[&str]) -> Result<Option<String>, WebError> {
        match self.str(name) {
            Some(v) if !choices.contains(&v.as_str()) => Err(WebError::bad(
                name,
                format!("{name} must be one of {}, not {v:?}", choices.join(", ")),
            )),
            v => Ok(v),
        }
    }

    /// `limit` (1..=500) and `cursor`.
    pub fn page(&self) -> Result<PageReq, WebError> {
        let limit = match self.int("limit")? {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT as i64).contains(&n) => n as usize,
            Some(n) => {
                return Err(WebError::bad(
                    "limit",
                    format!("limit must be between 1 and {MAX_LIMIT}, not {n}"),
                ));
            }
        };
        let (upto, before) = match self.str("cursor") {
            None => (None, None),
            Some(c) => {
                let (u, b) = decode_cursor(&c)?;
                (Some(u), Some(b))
            }
        };
        Ok(PageReq {
            limit,
            before,
            upto,
        })
    }

    /// The query string with `name` set to `value` (or removed), for links.
    pub fn with(&self, name: &str, value: Option<&str>) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            if k != name {
                s.append_pair(k, v);
            }
        }
        if let Some(v) = value {
            s.append_pair(name, v);
        }
        s.finish()
    }
}

pub fn parse_time(name: &str, v: &str) -> Result<DateTime<Utc>, WebError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc())
        .map_err(|_| {
            WebError::bad(
                name,
                format!(
                    "{name} must be a day (2026-01-06) or RFC 3339 (2026-01-06T09:00:00Z), not {v:?}"
                ),
            )
        })
}

/// The pattern every cursor matches (in the OpenAPI document too).
pub const CURSOR_PATTERN: &str = "^c1\\.[0-9]{1,18}\\.[0-9]{1,18}$";

/// A cursor: the traversal's newest id and the next page's bound, `c1.<upto>.<before>`.
/// Clients pass `next_cursor` back as it is; the form is plain so that the document can
/// say exactly which strings are cursors (any string of that form is a valid position).
pub fn encode_cursor(upto: i64, before: i64) -> String {
    format!("c1.{upto}.{before}")
}

pub fn decode_cursor(c: &str) -> Result<(i64, i64), WebError> {
    let bad = || {
        WebError::bad(
            "cursor",
            format!("cursor {c:?} is not one this server gives out (use next_cursor of a list)"),
        )
    };
    let number = |p: &str| {
        if (1..=18).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse::<i64>().ok()
        } else {
            None
        }
    };
    let mut parts = c.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("c1"), Some(u), Some(b), None) => match (number(u), number(b)) {
            (Some(u), Some(b)) => Ok((u, b)),
            _ => Err(bad()),
        },
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = encode_cursor(120, 77);
        assert_eq!(decode_cursor(&c).unwrap(), (120, 77));
        assert_eq!(decode_cursor("c1.5.50").unwrap(), (5, 50));
        for bad in [
            "", "abc", "!!", "c1.5", "c1.-5.3", "c1.1.2.3", "c2.1.2", "c1.1.2\n",
        ] {
            let e = decode_cursor(bad).unwrap_err();
            assert!(matches!(&e, WebError::BadParam { param, .. } if param == "cursor"));
        }
    }

    #[test]
    fn strict_parameters() {
        let p = Params::parse(
            Some("outlet=A%20B&since=2026-01-02&limit=5&kind="),
            &["outlet", "since", "limit", "kind"],
        )
        .unwrap();
        assert_eq!(p.str("outlet").as_deref(), Some("A B"));
        assert_eq!(p.str("kind"), None);
        assert_eq!(
            p.time("since").unwrap().unwrap().to_rfc3339(),
            "2026-01-02T00:00:00+00:00"
        );
        assert_eq!(p.page().unwrap().limit, 5);
        let e = Params::parse(Some("outlt=A"), &["outlet"]).unwrap_err();
        assert!(e.to_string().contains("unknown parameter \"outlt\""), "{e}");
        let p = Params::parse(Some("since=yesterday&limit=0"), &["since", "limit"]).unwrap();
        assert!(
            p.time("since")
                .unwrap_err()
                .to_string()
                .contains("since must be a day")
        );
        assert!(p.page().is_err());
        assert!(Params::parse(Some("a=1&a=2"), &["a"]).is_err());
        // the API takes values as given and refuses empty ones
        let e = Params::parse_api(Some("status="), &["status"]).unwrap_err();
        assert!(matches!(&e, WebError::BadParam { param, .. } if param == "status"));
        let p = Params::parse_api(Some("q=%20x"), &["q"]).unwrap();
        assert_eq!(p.str("q").as_deref(), Some(" x"));
        assert_eq!(
            Params::parse(Some("a=1&cursor=x"), &["a", "cursor"])
                .unwrap()
                .with("cursor", Some("y")),
            "a=1&cursor=y"
        );
    }
}
