//! Fault suite, delivery family (issue 18 point 4): a webhook receiver that accepts the
//! connection and never answers. The daemon keeps fetching, the hang shows in `factdiff
//! deliveries` and `/metrics` (failed attempts, outbox depth and age), `verify` passes, and
//! once the receiver answers again every event arrives under its one id.

mod common;

use std::time::Duration;

use common::app::App;
use common::faultkit::{self, Running, assert_verified, change_events, wait_until};
use common::{PageServer, WebhookReceiver};

const SECRET: &str = "whsec_ZmF1bHQtZGVsaXZlcnktc2VjcmV0";

const PAGE: &str = "<html><head><title>Ferry timetable</title></head><body><article><h1>Ferry timetable</h1>\
    <p>The island ferry will keep its winter timetable until the end of the month, the operator said.</p>\
    <p>Passengers were told to check the notice boards at the pier before travelling at weekends.</p>\
    </article></body></html>";

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_webhook_receiver_stalls_nothing_else() {
    let hook = WebhookReceiver::start(SECRET).await;
    hook.set_delay(Duration::from_secs(3600)); // accepts, never answers
    let pages = PageServer::start().await;
    pages.set_page("/ferry", PAGE);
    let port = faultkit::free_port();
    let extra = format!(
        "[fetch]\nper_host_delay = \"1ms\"\nrobots = false\n\
         [[source]]\nname = \"ferry\"\nkind = \"page\"\nurl = \"{}\"\ninterval = \"1s\"\n",
        pages.url("/ferry")
    );
    let app = App::new(&faultkit::config_with(
        port,
        &hook,
        "timeout = \"1s\"",
        &extra,
    ));
    let mut daemon = Running::start(&app, port).await;

    // the first attempt hangs and times out; meanwhile the page is fetched again and again
    let timed_out = wait_until(Duration::from_secs(20), || {
        app.json(&["deliveries"]).as_array().is_some_and(|d| {
            d.iter().any(|d| {
                d["last_error"]
                    .as_str()
                    .is_some_and(|e| e.contains("no answer within 1s"))
            })
        })
    })
    .await;
    assert!(timed_out, "{:#}\n{}", app.json(&["deliveries"]), app.log());
    let seen = pages.request_count("/ferry");
    assert!(
        wait_until(Duration::from_secs(10), || pages.request_count("/ferry")
            >= seen + 2)
        .await,
        "fetching stalled behind the hanging receiver\n{}",
        app.log()
    );
    daemon.assert_alive(&app);
    let m = daemon.scrape().await;
    assert!(
        m.sum("factdiff_delivery_attempts_total", &[("result", "failed")]) >= 1.0,
        "{}",
        m.body
    );
    assert_eq!(m.sum("factdiff_outbox_pending", &[]), 1.0, "{}", m.body);
    assert!(m.sum("factdiff_outbox_oldest_pending_age_seconds", &[]) > 0.0);
    assert_verified(&app);
    assert_eq!(app.version_count(&pages.url("/ferry")), 1);

    // the receiver answers again: the event arrives, under the id it always had
    hook.set_delay(Duration::ZERO);
    let delivered = wait_until(Duration::from_secs(60), || !hook.successful().is_empty()).await;
    assert!(delivered, "{:#}\n{}", app.json(&["deliveries"]), app.log());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let ids: std::collections::BTreeSet<_> = hook
        .deliveries()
        .iter()
        .filter_map(|d| d.id.clone())
        .collect();
    assert_eq!(ids.len(), 1, "one event, one id: {:?}", hook.event_types());
    assert!(change_events(&hook).is_empty());
    let mut pending = 1.0;
    for _ in 0..50 {
        pending = daemon.scrape().await.sum("factdiff_outbox_pending", &[]);
        if pending == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(pending, 0.0, "{:#}", app.json(&["deliveries"]));
    daemon.assert_alive(&app);
    assert_verified(&app);
    daemon.stop(&app);
}
