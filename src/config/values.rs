//! Parsing of the human-friendly scalar values used in the config: durations, sizes,
//! re-check schedules and `${ENV}` references. Pure functions, no I/O besides the
//! environment lookup passed in by the caller.

use std::time::Duration;

/// Parses a human duration such as `"90s"`, `"15m"`, `"6h"`, `"2d"`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s.trim())
        .map_err(|e| format!("invalid duration {s:?} ({e}); use e.g. \"90s\", \"15m\", \"6h\""))?;
    Ok(d)
}

/// Parses a size such as `"10MB"`, `"512 KiB"`, `"1048576"`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    s.trim()
        .parse::<bytesize::ByteSize>()
        .map(|b| b.as_u64())
        .map_err(|e| format!("invalid size {s:?} ({e}); use e.g. \"10MB\" or \"512KiB\""))
}

/// One step of the decaying re-check schedule: check every `every` while the article is
/// younger than `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RecheckStep {
    #[serde(with = "humantime_secs")]
    pub every: Duration,
    #[serde(with = "humantime_secs")]
    pub until: Duration,
}

mod humantime_secs {
    pub fn serialize<S: serde::Serializer>(
        d: &std::time::Duration,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&humantime::format_duration(*d).to_string())
    }
}

/// Parses `"15m until 6h"`.
pub fn parse_recheck_step(s: &str) -> Result<RecheckStep, String> {
    let (every, until) = s.split_once(" until ").ok_or_else(|| {
        format!("invalid re-check step {s:?}; expected \"EVERY until AGE\", e.g. \"15m until 6h\"")
    })?;
    let every = parse_duration(every)?;
    let until = parse_duration(until)?;
    if every.is_zero() {
        return Err(format!("re-check step {s:?} has a zero interval"));
    }
    Ok(RecheckStep { every, until })
}

/// Checks that steps are ordered by increasing horizon.
pub fn check_recheck_order(steps: &[RecheckStep]) -> Result<(), String> {
    for w in steps.windows(2) {
        if w[1].until <= w[0].until {
            return Err("re-check steps must have increasing \"until\" ages".into());
        }
    }
    Ok(())
}

/// Replaces every `${NAME}` in `s` with the value from `lookup`. `$${` escapes a literal `${`.
/// Returns the names that were missing.
pub fn substitute_env(
    s: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, Vec<String>> {
    let mut out = String::with_capacity(s.len());
    let mut missing = Vec::new();
    let mut rest = s;
    while let Some(pos) = rest.find("${") {
        if rest[..pos].ends_with('$') {
            out.push_str(&rest[..pos - 1]);
            out.push_str("${");
            rest = &rest[pos + 2..];
            continue;
        }
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 2..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match lookup(name) {
                    Some(v) => out.push_str(&v),
                    None => missing.push(name.to_string()),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[pos..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("15m").unwrap(), Duration::from_secs(900));
        assert_eq!(parse_duration("2d").unwrap(), Duration::from_secs(172_800));
        assert!(
            parse_duration("5 parsecs")
                .unwrap_err()
                .contains("5 parsecs")
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MB").unwrap(), 10_000_000);
        assert_eq!(parse_size("1 KiB").unwrap(), 1024);
        assert!(parse_size("ten").is_err());
    }

    #[test]
    fn recheck() {
        let s = parse_recheck_step("15m until 6h").unwrap();
        assert_eq!(s.every, Duration::from_secs(900));
        assert_eq!(s.until, Duration::from_secs(6 * 3600));
        assert!(parse_recheck_step("15m").is_err());
        let a = parse_recheck_step("1h until 3d").unwrap();
        assert!(check_recheck_order(&[s, a]).is_ok());
        assert!(check_recheck_order(&[a, s]).is_err());
    }

    #[test]
    fn env() {
        let look = |n: &str| (n == "A").then(|| "x\"y".to_string());
        assert_eq!(substitute_env("k=${A}!", &look).unwrap(), "k=x\"y!");
        assert_eq!(substitute_env("$${A}", &look).unwrap(), "${A}");
        assert_eq!(
            substitute_env("${B}${C}", &look).unwrap_err(),
            vec!["B", "C"]
        );
        assert_eq!(substitute_env("plain", &look).unwrap(), "plain");
    }
}
