//! A throwaway PostgreSQL cluster for the team-ledger tests and benchmark: `initdb` in a
//! temporary folder, the server on a free port of 127.0.0.1 (and a socket in that folder), run as
//! a non-root user (`postgres` through `runuser` when the tests run as root), stopped and removed
//! when dropped. It never touches a server that happens to be running.
//!
//! Shared by `tests/ledger.rs` and `benches/ledger.rs` (included with `#[path]`).
#![allow(dead_code)]

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// How the cluster is set up.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Commits flushed to disk (fsync on). Off by default: the tests survive the server's
    /// crash, not the machine's.
    pub durable: bool,
    /// TLS: the server's certificate and key (PEM).
    pub tls: Option<(String, String)>,
    /// Accept TCP connections only over TLS.
    pub tls_only: bool,
}

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    run_as: Option<(String, u32, u32)>,
    pub port: u16,
    password: String,
    running: bool,
}

/// The superuser the tests administer the cluster as.
pub const ADMIN: &str = "postgres";

impl Cluster {
    pub fn start() -> Self {
        Self::start_with(Options::default())
    }

    pub fn start_with(opts: Options) -> Self {
        let bin = binaries();
        let run_as = if running_as_root() {
            Some(owner("postgres"))
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("ledger-pg-")
            .tempdir()
            .expect("a temporary folder");
        let password = format!(
            "pw{}x{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        );
        let mut c = Self {
            dir,
            bin,
            run_as,
            port: 0,
            password,
            running: false,
        };
        c.give(c.dir.path());
        c.initdb();
        c.configure(&opts);
        c.launch();
        c
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn data(&self) -> PathBuf {
        self.path("data")
    }

    /// Hands a file or folder to the user the server runs as.
    fn give(&self, p: &Path) {
        if let Some((_, uid, gid)) = &self.run_as {
            std::os::unix::fs::chown(p, Some(*uid), Some(*gid)).expect("chown to postgres");
        }
    }

    /// Runs a server program as the server's user.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let exe = self.bin.join(program);
        let mut cmd = match &self.run_as {
            Some((user, _, _)) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("PGDATA")
            .env_remove("PGPORT")
            .env_remove("PGHOST");
        cmd.output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()))
    }

    fn initdb(&self) {
        let pwfile = self.path("pwfile");
        std::fs::write(&pwfile, &self.password).expect("password file");
        self.give(&pwfile);
        let data = self.data();
        let out = self.run(
            "initdb",
            &[
                "-D",
                data.to_str().expect("UTF-8 path"),
                "-U",
                ADMIN,
                &format!("--pwfile={}", pwfile.display()),
                "-A",
                "scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ],
        );
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let _ = std::fs::remove_file(pwfile);
    }

    fn configure(&self, opts: &Options) {
        let mut conf = format!(
            "\nlisten_addresses = '127.0.0.1'\n\
             unix_socket_directories = '{}'\n\
             max_connections = 80\n\
             shared_buffers = 32MB\n\
             log_min_messages = warning\n\
             log_min_error_statement = panic\n",
            self.dir.path().display()
        );
        if !opts.durable {
            // Commits still reach the operating system before they are acknowledged (so a
            // server killed mid-test loses nothing it confirmed); only the disk flush is skipped.
            conf.push_str("fsync = off\nfull_page_writes = off\n");
        }
        if let Some((cert, key)) = &opts.tls {
            for (name, pem) in [("server.crt", cert), ("server.key", key)] {
                let p = self.data().join(name);
                std::fs::write(&p, pem).expect("TLS file");
                std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                    .expect("TLS file mode");
                self.give(&p);
            }
            conf.push_str("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
        }
        append(&self.data().join("postgresql.conf"), &conf);
        if opts.tls_only {
            let hba = "local all all scram-sha-256\n\
                       hostssl all all 127.0.0.1/32 scram-sha-256\n\
                       hostnossl all all 127.0.0.1/32 reject\n";
            std::fs::write(self.data().join("pg_hba.conf"), hba).expect("pg_hba.conf");
        }
    }

    fn write_tls(&self, cert: &str, key: &str) {
        for (name, pem) in [("server.crt", cert), ("server.key", key)] {
            let p = self.data().join(name);
            std::fs::write(&p, pem).expect("TLS file");
            std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .expect("TLS file mode");
            self.give(&p);
        }
    }

    /// Gives the running server another certificate (read again on reload).
    pub fn replace_tls(&self, cert: &str, key: &str) {
        self.write_tls(cert, key);
        let data = self.data();
        let out = self.run(
            "pg_ctl",
            &["-D", data.to_str().expect("UTF-8 path"), "reload"],
        );
        assert!(out.status.success(), "pg_ctl reload failed");
        // The postmaster reloads asynchronously; new connections see the new files shortly.
        std::thread::sleep(std::time::Duration::from_millis(500));
    }

    /// Starts the server on a free port (another one if that port was taken meanwhile).
    fn launch(&mut self) {
        for _ in 0..5 {
            self.port = free_port();
            if self.pg_ctl_start() {
                return;
            }
        }
        panic!("the test PostgreSQL server did not start:\n{}", self.log());
    }

    fn pg_ctl_start(&mut self) -> bool {
        let data = self.data();
        let log = self.path("server.log");
        let port = format!("-p {}", self.port);
        let out = self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().expect("UTF-8 path"),
                "-l",
                log.to_str().expect("UTF-8 path"),
                "-o",
                &port,
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
        self.running = out.status.success();
        self.running
    }

    /// The server's log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path("server.log")).unwrap_or_default()
    }

    /// Stops the server: `fast` disconnects clients and shuts down cleanly, `immediate` is a
    /// crash (recovery on the next start).
    pub fn stop(&mut self, mode: &str) {
        let data = self.data();
        let out = self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().expect("UTF-8 path"),
                "-m",
                mode,
                "-w",
                "stop",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl stop failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.running = false;
    }

    /// Starts the server again on the same port.
    pub fn restart(&mut self) {
        assert!(
            self.pg_ctl_start(),
            "the server did not start again:\n{}",
            self.log()
        );
    }

    /// A URL for `user` (no password in it) on database `db`.
    pub fn url(&self, user: &str, db: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{db}", self.port)
    }

    /// The administrator's URL, password included: through the socket in the cluster's folder,
    /// so it works whatever the TCP rules (a TLS-only server).
    pub fn admin_url(&self, db: &str) -> String {
        let dir = self.dir.path().display().to_string().replace('/', "%2F");
        format!(
            "postgres://{ADMIN}:{}@/{db}?host={dir}&port={}",
            self.password, self.port
        )
    }

    pub fn admin(&self, db: &str) -> postgres::Client {
        let mut c = postgres::Config::new();
        c.host_path(self.dir.path())
            .port(self.port)
            .user(ADMIN)
            .password(&self.password)
            .dbname(db);
        c.connect(postgres::NoTls)
            .unwrap_or_else(|e| panic!("admin connection: {e}\n{}", self.log()))
    }

    pub fn create_db(&self, name: &str) {
        self.admin("postgres")
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create database");
    }

    /// A login with `password`, granted `roles` (created once per cluster).
    pub fn create_login(&self, name: &str, password: &str, roles: &[&str]) {
        let mut c = self.admin("postgres");
        let exists = c
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&name])
            .expect("role lookup")
            .is_some();
        if !exists {
            c.batch_execute(&format!(
                "CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'"
            ))
            .expect("create login");
        }
        for r in roles {
            c.batch_execute(&format!("GRANT \"{r}\" TO \"{name}\""))
                .expect("grant role");
        }
    }

    /// Where the server's socket is (for socket URLs).
    pub fn socket_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.running {
            let data = self.data();
            let _ = self.run(
                "pg_ctl",
                &[
                    "-D",
                    data.to_str().unwrap_or(""),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
            );
        }
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("postgresql.conf");
    f.write_all(text.as_bytes()).expect("write postgresql.conf");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The uid and gid of a system user (the server must not run as root).
fn owner(user: &str) -> (String, u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, user])
            .output()
            .expect("id runs");
        assert!(
            out.status.success(),
            "running as root, the test PostgreSQL server needs the `{user}` system user, which the postgresql package creates: run scripts/test"
        );
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("a numeric id")
    };
    (user.to_string(), id("-u"), id("-g"))
}

/// The folder with `initdb` and `pg_ctl`: on PATH, or Debian's /usr/lib/postgresql/N/bin.
fn binaries() -> PathBuf {
    let has = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    if let Some(d) = on_path.into_iter().find(|d| has(d)) {
        return d;
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            has(&bin).then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, b)| b).unwrap_or_else(|| {
        panic!(
            "the team-ledger tests need PostgreSQL's server programs (initdb, pg_ctl), which are not installed: run `scripts/test`, which installs them (apt-get install postgresql) and then runs cargo test"
        )
    })
}
