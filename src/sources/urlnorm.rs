//! PROVISIONAL stub, replaced by branch `disc`.
pub fn normalize_url(raw: &str, base: Option<&url::Url>) -> Option<String> {
    let u = match base {
        Some(b) => b.join(raw).ok()?,
        None => url::Url::parse(raw).ok()?,
    };
    Some(u.to_string())
}
