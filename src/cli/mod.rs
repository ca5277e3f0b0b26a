//! Command-line interface: subcommands and their mapping to exit codes
//! (0 ok, 1 runtime failure, 2 bad usage or invalid config).

mod review;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError, LogFormat};
use crate::daemon;

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
    /// Record local files (HTML or text) as versions of an article, as if fetched
    Ingest {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The outlet that published them
        #[arg(long)]
        outlet: String,
        /// The article's URL (default: each file's own file:// URL)
        #[arg(long)]
        url: Option<String>,
        /// When the version was observed (RFC 3339) [default: now]
        #[arg(long)]
        at: Option<String>,
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
    /// Notification deliveries and their attempts
    Deliveries {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
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
    let optional = matches!(cli.command, Command::Extract { .. });
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
        } => review::ingest(&cfg, &files, &outlet, url, at, json).await,
        Command::Extract { inputs, json, jobs } => review::extract(&cfg, &inputs, json, jobs).await,
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
    }
}
