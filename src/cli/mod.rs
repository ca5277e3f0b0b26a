//! Command-line interface: subcommands and their mapping to exit codes
//! (0 ok, 1 runtime failure, 2 bad usage or invalid config).

mod maintain;
mod ops;
mod reprocess;
mod review;
mod stories;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError, LogFormat};
use crate::daemon;

pub use maintain::apply_retention;

#[derive(Parser, Debug)]
#[command(
    name = "factdiff",
    version,
    about = "Change-tracking news monitor: keeps every version of every article and reports what changed"
)]
pub struct Cli {
    /// Config file [default: $FACTDIFF_CONFIG, else ./factdiff.toml, else config/factdiff.toml]
    #[arg(short, long, global = true, env = "FACTDIFF_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the daemon until SIGTERM/SIGINT (SIGHUP reloads the config)
    Run,
    /// One pass over the sources that are due (or all), deliver notifications, exit
    Check {
        /// Only this source (repeatable)
        #[arg(long = "source")]
        sources: Vec<String>,
        /// Check every source, due or not
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Validate the config and print every problem
    Validate,
    /// Record local files (HTML or text) as articles, as if fetched: each file its own
    /// article (or, with --url, all of them versions of one). Several outlets' saved pages go
    /// in one call by giving --outlet (and --at) once per file, in order; they are grouped
    /// into stories and compared like fetched articles.
    Ingest {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The outlet that published them: once for all files, or once per file in order
        #[arg(long, required = true)]
        outlet: Vec<String>,
        /// The article's URL (default: each file's own file:// URL)
        #[arg(long)]
        url: Option<String>,
        /// When observed (RFC 3339 or a day, "2026-01-06"); once for all files or once per
        /// file. A page without its own date is dated by it. [default: now]
        #[arg(long)]
        at: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Print the extracted article of files, directories (recursively) or URLs; JSON lines
    /// with --json, in input order. Files are extracted on all cores.
    Extract {
        #[arg(required = true)]
        inputs: Vec<String>,
        #[arg(long)]
        json: bool,
        /// Worker threads for files [default: number of cores]
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Print the claims (facts) found in documents: slot, text, normalised value, sentence,
    /// confidence. Dates resolve against --published (else the document's own date).
    Claims {
        #[arg(required = true)]
        files: Vec<String>,
        /// Publication date: RFC 3339 ("2026-01-02T09:00:00Z") or a day ("2026-01-02")
        #[arg(long)]
        published: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List tracked articles
    Articles {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Versions of one article, or recent events of all
    History {
        article: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show one version of an article (the latest by default)
    Show {
        article: String,
        #[arg(long)]
        version: Option<i64>,
        /// Print the stored raw page instead
        #[arg(long)]
        raw: bool,
        #[arg(long)]
        json: bool,
    },
    /// Diff two versions of an article [default: the last two]
    Diff {
        article: String,
        from: Option<i64>,
        to: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Health of every source
    Sources {
        #[arg(long)]
        json: bool,
    },
    /// Stories: articles from different outlets about the same events, grouped
    Stories {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// One story: its articles, the claims of each outlet aligned per event and slot, and
    /// the findings; or `story merge A B` / `story split ARTICLE` to correct the grouping
    #[command(args_conflicts_with_subcommands = true)]
    Story {
        /// Story id (from `factdiff stories`)
        id: Option<i64>,
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        action: Option<StoryAction>,
    },
    /// Serve the web UI, the JSON API (/api/v1/) and Atom feeds over the store, without
    /// fetching anything; prints the address it listens on
    Serve {
        /// Address to listen on [default: web.listen, else 127.0.0.1:8080]; port 0 picks one
        #[arg(long)]
        listen: Option<String>,
    },
    /// Bring the store's schema up to date (also done at every start) and print its version
    Migrate {
        #[arg(long)]
        json: bool,
    },
    /// Workers sharing the store: alive or not, last heartbeat, and the leases each holds
    /// (articles being checked, deliveries being sent, listings being read) with their age
    Workers {
        /// Also workers that stopped or went silent and hold nothing
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Copy the configured SQLite store into an empty PostgreSQL database (every article,
    /// version, event, delivery, story and finding), then verify row counts and hashes
    Copy {
        /// Target database: postgres://USER[:PASSWORD]@HOST[:PORT]/DB
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Re-read stored versions from their raw pages with today's extractor and recognisers:
    /// recompute diffs and fact changes, report what changes (fact changes gained or lost)
    /// and store it; new fact changes are notified only with --notify. Resumes when
    /// interrupted.
    Reprocess {
        /// Only articles with a version observed since (a day or RFC 3339)
        #[arg(long)]
        since: Option<String>,
        /// Only this article (id or URL)
        #[arg(long)]
        article: Option<String>,
        /// Report what would change; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Queue the new fact changes for the notifiers (default: stored and shown only)
        #[arg(long)]
        notify: bool,
        /// Worker threads for extraction [default: number of cores]
        #[arg(long)]
        jobs: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Copy the store to PATH while the daemon runs (SQLite online backup, checked after;
    /// PostgreSQL: runs pg_dump, or prints how)
    Backup {
        path: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Check the store: every version's hash against its text, every event's outbox row,
    /// migrations complete, the database's own integrity; exit 1 naming each problem
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Drop raw pages older than [storage] keep_raw (text and events stay), then give the
    /// space back to the file system
    Vacuum {
        #[arg(long)]
        json: bool,
    },
    /// Notification deliveries and their attempts
    Deliveries {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum StoryAction {
    /// Move every article of story OTHER into story INTO; later versions stay together
    Merge { into: i64, other: i64 },
    /// Take an article (id or URL) out of its story into a new one; it never rejoins it
    Split { article: String },
}

/// An error with its exit code.
#[derive(Debug)]
pub struct Exit {
    pub code: i32,
    pub error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Exit {
    fn from(e: E) -> Self {
        let error = e.into();
        let code = if error
            .downcast_ref::<ConfigError>()
            .is_some_and(|c| matches!(c, ConfigError::Invalid { .. }))
        {
            2
        } else {
            1
        };
        Exit { code, error }
    }
}

fn usage(msg: impl std::fmt::Display) -> Exit {
    Exit {
        code: 2,
        error: anyhow::anyhow!("{msg}"),
    }
}

/// Loads the config; a missing default config is replaced by the built-in defaults only for
/// commands that do not need sources.
fn load_config(path: &Path, optional: bool) -> Result<Config, Exit> {
    if optional && !path.exists() {
        return Ok(Config::default_config());
    }
    if !path.exists() {
        return Err(usage(format!(
            "config file {} not found (use -c PATH or FACTDIFF_CONFIG)",
            path.display()
        )));
    }
    Ok(Config::load(path)?)
}

fn init_tracing(cfg: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| EnvFilter::new(format!("{},refinery_core=warn", cfg.log.level)));
    // Under systemd (stderr is the journal): native fields and priorities.
    if std::env::var_os("JOURNAL_STREAM").is_some()
        && let Ok(journal) = tracing_journald::layer()
    {
        use tracing_subscriber::prelude::*;
        let _ = tracing_subscriber::registry()
            .with(filter)
            .with(journal)
            .try_init();
        return;
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match cfg.log.format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder
            .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
            .try_init(),
    };
}

/// Whether to colour stdout.
pub fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn main_with(cli: Cli) -> Result<(), Exit> {
    let path = daemon::config_path(cli.config.clone());
    let optional = matches!(
        cli.command,
        Command::Extract { .. } | Command::Claims { .. }
    );
    if let Command::Validate = cli.command {
        return validate(&path);
    }
    let cfg = load_config(&path, optional)?;
    init_tracing(&cfg);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move { dispatch(cli.command, &path, cfg).await })
}

fn validate(path: &Path) -> Result<(), Exit> {
    match Config::load(path) {
        Ok(cfg) => {
            println!(
                "{}: ok ({} sources, {} webhooks, store {})",
                path.display(),
                cfg.sources.len(),
                cfg.notify.webhooks.len(),
                cfg.storage.url
            );
            Ok(())
        }
        Err(ConfigError::Invalid { path, problems }) => {
            eprintln!(
                "{}: {} problem{}:",
                path.display(),
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            );
            for p in &problems {
                eprintln!("  {p}");
            }
            Err(Exit {
                code: 2,
                error: anyhow::anyhow!("invalid config"),
            })
        }
        Err(e @ ConfigError::Read { .. }) => Err(Exit {
            code: 2,
            error: e.into(),
        }),
    }
}

/// `factdiff serve`: the web server alone until SIGTERM/SIGINT.
async fn serve(cfg: &Config, listen: Option<String>) -> Result<(), Exit> {
    use tokio::signal::unix::{SignalKind, signal};
    let listen = listen
        .or_else(|| cfg.web.listen.clone())
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    crate::web::check_listen(&listen, cfg.web.token.as_deref()).map_err(usage)?;
    review::open(cfg)?;
    let cancel = tokio_util::sync::CancellationToken::new();
    let (addr, mut task) = crate::web::start(cfg, &listen, cancel.clone()).await?;
    println!("listening on http://{addr}");
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    let mut term = signal(SignalKind::terminate()).map_err(anyhow::Error::from)?;
    let mut int = signal(SignalKind::interrupt()).map_err(anyhow::Error::from)?;
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
        _ = &mut task => return Err(anyhow::anyhow!("the web server stopped").into()),
    }
    cancel.cancel();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), task).await;
    Ok(())
}

async fn dispatch(cmd: Command, path: &Path, cfg: Config) -> Result<(), Exit> {
    match cmd {
        Command::Run => Ok(daemon::run(path, cfg).await?),
        Command::Check { sources, all, json } => {
            let store = daemon::open_store(&cfg)?;
            let report = daemon::check(Arc::new(cfg), store, &sources, all)
                .await
                .map_err(|e| {
                    if e.to_string().starts_with("no source named") {
                        usage(e)
                    } else {
                        Exit::from(e)
                    }
                })?;
            if json {
                println!("{}", serde_json::to_string(&report).unwrap_or_default());
            } else {
                println!(
                    "checked {} sources ({} feeds/sitemaps listing {} new articles): {} new, {} changed, \
                     {} unchanged, {} removed, {} failed, {} flagged; \
                     notifications: {} delivered, {} retrying, {} given up, {} pending",
                    report.sources,
                    report.listings,
                    report.discovered,
                    report.new,
                    report.changed,
                    report.unchanged,
                    report.removed,
                    report.failed,
                    report.flagged,
                    report.deliveries.delivered,
                    report.deliveries.retrying,
                    report.deliveries.gave_up,
                    report.pending_deliveries
                );
            }
            Ok(())
        }
        Command::Validate => unreachable!("handled before loading"),
        Command::Ingest {
            files,
            outlet,
            url,
            at,
            json,
        } => review::ingest(&cfg, &files, &outlet, url, &at, json).await,
        Command::Extract { inputs, json, jobs } => review::extract(&cfg, &inputs, json, jobs).await,
        Command::Claims {
            files,
            published,
            json,
        } => review::claims(&cfg, &files, published.as_deref(), json),
        Command::Articles { limit, json } => review::articles(&cfg, limit, json),
        Command::History {
            article,
            limit,
            json,
        } => review::history(&cfg, article.as_deref(), limit, json),
        Command::Show {
            article,
            version,
            raw,
            json,
        } => review::show(&cfg, &article, version, raw, json),
        Command::Diff {
            article,
            from,
            to,
            json,
        } => review::diff(&cfg, &article, from, to, json),
        Command::Sources { json } => review::sources(&cfg, json),
        Command::Deliveries { limit, json } => review::deliveries(&cfg, limit, json),
        Command::Migrate { json } => ops::migrate(&cfg, json),
        Command::Workers { all, json } => ops::workers(&cfg, all, json),
        Command::Copy { to, json } => ops::copy(&cfg, &to, json),
        Command::Serve { listen } => serve(&cfg, listen).await,
        Command::Backup { path, json } => {
            tokio::task::block_in_place(|| maintain::backup(&cfg, &path, json))
        }
        Command::Verify { json } => tokio::task::block_in_place(|| maintain::verify(&cfg, json)),
        Command::Vacuum { json } => tokio::task::block_in_place(|| maintain::vacuum(&cfg, json)),
        Command::Reprocess {
            since,
            article,
            dry_run,
            notify,
            jobs,
            json,
        } => tokio::task::block_in_place(|| {
            reprocess::run(
                &cfg,
                reprocess::Options {
                    since,
                    article,
                    dry_run,
                    notify,
                    json,
                    jobs,
                },
            )
        }),
        Command::Stories { limit, json } => stories::list(&cfg, limit, json),
        Command::Story { id, json, action } => match (action, id) {
            (Some(StoryAction::Merge { into, other }), _) => {
                stories::merge(&cfg, into, other, json).await
            }
            (Some(StoryAction::Split { article }), _) => stories::split(&cfg, &article, json).await,
            (None, Some(id)) => stories::show(&cfg, id, json),
            (None, None) => Err(usage(
                "give a story id (see `factdiff stories`), or `story merge A B` / `story split ARTICLE`",
            )),
        },
    }
}
