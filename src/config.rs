//! Settings come from environment variables; every default works on a laptop.

use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub base_url: String,
    /// The base URL was not configured, so it follows the address actually bound (which
    /// matters when binding port 0).
    pub base_url_from_bind: bool,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// Unset: emails are written as `.eml` files into `<data dir>/outbox`.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Base64, 64+ bytes. Unset: generated once into the data folder.
    pub session_key: Option<String>,
    pub admin_emails: Vec<String>,
    pub trusted_proxy: Option<IpAddr>,
    pub rate_limits: String,
    /// HTTP worker threads; unset lets actix choose (one per core).
    pub workers: Option<usize>,
    /// How long a client may take to send a request's head, and separately its body.
    pub client_timeout: std::time::Duration,
    /// Open connections the server holds at most (spread over its workers).
    pub max_connections: usize,
    /// The longest one send to the mail server may take, connection included.
    pub smtp_timeout: std::time::Duration,
    /// Whether `serve` delivers the mail outbox itself. Off: run `send-reminders` from
    /// cron instead (and tests drive the worker's step function).
    pub mail_worker: bool,
    /// The most the rendered-page cache may hold, in bytes of page text.
    pub page_cache_bytes: u64,
    /// How long a SQLite write waits for another writer before the visitor gets a "busy,
    /// try again" page.
    pub busy_timeout: std::time::Duration,
}

/// A whole number within `range`, when the variable is set.
fn whole_number(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    range: std::ops::RangeInclusive<u64>,
    unit: &str,
) -> Result<Option<u64>, ConfigError> {
    get(name)
        .map(|v| {
            v.trim()
                .parse::<u64>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| ConfigError::Invalid {
                    name,
                    reason: format!(
                        "{v:?} is not a whole number of {unit} from {} to {}",
                        range.start(),
                        range.end()
                    ),
                })
        })
        .transpose()
}

/// Enough for several hundred guides, the ones visitors read most.
pub const DEFAULT_PAGE_CACHE_MB: u64 = 16;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Builds settings from any source of variables, so tests need not touch the process
    /// environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let bind = get("CAREERSWITCH_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let configured_base = get("CAREERSWITCH_BASE_URL");
        let base_url_from_bind = configured_base.is_none();
        let base_url = configured_base
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "CAREERSWITCH_BASE_URL",
                reason: "it must start with http:// or https://".into(),
            });
        }
        let data_dir =
            PathBuf::from(get("CAREERSWITCH_DATA_DIR").unwrap_or_else(|| "./data".to_owned()));
        let database_url = get("CAREERSWITCH_DATABASE_URL").unwrap_or_else(|| {
            data_dir
                .join("careerswitch.db")
                .to_string_lossy()
                .into_owned()
        });
        let trusted_proxy = get("CAREERSWITCH_TRUSTED_PROXY")
            .map(|v| {
                v.parse().map_err(|_| ConfigError::Invalid {
                    name: "CAREERSWITCH_TRUSTED_PROXY",
                    reason: format!("{v:?} is not an IP address"),
                })
            })
            .transpose()?;
        let workers = get("CAREERSWITCH_WORKERS")
            .map(|v| {
                v.parse().map_err(|_| ConfigError::Invalid {
                    name: "CAREERSWITCH_WORKERS",
                    reason: format!("{v:?} is not a whole number"),
                })
            })
            .transpose()?;
        let client_timeout =
            whole_number(&get, "CAREERSWITCH_CLIENT_TIMEOUT_SECS", 1..=300, "seconds")?
                .unwrap_or(10);
        let max_connections = whole_number(
            &get,
            "CAREERSWITCH_MAX_CONNECTIONS",
            1..=1_000_000,
            "connections",
        )?
        .unwrap_or(4096);
        let mail_worker = match get("CAREERSWITCH_MAIL_WORKER").as_deref() {
            None | Some("on") => true,
            Some("off") => false,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "CAREERSWITCH_MAIL_WORKER",
                    reason: format!("{other:?} should be on or off"),
                });
            }
        };
        let smtp_timeout =
            whole_number(&get, "CAREERSWITCH_SMTP_TIMEOUT_SECS", 1..=120, "seconds")?.unwrap_or(10);
        let busy_timeout = whole_number(
            &get,
            "CAREERSWITCH_SQLITE_BUSY_TIMEOUT_MS",
            1..=600_000,
            "milliseconds",
        )?
        .map_or(
            crate::db::DEFAULT_BUSY_TIMEOUT,
            std::time::Duration::from_millis,
        );
        let page_cache_mb =
            whole_number(&get, "CAREERSWITCH_PAGE_CACHE_MB", 1..=4096, "megabytes")?
                .unwrap_or(DEFAULT_PAGE_CACHE_MB);
        Ok(Self {
            busy_timeout,
            page_cache_bytes: page_cache_mb * 1024 * 1024,
            smtp_timeout: std::time::Duration::from_secs(smtp_timeout),
            mail_worker,
            client_timeout: std::time::Duration::from_secs(client_timeout),
            max_connections: usize::try_from(max_connections).unwrap_or(usize::MAX),
            bind,
            base_url,
            base_url_from_bind,
            data_dir,
            database_url,
            smtp_url: get("CAREERSWITCH_SMTP_URL"),
            mail_from: get("CAREERSWITCH_MAIL_FROM")
                .unwrap_or_else(|| "CareerSwitch <no-reply@localhost>".to_owned()),
            session_key: get("CAREERSWITCH_SESSION_KEY"),
            admin_emails: get("CAREERSWITCH_ADMIN_EMAILS")
                .map(|v| {
                    v.split(',')
                        .map(|e| e.trim().to_lowercase())
                        .filter(|e| !e.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            trusted_proxy,
            rate_limits: get("CAREERSWITCH_RATE_LIMITS").unwrap_or_default(),
            workers,
        })
    }

    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_work_on_a_laptop() {
        let s = from(&[]).unwrap();
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.base_url, "http://127.0.0.1:8080");
        assert_eq!(s.database_url, "./data/careerswitch.db");
        assert_eq!(s.outbox_dir(), PathBuf::from("./data/outbox"));
        assert!(s.smtp_url.is_none() && !s.is_https());
    }

    #[test]
    fn overrides_and_bad_values() {
        let s = from(&[
            ("CAREERSWITCH_DATA_DIR", "/tmp/x"),
            ("CAREERSWITCH_BASE_URL", "https://example.org/"),
        ])
        .unwrap();
        assert_eq!(s.database_url, "/tmp/x/careerswitch.db");
        assert_eq!(s.base_url, "https://example.org");
        assert!(s.is_https());
        assert!(from(&[("CAREERSWITCH_TRUSTED_PROXY", "nope")]).is_err());
        assert!(from(&[("CAREERSWITCH_BASE_URL", "ftp://x")]).is_err());
    }
}
