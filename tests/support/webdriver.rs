//! A small W3C WebDriver client (over reqwest, already built) driving the system's headless
//! Chromium through `chromedriver`. Only the dozen commands the browser test needs: a crate
//! such as fantoccini would add a second HTTP stack to compile for the same calls.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// The W3C key of an element reference in responses.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The first of `names` found on `PATH` (or the path in `env`, when set).
fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| names.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

/// Chromium and chromedriver, or `None` (with what is missing) when either is absent.
pub fn programs() -> Result<(PathBuf, PathBuf), String> {
    let browser = find_program(
        "FACTDIFF_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let driver = find_program("FACTDIFF_CHROMEDRIVER", &["chromedriver"]);
    match (browser, driver) {
        (Some(b), Some(d)) => Ok((b, d)),
        (b, d) => Err(format!(
            "missing{}{} (Debian: apt-get install chromium chromium-driver)",
            if b.is_none() { " chromium" } else { "" },
            if d.is_none() { " chromedriver" } else { "" },
        )),
    }
}

/// A running chromedriver; killed on drop.
pub struct Driver {
    child: Child,
    base: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    /// Starts `driver` on a free local port and waits until it answers `/status`.
    pub async fn start(driver: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
        let d = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = reqwest::get(format!("{}/status", d.base)).await
                && r.status().is_success()
            {
                return d;
            }
            assert!(Instant::now() < deadline, "chromedriver did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A new headless session of `browser` with a `width`×`height` window.
    pub async fn session(&self, browser: &Path, width: u32, height: u32) -> Session {
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser,
                // no-sandbox: CI runs as root, and the pages are this test's own
                "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                         "--disable-gpu", "--hide-scrollbars", "--lang=en-GB",
                         format!("--window-size={width},{height}")],
            },
        } } });
        let http = reqwest::Client::new();
        let v = call(
            &http,
            reqwest::Method::POST,
            &format!("{}/session", self.base),
            Some(caps),
        )
        .await
        .unwrap_or_else(|e| panic!("cannot start a browser session: {e}"));
        Session {
            http,
            url: format!("{}/session/{}", self.base, v["sessionId"].as_str().unwrap()),
        }
    }
}

/// One WebDriver command; the `value` of its answer, or the driver's error.
async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value, String> {
    let mut req = http.request(method, url);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.map_err(|e| e.to_string())?;
    let ok = r.status().is_success();
    let v: Value = r.json().await.map_err(|e| e.to_string())?;
    if ok {
        Ok(v["value"].clone())
    } else {
        Err(format!(
            "{}: {}",
            v["value"]["error"],
            v["value"]["message"].as_str().unwrap_or("")
        ))
    }
}

/// A browser session; closed (and the browser quit) on [`Session::quit`].
pub struct Session {
    http: reqwest::Client,
    url: String,
}

/// An element of the current page.
#[derive(Clone, Debug)]
pub struct Element(String);

impl Session {
    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        call(
            &self.http,
            reqwest::Method::POST,
            &format!("{}{path}", self.url),
            Some(body),
        )
        .await
    }

    async fn get(&self, path: &str) -> Value {
        call(
            &self.http,
            reqwest::Method::GET,
            &format!("{}{path}", self.url),
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({ "url": url }))
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// The current URL's path (and query).
    pub async fn path(&self) -> String {
        let u = url::Url::parse(self.get("/url").await.as_str().unwrap()).unwrap();
        match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        }
    }

    /// The first element matching `css`, if any.
    pub async fn try_find(&self, css: &str) -> Option<Element> {
        let v = self
            .post("/element", json!({ "using": "css selector", "value": css }))
            .await
            .ok()?;
        Some(Element(v[ELEMENT].as_str()?.to_string()))
    }

    pub async fn find(&self, css: &str) -> Element {
        self.try_find(css)
            .await
            .unwrap_or_else(|| panic!("no element {css:?} on {}", self.url))
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let v = self
            .post(
                "/elements",
                json!({ "using": "css selector", "value": css }),
            )
            .await
            .unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| Element(e[ELEMENT].as_str().unwrap().to_string()))
            .collect()
    }

    /// The first element matching `css` inside `parent`.
    pub async fn find_in(&self, parent: &Element, css: &str) -> Element {
        let v = self
            .post(
                &format!("/element/{}/element", parent.0),
                json!({ "using": "css selector", "value": css }),
            )
            .await
            .unwrap_or_else(|e| panic!("no {css:?} in the element: {e}"));
        Element(v[ELEMENT].as_str().unwrap().to_string())
    }

    /// The link whose whole visible text is `text`.
    pub async fn link(&self, text: &str) -> Element {
        let v = self
            .post("/element", json!({ "using": "link text", "value": text }))
            .await
            .unwrap_or_else(|e| panic!("no link {text:?}: {e}"));
        Element(v[ELEMENT].as_str().unwrap().to_string())
    }

    pub async fn click(&self, e: &Element) {
        self.post(&format!("/element/{}/click", e.0), json!({}))
            .await
            .unwrap_or_else(|err| panic!("click: {err}"));
    }

    pub async fn text(&self, e: &Element) -> String {
        self.get(&format!("/element/{}/text", e.0))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// The computed value of CSS property `prop`.
    pub async fn css(&self, e: &Element, prop: &str) -> String {
        self.get(&format!("/element/{}/css/{prop}", e.0))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub async fn attr(&self, e: &Element, name: &str) -> Option<String> {
        self.get(&format!("/element/{}/attribute/{name}", e.0))
            .await
            .as_str()
            .map(String::from)
    }

    /// Presses and releases each key in turn, sent to the page as a user would type them.
    pub async fn keys(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|k| {
                [
                    json!({ "type": "keyDown", "value": k.to_string() }),
                    json!({ "type": "keyUp", "value": k.to_string() }),
                ]
            })
            .collect();
        self.post(
            "/actions",
            json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }),
        )
        .await
        .unwrap_or_else(|e| panic!("keys {keys:?}: {e}"));
    }

    /// Runs `script` (a function body) in the page and returns its result.
    pub async fn script(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": [] }))
            .await
            .unwrap_or_else(|e| panic!("script: {e}"))
    }

    /// A Chrome DevTools command through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.post("/goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Saves a PNG of the whole page (not only the window) to `path`.
    pub async fn screenshot(&self, path: &Path) {
        let m = self.cdp("Page.getLayoutMetrics", json!({})).await;
        let size = &m["cssContentSize"];
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({ "format": "png", "captureBeyondViewport": true, "clip": {
                    "x": 0, "y": 0, "scale": 1,
                    "width": size["width"].as_f64().unwrap_or(1280.0),
                    "height": size["height"].as_f64().unwrap_or(900.0).min(4000.0),
                } }),
            )
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Polls `check` on the page until it holds or 5 s pass.
    pub async fn wait_for(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.script(script).await != Value::Bool(true) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn quit(self) {
        let _ = call(&self.http, reqwest::Method::DELETE, &self.url, None).await;
    }
}
