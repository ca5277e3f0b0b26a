//! A table walker that reads typed values out of a parsed TOML document while collecting
//! *every* problem (unknown key, wrong type, bad value) with its location, instead of
//! stopping at the first one as serde would.

use std::collections::HashMap;

use toml::{Table, Value};

/// One config problem: where (`[fetch].timeout`, line 12) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Maps dotted paths (`fetch.timeout`, `source[1].url`) to 1-based line numbers.
#[derive(Default)]
pub struct LineMap(HashMap<String, usize>);

impl LineMap {
    pub fn build(src: &str) -> Self {
        let mut map = HashMap::new();
        if let Ok(doc) = toml::de::DeTable::parse(src) {
            walk(src, "", doc.get_ref(), &mut map);
        }
        LineMap(map)
    }

    pub fn line(&self, path: &str) -> Option<usize> {
        self.0.get(path).copied()
    }
}

fn walk(src: &str, prefix: &str, t: &toml::de::DeTable<'_>, map: &mut HashMap<String, usize>) {
    for (k, v) in t.iter() {
        let path = join(prefix, k.get_ref());
        map.insert(path.clone(), line_of(src, k.span().start));
        match v.get_ref() {
            toml::de::DeValue::Table(inner) => walk(src, &path, inner, map),
            toml::de::DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{path}[{}]", i + 1);
                    map.insert(p.clone(), line_of(src, item.span().start));
                    if let toml::de::DeValue::Table(inner) = item.get_ref() {
                        walk(src, &p, inner, map);
                    }
                }
            }
            _ => {}
        }
    }
}

pub fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Collects problems for one document.
pub struct Problems<'a> {
    lines: &'a LineMap,
    pub list: Vec<Problem>,
}

impl<'a> Problems<'a> {
    pub fn new(lines: &'a LineMap) -> Self {
        Problems {
            lines,
            list: Vec::new(),
        }
    }

    pub fn push(&mut self, path: &str, message: impl Into<String>) {
        // Fall back to the nearest enclosing path that has a known line.
        let mut p = path;
        let line = loop {
            if let Some(l) = self.lines.line(p) {
                break Some(l);
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => break None,
            }
        };
        self.list.push(Problem {
            path: path.to_string(),
            line,
            message: message.into(),
        });
    }
}

/// A view of one table at `path`; every key read is remembered so `finish` can report the
/// keys nobody asked for.
pub struct Section<'t> {
    pub path: String,
    table: Option<&'t Table>,
    seen: Vec<&'static str>,
}

impl<'t> Section<'t> {
    pub fn new(path: impl Into<String>, table: Option<&'t Table>) -> Self {
        Section {
            path: path.into(),
            table,
            seen: Vec::new(),
        }
    }

    fn key_path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    pub fn raw(&mut self, key: &'static str) -> Option<&'t Value> {
        self.seen.push(key);
        self.table.and_then(|t| t.get(key))
    }

    pub fn string(&mut self, key: &'static str, p: &mut Problems) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                p.push(
                    &self.key_path(key),
                    format!("expected a string, found {}", other.type_str()),
                );
                None
            }
        }
    }

    pub fn bool(&mut self, key: &'static str, p: &mut Problems) -> Option<bool> {
        match self.raw(key)? {
            Value::Boolean(b) => Some(*b),
            other => {
                p.push(
                    &self.key_path(key),
                    format!("expected true or false, found {}", other.type_str()),
                );
                None
            }
        }
    }

    pub fn uint(&mut self, key: &'static str, p: &mut Problems) -> Option<u64> {
        match self.raw(key)? {
            Value::Integer(i) if *i >= 0 => Some(*i as u64),
            other => {
                p.push(
                    &self.key_path(key),
                    format!("expected a non-negative integer, found {}", show(other)),
                );
                None
            }
        }
    }

    /// A number in [0, 1] (integers 0 and 1 included).
    pub fn fraction(&mut self, key: &'static str, p: &mut Problems) -> Option<f64> {
        let v = match self.raw(key)? {
            Value::Float(f) => *f,
            Value::Integer(i) => *i as f64,
            other => {
                p.push(
                    &self.key_path(key),
                    format!("expected a number from 0 to 1, found {}", show(other)),
                );
                return None;
            }
        };
        if (0.0..=1.0).contains(&v) {
            Some(v)
        } else {
            p.push(
                &self.key_path(key),
                format!("expected a number from 0 to 1, found {v}"),
            );
            None
        }
    }

    pub fn strings(&mut self, key: &'static str, p: &mut Problems) -> Option<Vec<String>> {
        let path = self.key_path(key);
        match self.raw(key)? {
            Value::Array(items) => {
                let mut out = Vec::new();
                for (i, v) in items.iter().enumerate() {
                    match v {
                        Value::String(s) => out.push(s.clone()),
                        other => p.push(
                            &format!("{path}[{}]", i + 1),
                            format!("expected a string, found {}", other.type_str()),
                        ),
                    }
                }
                Some(out)
            }
            other => {
                p.push(
                    &path,
                    format!("expected an array of strings, found {}", other.type_str()),
                );
                None
            }
        }
    }

    /// A string parsed by `parse`; errors are reported at this key.
    pub fn parsed<T>(
        &mut self,
        key: &'static str,
        p: &mut Problems,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let s = self.string(key, p)?;
        match parse(&s) {
            Ok(v) => Some(v),
            Err(e) => {
                p.push(&self.key_path(key), e);
                None
            }
        }
    }

    /// A nested table.
    pub fn table(&mut self, key: &'static str, p: &mut Problems) -> Option<&'t Table> {
        match self.raw(key)? {
            Value::Table(t) => Some(t),
            other => {
                p.push(
                    &self.key_path(key),
                    format!("expected a table, found {}", other.type_str()),
                );
                None
            }
        }
    }

    /// An array of tables (`[[source]]`).
    pub fn tables(&mut self, key: &'static str, p: &mut Problems) -> Vec<&'t Table> {
        match self.raw(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, v) in items.iter().enumerate() {
                    match v {
                        Value::Table(t) => out.push(t),
                        other => p.push(
                            &format!("{}[{}]", self.key_path(key), i + 1),
                            format!("expected a table, found {}", other.type_str()),
                        ),
                    }
                }
                out
            }
            Some(other) => {
                p.push(
                    &self.key_path(key),
                    format!("expected [[{key}]] tables, found {}", other.type_str()),
                );
                Vec::new()
            }
        }
    }

    /// Reports every key in the table that no reader asked for.
    pub fn finish(self, p: &mut Problems) {
        if let Some(t) = self.table {
            for k in t.keys() {
                if !self.seen.iter().any(|s| s == k) {
                    let mut known: Vec<_> = self.seen.clone();
                    known.sort_unstable();
                    known.dedup();
                    p.push(
                        &join(&self.path, k),
                        format!("unknown key {k:?} (known keys here: {})", known.join(", ")),
                    );
                }
            }
        }
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.to_string(),
        other => other.type_str().to_string(),
    }
}
