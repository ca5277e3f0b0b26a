//! Notifiers and the outbox worker. Events are written to the outbox in the same
//! transaction as the version that caused them (see `store`); this module delivers them,
//! retrying with backoff until delivered or given up, recording every attempt.

pub mod outbox;
pub mod sign;
pub mod webhook;

use crate::config::Config;

/// Outbox target name of the log notifier.
pub const LOG_TARGET: &str = "log";

/// Outbox target name of a webhook.
pub fn webhook_target(name: &str) -> String {
    format!("webhook:{name}")
}

/// Routes event types to notifier targets according to the config.
#[derive(Debug, Clone)]
pub struct Router {
    log: bool,
    hooks: Vec<(String, Vec<String>)>,
}

impl Router {
    pub fn new(cfg: &Config) -> Self {
        Router {
            log: cfg.notify.log,
            hooks: cfg
                .notify
                .webhooks
                .iter()
                .map(|w| (webhook_target(&w.name), w.events.clone()))
                .collect(),
        }
    }
}

impl crate::store::Routes for Router {
    fn targets(&self, event_type: &str) -> Vec<String> {
        let mut t = Vec::new();
        if self.log {
            t.push(LOG_TARGET.to_string());
        }
        for (name, events) in &self.hooks {
            if events.is_empty() || events.iter().any(|e| e == event_type) {
                t.push(name.clone());
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Routes;

    #[test]
    fn per_webhook_filters() {
        let cfg = Config::parse(
            "[[notify.webhook]]\nname='a'\nurl='http://127.0.0.1:9/'\nsecret='s'\nevents=['article.new']\n\
             [[notify.webhook]]\nname='b'\nurl='http://127.0.0.1:9/'\nsecret='s'\n",
            &|_| None,
        )
        .unwrap();
        let r = Router::new(&cfg);
        assert_eq!(
            r.targets("article.new"),
            vec!["log", "webhook:a", "webhook:b"]
        );
        assert_eq!(r.targets("article.changed"), vec!["log", "webhook:b"]);
    }
}
