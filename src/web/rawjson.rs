//! Stored JSON spliced into a response without building a value tree: a fact-changes list
//! page is 50 stored items of tens of values each, and parsing them into
//! `serde_json::Value`s, merging and writing them out again was most of its CPU (allocation
//! and freeing of every string and map). The output is the same JSON as the value-tree path.

use std::collections::BTreeMap;

use serde_json::Value;
use serde_json::value::RawValue;

/// The top-level members of the JSON object `text`, each value as its text, in key order
/// (a later duplicate key wins, as when parsing into a `Value`). `None` when `text` is not a
/// valid object or a key has escapes (it cannot be borrowed): the caller then takes the
/// value-tree path.
pub fn sorted_members(text: &str) -> Option<BTreeMap<&str, &RawValue>> {
    serde_json::from_str(text).ok()
}

/// Writes the object `fields` (a map's entries in key order, as `serde_json` orders them)
/// merged with the stored object `members` (from [`sorted_members`]): the fields win over a
/// member of the same key, as `entry().or_insert` does on the value-tree path.
pub fn write_merged(
    out: &mut Vec<u8>,
    fields: &serde_json::Map<String, Value>,
    members: &BTreeMap<&str, &RawValue>,
) {
    out.push(b'{');
    let mut first = true;
    let mut sep = |out: &mut Vec<u8>| {
        if !std::mem::take(&mut first) {
            out.push(b',');
        }
    };
    let mut m = members.iter().peekable();
    for (k, v) in fields {
        while let Some((mk, mv)) = m.next_if(|(mk, _)| **mk < k.as_str()) {
            sep(out);
            write_raw_member(out, mk, mv);
        }
        m.next_if(|(mk, _)| **mk == k.as_str());
        sep(out);
        serde_json::to_writer(&mut *out, k).expect("in memory");
        out.push(b':');
        serde_json::to_writer(&mut *out, v).expect("in memory");
    }
    for (mk, mv) in m {
        sep(out);
        write_raw_member(out, mk, mv);
    }
    out.push(b'}');
}

fn write_raw_member(out: &mut Vec<u8>, key: &str, value: &RawValue) {
    serde_json::to_writer(&mut *out, key).expect("in memory");
    out.push(b':');
    out.extend_from_slice(value.get().as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_of_a_serde_written_object() {
        let v = json!({"b": [1, {"x": "a,}\"]"}], "a": -1.5e-7, "c": {"d": null}, "e": "é\n", "f": true});
        let text = v.to_string();
        let m = sorted_members(&text).unwrap();
        assert_eq!(
            m.keys().copied().collect::<Vec<_>>(),
            ["a", "b", "c", "e", "f"]
        );
        for (k, raw) in m {
            assert_eq!(
                serde_json::from_str::<Value>(raw.get()).unwrap(),
                v[k],
                "{k}"
            );
        }
        assert!(sorted_members("{}").unwrap().is_empty());
        let unsorted = sorted_members(" { \"b\" : [ 2 , 3 ], \"a\" : 1 } ").unwrap();
        assert_eq!(unsorted.keys().copied().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn what_cannot_be_spliced_is_refused() {
        for bad in [
            "",
            "[1]",
            "\"s\"",
            "{\"a\\u0062\":1}",
            "{\"a\":1",
            "{\"a\":}",
            "{\"a\":1}x",
            "{\"a\":[1,}",
            "{a:1}",
        ] {
            assert!(sorted_members(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn merged_equals_the_value_tree_merge() {
        let fields = json!({"article": {"id": 1}, "id": 7, "kind": "place wins", "links": {"html": "/facts/7"}});
        for stored in [
            json!({"after": {"text": "60"}, "id": "item id loses", "kind": "quantity", "zeta": [1], "also": []}),
            json!({}),
            json!({"zz": 1}),
        ] {
            let text = stored.to_string();
            let mut out = Vec::new();
            write_merged(
                &mut out,
                fields.as_object().unwrap(),
                &sorted_members(&text).unwrap(),
            );
            let mut expected = fields.clone();
            for (k, x) in stored.as_object().unwrap() {
                expected
                    .as_object_mut()
                    .unwrap()
                    .entry(k.clone())
                    .or_insert_with(|| x.clone());
            }
            assert_eq!(String::from_utf8(out).unwrap(), expected.to_string());
        }
    }
}
