//! Synthetic news for the cost benchmarks: a Zipf background vocabulary of 30,000 words and
//! per story 40 topic words and 4 two-word names; an article is a 10-word headline, a
//! 4-sentence lead and ~12 more sentences, published within 3 days of its story's start.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use factdiff::extract::Article;

pub struct Synth {
    pub rng: fastrand::Rng,
    pub vocab: Vec<String>,
    cum: Vec<f64>,
}

impl Synth {
    pub fn new(seed: u64) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed);
        let vocab: Vec<String> = (0..30_000)
            .map(|_| {
                let n = rng.usize(4..10);
                (0..n).map(|_| rng.lowercase()).collect()
            })
            .collect();
        let mut cum = Vec::with_capacity(vocab.len());
        let mut acc = 0.0;
        for r in 0..vocab.len() {
            acc += 1.0 / (r as f64 + 1.0);
            cum.push(acc);
        }
        Synth { rng, vocab, cum }
    }

    pub fn zipf(&mut self) -> &str {
        let x = self.rng.f64() * self.cum.last().unwrap();
        let i = self
            .cum
            .partition_point(|c| *c < x)
            .min(self.vocab.len() - 1);
        &self.vocab[i]
    }

    /// A story starting at `t0`.
    pub fn story(&mut self, t0: DateTime<Utc>) -> SynthStory {
        let words = (0..40)
            .map(|_| self.vocab[self.rng.usize(300..30_000)].clone())
            .collect();
        let names = (0..4)
            .map(|_| {
                let a = cap(&self.vocab[self.rng.usize(1000..30_000)]);
                let b = cap(&self.vocab[self.rng.usize(1000..30_000)]);
                format!("{a} {b}")
            })
            .collect();
        SynthStory { words, names, t0 }
    }

    fn sentence(&mut self, st: &SynthStory, n: usize) -> String {
        let mut ws = Vec::with_capacity(n);
        for _ in 0..n {
            let x = self.rng.f64();
            if x < 0.3 {
                ws.push(st.words[self.rng.usize(..st.words.len())].clone());
            } else if x < 0.35 {
                ws.push(st.names[self.rng.usize(..st.names.len())].clone());
            } else {
                ws.push(self.zipf().to_string());
            }
        }
        cap(&(ws.join(" ") + "."))
    }

    /// An article of the story, published within 3 days of its start.
    pub fn article(&mut self, st: &SynthStory) -> Article {
        let mut hw = Vec::new();
        for i in 0..10 {
            hw.push(if i % 2 == 0 {
                st.words[self.rng.usize(..st.words.len())].clone()
            } else if i == 3 {
                st.names[self.rng.usize(..st.names.len())].clone()
            } else {
                self.zipf().to_string()
            });
        }
        let mut paragraphs: Vec<String> = (0..4).map(|_| self.sentence(st, 20)).collect();
        for _ in 0..12 {
            let n = self.rng.usize(15..35);
            paragraphs.push(self.sentence(st, n));
        }
        let when = st.t0 + chrono::Duration::minutes(self.rng.i64(0..3 * 24 * 60));
        Article {
            headline: Some(cap(&hw.join(" "))),
            paragraphs,
            published: Some(when.fixed_offset()),
            ..Article::default()
        }
    }
}

pub struct SynthStory {
    pub words: Vec<String>,
    pub names: Vec<String>,
    pub t0: DateTime<Utc>,
}

pub fn cap(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
