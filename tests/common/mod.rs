//! Shared by the end-to-end tests: the real core on a real store, spoken to as
//! the console adapter does, with a clock the test sets.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use seatmate_bot::delivery::{Deliverer, DeliveryOptions};
use seatmate_bot::domain::Platform;
use seatmate_bot::store::{Identity, Store};
use seatmate_bot::{Clock, Core, CoreSettings, Inbound, ManualClock, Reply};
use seatmate_console::ConsoleCourier;

pub mod both;

pub struct Harness {
    pub bot: Core,
    /// What Telegram says about chat admins (see [`Harness::telegram`]).
    pub telegram_admins: Arc<FakeChatAdmins>,
    pub clock: Arc<ManualClock>,
    pub store: Arc<dyn Store>,
    pub deliverer: Deliverer,
    pub courier: Arc<ConsoleCourier>,
    /// The database, for opening a second store on it (a restart, another process).
    pub url: String,
    pub dir: Option<tempfile::TempDir>,
}

/// The real `seatmate` binary with the database at `url`, run in `cwd`, with
/// no settings from the developer's environment.
pub fn seatmate_command(url: &str, cwd: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_seatmate"));
    command
        .current_dir(cwd)
        .env_remove("RUST_LOG")
        .env_remove("SEATMATE_CONFIG")
        .env("SEATMATE__DATABASE__URL", url);
    command
}

/// `seatmate run` as a service, with `settings` (environment variables),
/// on its own SQLite file, logging at debug level to a file. A failing test
/// shows what it logged.
pub struct Service {
    pub child: tokio::process::Child,
    /// The database.
    pub url: String,
    log: std::path::PathBuf,
    settings: Vec<(String, String)>,
    dir: tempfile::TempDir,
    /// Copies the running process's stderr into `log`.
    copying: Option<tokio::task::JoinHandle<()>>,
}

impl Service {
    pub fn start(settings: &[(&str, &str)]) -> Service {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("seatmate.db").display());
        Service::start_on(&url, dir, settings)
    }

    /// As [`Service::start`], on the database at `url`.
    pub fn start_on(url: &str, dir: tempfile::TempDir, settings: &[(&str, &str)]) -> Service {
        let log = dir.path().join("stderr.log");
        let settings: Vec<(String, String)> = settings.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let (child, copying) = spawn_service(url, dir.path(), &log, &settings);
        let service = Service {
            child,
            url: url.to_string(),
            log,
            settings,
            dir,
            copying: Some(copying),
        };
        service.log_line("started");
        service
    }

    /// Starts it again on the same database and settings (after a stop or
    /// a kill), its log going on in the same file.
    pub fn restart(&mut self) {
        self.log_line("restarted");
        let (child, copying) = spawn_service(&self.url, self.dir.path(), &self.log, &self.settings);
        self.child = child;
        self.copying = Some(copying);
    }

    /// Kills it as a crash would (`kill -9`), and waits for it.
    pub async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
        self.logged().await;
        self.log_line("killed");
    }

    /// Stops it with SIGTERM and waits (at most 15 s); its exit status.
    pub async fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
        }
        let status = tokio::time::timeout(std::time::Duration::from_secs(15), self.child.wait()).await;
        self.logged().await;
        self.log_line("terminated");
        status.ok().and_then(Result::ok)
    }

    /// Waits until what the process wrote is in the log.
    async fn logged(&mut self) {
        if let Some(copying) = self.copying.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), copying).await;
        }
    }

    fn log_line(&self, what: &str) {
        use std::io::Write;
        if let Ok(mut log) = std::fs::OpenOptions::new().append(true).create(true).open(&self.log) {
            let _ = writeln!(log, "=== test: seatmate {what} ===");
        }
    }

    /// Stops it as a service manager does (SIGTERM), waits for it, and
    /// returns what it logged, checked to hold none of `secrets`.
    pub async fn stop(&mut self, secrets: &[&str]) -> String {
        self.terminate().await;
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        for secret in secrets {
            assert!(!log.contains(secret), "a secret was logged");
        }
        // SHOW_LOG=1 prints what the bot logged, to look at a passing run.
        if std::env::var("SHOW_LOG").is_ok() {
            eprintln!("{log}");
        }
        log
    }
}

fn spawn_service(
    url: &str,
    dir: &std::path::Path,
    log: &std::path::Path,
    settings: &[(String, String)],
) -> (tokio::process::Child, tokio::task::JoinHandle<()>) {
    let mut command = tokio::process::Command::from(seatmate_command(url, dir));
    command
        .arg("run")
        // Host updates gathered over 2 seconds, not a minute: a test may
        // set its own.
        .env("SEATMATE__BOT__HOST_DIGEST_SECONDS", "2")
        .envs(settings.iter().map(|(k, v)| (k, v)))
        .env("RUST_LOG", "debug")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        // Through a pipe: a limit set on the process's file sizes (a full
        // disk, played by `prlimit`) must not silence its log.
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().expect("start seatmate");
    let mut stderr = child.stderr.take().expect("a pipe");
    let log = log.to_path_buf();
    let copying = tokio::spawn(async move {
        let Ok(mut file) = tokio::fs::OpenOptions::new().append(true).create(true).open(&log).await else {
            return;
        };
        let _ = tokio::io::copy(&mut stderr, &mut file).await;
    });
    (child, copying)
}

impl Drop for Service {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!("--- seatmate's log ---\n{log}");
        }
    }
}

/// `seatmate run` with `settings` (environment variables) on a fresh SQLite
/// file, expected to refuse to start: its exit code and what it printed.
pub async fn refused_start(settings: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seatmate.db").display());
    let mut command = tokio::process::Command::from(seatmate_command(&url, dir.path()));
    command.arg("run").envs(settings.iter().copied());
    let output = command.output().await.unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Someone in the console, as the store knows them.
pub fn console_person(name: &str) -> Identity {
    Identity {
        platform: Platform::Console,
        user_id: name.into(),
        display_name: name.into(),
        username: Some(name.into()),
    }
}

/// A zone where it is about noon now, so that a story run through the real
/// binary (on the wall clock) finds its day begun and its morning past,
/// whenever it runs. `Etc/GMT-N` is N hours ahead of UTC (POSIX's sign).
pub fn zone_at_noon() -> String {
    use chrono::Timelike;
    let offset = 12 - i64::from(Utc::now().hour());
    if offset >= 0 {
        format!("Etc/GMT-{offset}")
    } else {
        format!("Etc/GMT+{}", -offset)
    }
}

pub fn at(instant: &str) -> DateTime<Utc> {
    instant.parse().expect("an RFC 3339 instant")
}

impl Harness {
    fn new(store: Arc<dyn Store>, url: String, dir: Option<tempfile::TempDir>) -> Harness {
        let clock = Arc::new(ManualClock::new(at("2026-11-24T09:00:00Z")));
        let courier = Arc::new(ConsoleCourier::default());
        let telegram_admins = Arc::new(FakeChatAdmins::default());
        Harness {
            bot: Core::new(store.clone(), clock.clone(), CoreSettings::default())
                .with_chat_admins(Platform::Telegram, telegram_admins.clone()),
            telegram_admins,
            deliverer: Deliverer::new(store.clone(), clock.clone(), DeliveryOptions::default())
                .with_courier(courier.clone()),
            courier,
            clock,
            store,
            url,
            dir,
        }
    }

    pub async fn sqlite() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let url = seatmate_storage::test_support::sqlite_url(dir.path());
        Harness::new(Harness::open(&url).await, url, Some(dir))
    }

    pub async fn postgres() -> Option<Harness> {
        let base = seatmate_storage::test_support::postgres_base_url()?;
        let url = seatmate_storage::test_support::fresh_postgres_url(&base).await.unwrap();
        Some(Harness::new(Harness::open(&url).await, url, None))
    }

    /// Opens another store on a harness's database, as a restarted or a second
    /// process would.
    pub async fn open(url: &str) -> Arc<dyn Store> {
        seatmate_storage::open(url, &seatmate_storage::OpenOptions::default())
            .await
            .expect("open the test database")
    }

    /// A second bot process on the harness's database and clock: its own
    /// store (its own connections) and core.
    pub async fn another_process(&self) -> Core {
        Core::new(
            Harness::open(&self.url).await,
            self.clock.clone(),
            CoreSettings::default(),
        )
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The console chat's community, as its admin sees it.
    pub async fn console_community(&self) -> Option<seatmate_bot::store::Community> {
        self.store
            .enter(&seatmate_console::chat(), &console_person("admin"), self.now())
            .await
            .unwrap()
            .community
    }

    pub fn set_time(&self, instant: &str) {
        self.clock.set(at(instant));
    }

    /// `user` writes `text` in a Telegram `chat` (a group's negative id, or
    /// their own id for their private chat); Telegram says they administer
    /// the chats they write in when `user.admin`.
    pub async fn telegram(&self, user: &TelegramUser, chat: &str, text: &str) -> Reply {
        self.telegram_admins.set(chat, user.id, user.admin);
        self.bot.handle_text(&user.says(chat, text)).await
    }

    /// `user` says `text` in the console chat.
    pub async fn say(&self, user: &str, text: &str) -> Reply {
        self.bot.handle_text(&seatmate_console::request(user, text)).await
    }

    /// What `user` sees after saying `text`, as the console prints it.
    pub async fn text(&self, user: &str, text: &str) -> String {
        seatmate_console::render(&self.say(user, text).await, user)
    }

    /// Delivers what the outbox has for the console and returns it as printed.
    pub async fn delivered(&self) -> String {
        self.deliverer.drain(Platform::Console).await.expect("delivery");
        self.courier.take().concat()
    }

    /// Sets up "Utrecht Coworkers" (Europe/Amsterdam) with `admin` as admin and
    /// the given spaces (`slug` or `slug zone …`).
    pub async fn community(&self, admin: &str, spaces: &[&str]) {
        let reply = self.text(admin, "/setup Europe/Amsterdam Utrecht Coworkers").await;
        assert!(reply.contains("Welcome to Seatmate"), "{reply}");
        for space in spaces {
            let reply = self.text(admin, &format!("/space add {space}")).await;
            assert!(reply.contains("Added space"), "{reply}");
        }
    }

    /// Everything the store holds that a command could change, as text, read
    /// through the store (not the bot), to show that a refusal changed nothing.
    pub async fn snapshot(&self, member_names: &[&str]) -> String {
        let now = self.now();
        let mut out = String::new();
        let community = self.console_community().await;
        out.push_str(&format!("community: {community:?}\n"));
        if let Some(community) = &community {
            out.push_str(&format!(
                "spaces: {:?}\n",
                self.store.spaces(community.id).await.unwrap()
            ));
            out.push_str(&format!("hosts: {:?}\n", self.store.hosts(community.id).await.unwrap()));
            out.push_str(&format!(
                "present: {:?}\n",
                self.store.present(community.id, now).await.unwrap()
            ));
            for name in member_names {
                let cards = self
                    .store
                    .find_members(
                        community.id,
                        Platform::Console,
                        &seatmate_bot::domain::MemberHandle::Username(name.to_string()),
                    )
                    .await
                    .unwrap();
                for card in cards {
                    out.push_str(&format!("{name}: {:?}\n", self.store.profile(card.id).await.unwrap()));
                }
            }
        }
        out
    }
}

/// A Telegram user, for stories that need a platform with chat admins or
/// a second chat.
pub struct TelegramUser {
    pub id: &'static str,
    pub name: &'static str,
    pub username: Option<&'static str>,
    /// Whether Telegram says they administer the chats they write in.
    pub admin: bool,
}

/// A Telegram user whom Telegram calls an admin of the chats she writes in.
pub const TG_ADMIN: TelegramUser = TelegramUser {
    id: "1",
    name: "Ann",
    username: Some("ann"),
    admin: true,
};

/// A Telegram member who administers nothing.
pub const TG_MEMBER: TelegramUser = TelegramUser {
    id: "2",
    name: "Bea",
    username: Some("bea"),
    admin: false,
};

impl TelegramUser {
    /// `text` written in `chat`: a group's (negative) id, or the user's own id
    /// for their private chat with the bot.
    pub fn says(&self, chat: &str, text: &str) -> Inbound {
        let chat_key = seatmate_bot::ChatKey {
            platform: Platform::Telegram,
            chat_id: chat.into(),
            private: chat == self.id,
        };
        let caller = seatmate_bot::Caller {
            user_id: self.id.into(),
            display_name: self.name.into(),
            username: self.username.map(Into::into),
        };
        Inbound::new(chat_key, caller, text)
    }
}

/// Telegram as the tests want it to answer who administers a chat, counting
/// the questions.
#[derive(Default)]
pub struct FakeChatAdmins {
    admins: std::sync::Mutex<std::collections::HashSet<(String, String)>>,
    pub asked: std::sync::atomic::AtomicUsize,
}

impl FakeChatAdmins {
    pub fn set(&self, chat: &str, user: &str, admin: bool) {
        let mut admins = self.admins.lock().unwrap();
        if admin {
            admins.insert((chat.into(), user.into()));
        } else {
            admins.remove(&(chat.to_string(), user.to_string()));
        }
    }

    pub fn asked(&self) -> usize {
        self.asked.load(std::sync::atomic::Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl seatmate_bot::admins::ChatAdmins for FakeChatAdmins {
    async fn is_chat_admin(&self, chat: &seatmate_bot::ChatKey, user_id: &str) -> Result<bool, String> {
        self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(self
            .admins
            .lock()
            .unwrap()
            .contains(&(chat.chat_id.clone(), user_id.to_string())))
    }
}

/// Runs each story (an async fn taking a `Harness`) on SQLite and, when
/// SEATMATE_TEST_POSTGRES_URL is set, on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $story() {
                    super::$story($crate::common::Harness::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $story() {
                    if let Some(harness) = $crate::common::Harness::postgres().await {
                        super::$story(harness).await;
                    }
                }
            )*
        }
    };
}

/// A port nothing listens on now, for a service's `http.listen`.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until something answers `GET /livez` on `port`.
pub async fn wait_listening(port: u16) {
    let started = std::time::Instant::now();
    while http_get(port, "/livez").await.is_none() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "nothing listens on port {port}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// `GET path` on 127.0.0.1:`port`: the status code and the body, or `None`
/// while nothing listens there.
pub async fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    http_get_with(port, path, "").await
}

/// As [`http_get`], with `headers` (each ending in `\r\n`).
pub async fn http_get_with(port: u16, path: &str, headers: &str) -> Option<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.ok()?;
    let status = answer.split_whitespace().nth(1)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body).to_string();
    Some((status, body))
}

/// Sets the soft limit on the sizes of files `pid` writes (what a full disk
/// does to SQLite: every write past it fails); `None` lifts it.
pub fn limit_file_sizes(pid: u32, bytes: Option<u64>) {
    let limit = bytes.map_or("unlimited".to_string(), |b| b.to_string());
    let status = std::process::Command::new("prlimit")
        .args(["--pid", &pid.to_string(), &format!("--fsize={limit}:unlimited")])
        .status()
        .expect("prlimit (util-linux) runs");
    assert!(status.success());
}

/// A fresh PostgreSQL database for a fleet of instances, or `None` when no
/// server is configured.
pub async fn fresh_postgres_url() -> Option<String> {
    let base = seatmate_storage::test_support::postgres_base_url()?;
    Some(seatmate_storage::test_support::fresh_postgres_url(&base).await.unwrap())
}

/// Seat requests on PostgreSQL at `url`, and the members who made them.
pub async fn seat_requests_and_members(url: &str) -> (i64, i64) {
    use sqlx::Connection;
    let mut db = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query_as("SELECT count(*), count(DISTINCT member_id) FROM seat_requests")
        .fetch_one(&mut db)
        .await
        .unwrap()
}

/// `n` instances of `seatmate run` on the database at `url` (a fleet),
/// each with `settings`, an `http.listen` port and a `bot.instance` name of
/// its own (`bot-0`, `bot-1`…); once each listens: their ports and services.
pub async fn start_fleet(url: &str, n: usize, settings: &[(&str, &str)]) -> (Vec<u16>, Vec<Service>) {
    let ports: Vec<u16> = (0..n).map(|_| free_port()).collect();
    let services = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            let (listen, name) = (format!("127.0.0.1:{port}"), format!("bot-{i}"));
            let mut all = settings.to_vec();
            all.extend([
                ("SEATMATE__HTTP__LISTEN", listen.as_str()),
                ("SEATMATE__BOT__INSTANCE", name.as_str()),
            ]);
            Service::start_on(url, tempfile::tempdir().unwrap(), &all)
        })
        .collect();
    for port in &ports {
        wait_listening(*port).await;
    }
    (ports, services)
}

/// `seatmate_leader` as instance `port`'s `/metrics` says (None: no answer).
pub async fn leads(port: u16) -> Option<bool> {
    let (_, metrics) = http_get(port, "/metrics").await?;
    Some(metrics.lines().any(|line| line == "seatmate_leader 1"))
}

/// The instances (by index into `ports`) whose `/metrics` say they lead,
/// as soon as one does.
pub async fn leaders(ports: &[u16]) -> Vec<usize> {
    let started = std::time::Instant::now();
    loop {
        let mut leaders = Vec::new();
        for (i, port) in ports.iter().enumerate() {
            if leads(*port).await == Some(true) {
                leaders.push(i);
            }
        }
        if !leaders.is_empty() || started.elapsed() > std::time::Duration::from_secs(30) {
            return leaders;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
