//! The stories stage's calls, each one round trip: write-or-catch-up ([`Store::story_step`]),
//! a story's state, and the versions a comparison needs.

use chrono::{DateTime, Utc};

use super::pipeline::{Batch, Frame, Param};
use super::read::{ARTICLE_COLS, FINDING_COLS, MEMBER_COLS, STORY_SELECT, finding_at};
use super::read::{article_row, member_row, story_row, version_row_at};
use super::{PgStore, parse_ts, ts};
use crate::store::*;

/// Versions' columns, after [`ARTICLE_COLS`] (15 columns).
const DOC_VERSION_COLS: &str = "v.article_id, v.seq, v.observed_at, v.content_hash, v.flagged, v.significance, v.article_json, v.diff_json, v.claims";

/// Every write of a step is conditional on the revision it was computed from, so the batch
/// can end with COMMIT: when another worker wrote first, nothing is written and the same
/// round trip brings back what it wrote.
const MEMBER_UPSERT: &str = "INSERT INTO story_members (article_id, story_id, seq, outlet, published, features_json, score, wire_copy_of, manual, joined_at, rev)
     SELECT $1::bigint, $2::bigint, $3::bigint, $4::text, $5::text, $6::text, $7::float8, $8::bigint, $9::boolean, $10::text, $11::bigint
     WHERE (SELECT rev FROM story_meta WHERE id = 1) = $12::bigint
     ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, seq = excluded.seq, outlet = excluded.outlet,
        published = excluded.published, features_json = excluded.features_json, score = excluded.score,
        wire_copy_of = excluded.wire_copy_of, manual = excluded.manual, rev = excluded.rev,
        joined_at = CASE WHEN story_members.story_id = excluded.story_id THEN story_members.joined_at ELSE excluded.joined_at END";

impl PgStore {
    pub(super) async fn story_step_(&self, w: &StoryWrite, at: DateTime<Utc>) -> Result<StoryStep> {
        let c = self.client().await?;
        let base = w.base_rev;
        let rev = base + 1;
        let now = ts(at);
        let next_story = w.next_story as i64;
        let members: Vec<_> = w
            .members
            .iter()
            .map(|m| {
                serde_json::to_string(&m.features)
                    .map(|f| (m, ts(m.published.unwrap_or(at)), f, m.score as f64))
                    .map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .collect::<Result<_>>()?;
        let links: Option<Vec<(i64, i64, &str)>> = w.links.as_ref().map(|(must, cannot)| {
            [(must, "must"), (cannot, "cannot")]
                .into_iter()
                .flat_map(|(pairs, kind)| {
                    pairs.iter().map(move |&(a, b)| (a.min(b), a.max(b), kind))
                })
                .collect()
        });
        let delta_sql = format!(
            "SELECT {MEMBER_COLS} FROM story_members WHERE rev > $1 ORDER BY rev, article_id"
        );

        let mut b = Batch::new();
        let meta = b.push(
            "SELECT rev, next_story FROM story_meta WHERE id = 1 FOR UPDATE",
            vec![],
        );
        // Empty unless others wrote since `base`.
        let delta = b.push(&delta_sql, vec![&base]);
        let linked = b.push(
            "SELECT a, b, kind FROM story_links WHERE (SELECT rev FROM story_meta WHERE id = 1) <> $1 ORDER BY a, b",
            vec![&base],
        );
        for (m, published, features, score) in &members {
            let p: Vec<Param> = vec![
                &m.article_id,
                &m.story_id,
                &m.seq,
                &m.outlet,
                published,
                features,
                score,
                &m.wire_copy_of,
                &m.manual,
                &now,
                &rev,
                &base,
            ];
            b.push(MEMBER_UPSERT, p);
        }
        if let Some(links) = &links {
            b.push(
                "DELETE FROM story_links WHERE (SELECT rev FROM story_meta WHERE id = 1) = $1",
                vec![&base],
            );
            for (a, bb, kind) in links {
                b.push(
                    "INSERT INTO story_links (a, b, kind, created_at) SELECT $1::bigint, $2::bigint, $3::text, $4::text
                     WHERE (SELECT rev FROM story_meta WHERE id = 1) = $5::bigint
                     ON CONFLICT (a, b) DO UPDATE SET kind = excluded.kind",
                    vec![a, bb, kind, &now, &base],
                );
            }
        }
        // Last: the statements above test the revision this one moves.
        b.push(
            "UPDATE story_meta SET rev = $1::bigint + 1, next_story = GREATEST(next_story, $2) WHERE id = 1 AND rev = $1",
            vec![&base, &next_story],
        );
        let rows = b.run(&c, Frame::Committed).await.map_err(|f| f.error)?;
        let (current, next): (i64, i64) = (rows[meta][0].get(0), rows[meta][0].get(1));
        if current == base {
            return Ok(StoryStep::Written(rev));
        }
        let mut sync = StorySync {
            members: rows[delta].iter().map(member_row).collect::<Result<_>>()?,
            next_story: next.max(0) as u64,
            rev: current,
            ..Default::default()
        };
        for r in &rows[linked] {
            let pair = (r.get::<_, i64>(0), r.get::<_, i64>(1));
            if r.get::<_, &str>(2) == "must" {
                sync.must.push(pair);
            } else {
                sync.cannot.push(pair);
            }
        }
        Ok(StoryStep::Moved(sync))
    }

    pub(super) async fn story_state_(&self, story_id: i64) -> Result<StoryState> {
        let c = self.client().await?;
        let story_sql = format!("{STORY_SELECT} WHERE m.story_id = $1 GROUP BY m.story_id");
        // No features: comparing reads the versions, and features are most of a member.
        // Only the members a re-compare needs (see `StoryState`), with the membership counted
        // in the same statement (one snapshot).
        let members_sql = "WITH m AS (
                SELECT article_id, story_id, seq, outlet, published, score, wire_copy_of, manual, rev,
                    row_number() OVER (PARTITION BY outlet ORDER BY published DESC NULLS LAST, article_id DESC) AS rk,
                    count(*) OVER (PARTITION BY outlet) AS outlet_members,
                    count(*) OVER () AS total, max(rev) OVER () AS max_rev
                FROM story_members WHERE story_id = $1)
            SELECT article_id, story_id, seq, outlet, published, score, wire_copy_of, manual, rev,
                outlet_members, total, max_rev
            FROM m WHERE rk <= $2 OR article_id IN (SELECT wire_copy_of FROM m WHERE rk <= $2)";
        let per_outlet = STATE_PER_OUTLET as i64;
        let open_sql = format!(
            "SELECT {FINDING_COLS} FROM story_findings WHERE story_id = $1 AND resolved_at IS NULL
             ORDER BY severity DESC, id"
        );
        let mut b = Batch::new();
        b.push(&story_sql, vec![&story_id]);
        b.push(members_sql, vec![&story_id, &per_outlet]);
        b.push(&open_sql, vec![&story_id]);
        let rows = b.run(&c, Frame::Bare).await.map_err(|f| f.error)?;
        let mut truncated = std::collections::BTreeSet::new();
        let mut membership = (0, 0);
        let members = rows[1]
            .iter()
            .map(|r| {
                let m = StoryMember {
                    article_id: r.get(0),
                    story_id: r.get(1),
                    seq: r.get(2),
                    outlet: r.get(3),
                    published: r.get::<_, Option<&str>>(4).map(parse_ts),
                    features: Default::default(),
                    score: r.get::<_, f64>(5) as f32,
                    wire_copy_of: r.get(6),
                    manual: r.get(7),
                    rev: r.get(8),
                };
                if r.get::<_, i64>(9) > per_outlet {
                    truncated.insert(m.outlet.clone());
                }
                membership = (r.get(10), r.get(11));
                m
            })
            .collect();
        Ok(StoryState {
            story: rows[0].first().map(story_row),
            members,
            membership,
            truncated: truncated.into_iter().collect(),
            open: rows[2].iter().map(|r| finding_at(r, 0)).collect(),
        })
    }

    pub(super) async fn story_docs_(
        &self,
        wanted: &[(i64, i64)],
    ) -> Result<Vec<(ArticleRow, VersionRow)>> {
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let c = self.client().await?;
        let (ids, seqs): (Vec<i64>, Vec<i64>) = wanted.iter().copied().unzip();
        let sql = format!(
            "SELECT {ARTICLE_COLS}, {DOC_VERSION_COLS}
             FROM unnest($1::bigint[], $2::bigint[]) AS w(id, seq)
             JOIN articles a ON a.id = w.id LEFT JOIN sources s ON s.id = a.source_id
             JOIN versions v ON v.article_id = w.id AND v.seq = w.seq"
        );
        let mut b = Batch::new();
        b.push(&sql, vec![&ids, &seqs]);
        let rows = b.run(&c, Frame::Bare).await.map_err(|f| f.error)?;
        rows[0]
            .iter()
            .map(|r| Ok((article_row(r), version_row_at(r, 15)?)))
            .collect()
    }
}
