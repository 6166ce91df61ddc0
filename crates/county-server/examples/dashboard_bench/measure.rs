//! Timing dashboard pages over HTTP as the dashboard calls them: logged in with an admin
//! session cookie, each page requested several times, the median and range kept.

use anyhow::{bail, Context, Result};
use std::time::Instant;

/// An admin's session on the county server.
pub struct AdminSession {
    http: reqwest::Client,
    base_url: String,
    cookie: String,
}

/// The timings of one page.
pub struct PageTimings {
    pub name: String,
    pub path: String,
    pub goal_ms: f64,
    /// Milliseconds, sorted.
    pub runs_ms: Vec<f64>,
    pub bytes: usize,
}

impl PageTimings {
    pub fn median_ms(&self) -> f64 {
        let count = self.runs_ms.len();
        if count == 0 {
            return f64::NAN;
        }
        if count % 2 == 1 {
            self.runs_ms[count / 2]
        } else {
            (self.runs_ms[count / 2 - 1] + self.runs_ms[count / 2]) / 2.0
        }
    }

    pub fn met(&self) -> bool {
        self.median_ms() <= self.goal_ms
    }
}

impl AdminSession {
    /// `POST /api/v1/admin/session` with the admin's user and password.
    pub async fn log_in(base_url: &str, username: &str, password: &str) -> Result<AdminSession> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(600))
            .build()?;
        let response = http
            .post(format!("{base_url}/api/v1/admin/session"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await?;
        if !response.status().is_success() {
            bail!(
                "logging in as {username}: {} {}",
                response.status(),
                response.text().await.unwrap_or_default()
            );
        }
        let cookie = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("pl_session="))
            .and_then(|value| value.split(';').next())
            .context("the session answer sets no pl_session cookie")?
            .to_string();
        Ok(AdminSession {
            http,
            base_url: base_url.to_string(),
            cookie,
        })
    }

    /// The page's JSON, and how long it took (ms) and how big it was.
    pub async fn get(&self, path: &str) -> Result<(serde_json::Value, f64, usize)> {
        let started = Instant::now();
        let response = self
            .http
            .get(format!("{}{path}", self.base_url))
            .header(reqwest::header::COOKIE, &self.cookie)
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        if !status.is_success() {
            bail!("GET {path}: {status} {}", String::from_utf8_lossy(&body));
        }
        let value = serde_json::from_slice(&body)
            .with_context(|| format!("GET {path} answered something else than JSON"))?;
        Ok((value, elapsed_ms, body.len()))
    }

    /// One warm-up request, then `runs` timed ones.
    pub async fn time_page(
        &self,
        name: &str,
        path: &str,
        goal_ms: f64,
        runs: usize,
    ) -> Result<PageTimings> {
        let (_, _, bytes) = self.get(path).await?;
        let mut runs_ms = Vec::with_capacity(runs);
        for _ in 0..runs {
            let (_, elapsed_ms, _) = self.get(path).await?;
            runs_ms.push(elapsed_ms);
        }
        runs_ms.sort_by(f64::total_cmp);
        Ok(PageTimings {
            name: name.to_string(),
            path: path.to_string(),
            goal_ms,
            runs_ms,
            bytes,
        })
    }
}
