//! A real PostgreSQL for the sync tests: Debian's server binaries, a fresh cluster in a
//! temporary folder on 127.0.0.1 and a free port, run as the `postgres` user when the tests
//! run as root (`initdb` and `postgres` refuse root), stopped when the guard is dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The city office's owner login and its password, in every cluster these tests start.
pub const OWNER: &str = "city";
pub const OWNER_PASSWORD: &str = "city-pw";

pub struct Pg {
    _dir: tempfile::TempDir,
    data: PathBuf,
    socket: PathBuf,
    bin: PathBuf,
    pub port: u16,
}

fn bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect(
            "PostgreSQL's server binaries in /usr/lib/postgresql (bash .ci/setup installs them)",
        )
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists())
        .collect();
    found.sort();
    found
        .pop()
        .expect("an initdb under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on loopback")
}

/// Runs a server binary as the `postgres` user when we are root.
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn ok(what: &str, out: Output) -> Output {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

impl Pg {
    /// initdb, start, and a `tongxin` database owned by the city office's login.
    pub fn start() -> Pg {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let bin = bin_dir();
        let root = dir.path().to_path_buf();
        // The server user must reach the folder.
        ok(
            "chmod",
            Command::new("chmod")
                .arg("0777")
                .arg(&root)
                .output()
                .expect("chmod"),
        );
        let pwfile = root.join("pw");
        std::fs::write(&pwfile, OWNER_PASSWORD).expect("the password file");
        ok(
            "chmod",
            Command::new("chmod")
                .arg("0644")
                .arg(&pwfile)
                .output()
                .expect("chmod"),
        );
        let data = root.join("data");
        ok(
            "initdb",
            as_server_user(&bin.join("initdb"))
                .arg("-D")
                .arg(&data)
                .args([
                    "-A",
                    "scram-sha-256",
                    "-U",
                    OWNER,
                    "-E",
                    "UTF8",
                    "--no-sync",
                ])
                .arg(format!("--pwfile={}", pwfile.display()))
                .output()
                .expect("initdb"),
        );
        let pg = Pg {
            socket: root.clone(),
            _dir: dir,
            data,
            bin,
            port: free_port(),
        };
        pg.start_again();
        let out = pg.psql_db("postgres", OWNER, OWNER_PASSWORD, "CREATE DATABASE tongxin");
        ok("CREATE DATABASE", out);
        pg
    }

    /// Starts the cluster (again), waiting until it accepts connections.
    pub fn start_again(&self) {
        ok(
            "pg_ctl start",
            as_server_user(&self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(&self.data)
                .arg("-l")
                .arg(self.socket.join("server.log"))
                .arg("-o")
                .arg(format!(
                    "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
                    self.port,
                    self.socket.display()
                ))
                .args(["-w", "-t", "60", "start"])
                .output()
                .expect("pg_ctl"),
        );
    }

    /// Kills the server as a power cut would (`immediate`: no shutdown checkpoint).
    pub fn kill(&self) {
        ok(
            "pg_ctl stop",
            as_server_user(&self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(&self.data)
                .args(["-m", "immediate", "-w", "stop"])
                .output()
                .expect("pg_ctl"),
        );
    }

    /// Turns TLS on with this certificate and key (copied into the data folder, owned by the
    /// server's user) and refuses unencrypted TCP connections from then on.
    pub fn enable_tls(&self, cert: &Path, key: &Path) {
        let (crt, k) = (self.data.join("server.crt"), self.data.join("server.key"));
        std::fs::copy(cert, &crt).expect("the certificate");
        std::fs::copy(key, &k).expect("the key");
        let owner = if is_root() { "postgres" } else { "" };
        for f in [&crt, &k] {
            if !owner.is_empty() {
                ok(
                    "chown",
                    Command::new("chown")
                        .arg(owner)
                        .arg(f)
                        .output()
                        .expect("chown"),
                );
            }
            ok(
                "chmod",
                Command::new("chmod")
                    .arg("0600")
                    .arg(f)
                    .output()
                    .expect("chmod"),
            );
        }
        let hba = self.data.join("pg_hba.conf");
        let text = std::fs::read_to_string(&hba).expect("pg_hba.conf");
        // Only encrypted TCP: plain `host` lines become `hostssl`.
        let text = text
            .lines()
            .map(|l| {
                if l.starts_with("host ") {
                    l.replacen("host ", "hostssl ", 1)
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&hba, text + "\n").expect("pg_hba.conf");
        self.value("ALTER SYSTEM SET ssl = on");
        ok(
            "pg_ctl reload",
            as_server_user(&self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(&self.data)
                .arg("reload")
                .output()
                .expect("pg_ctl"),
        );
        std::thread::sleep(Duration::from_millis(500));
    }

    /// The cluster's data folder (its `postmaster.pid` names the server's process).
    pub fn data_dir(&self) -> PathBuf {
        self.data.clone()
    }

    /// `postgres://login:password@127.0.0.1:port/tongxin`.
    pub fn url(&self, login: &str, password: &str) -> String {
        format!(
            "postgres://{login}:{password}@127.0.0.1:{}/tongxin",
            self.port
        )
    }

    pub fn owner_url(&self) -> String {
        self.url(OWNER, OWNER_PASSWORD)
    }

    fn psql_db(&self, db: &str, login: &str, password: &str, sql: &str) -> Output {
        Command::new(self.bin.join("psql"))
            .arg(format!("postgres://{login}@127.0.0.1:{}/{db}", self.port))
            .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .env("PGPASSWORD", password)
            .env("PGCONNECT_TIMEOUT", "10")
            .output()
            .expect("psql")
    }

    /// A server program beside psql (`pg_dump`, `pg_restore`, …), run against this cluster as
    /// the owner.
    pub fn tool(&self, program: &str, args: &[&str]) -> Output {
        Command::new(self.bin.join(program))
            .args(args)
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", self.port.to_string())
            .env("PGUSER", OWNER)
            .env("PGPASSWORD", OWNER_PASSWORD)
            .output()
            .expect("a PostgreSQL program")
    }

    /// Debian's psql beside the server binaries.
    pub fn psql_bin(&self) -> PathBuf {
        self.bin.join("psql")
    }

    /// Runs SQL as `login` on the tongxin database; the output as psql prints it.
    pub fn psql(&self, login: &str, password: &str, sql: &str) -> Output {
        self.psql_db("tongxin", login, password, sql)
    }

    /// One value from SQL run as the owner.
    pub fn value(&self, sql: &str) -> String {
        let out = ok("psql", self.psql(OWNER, OWNER_PASSWORD, sql));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits until `cond` holds, up to a bound (a test set-up step, not a measurement).
    pub fn wait_for(&self, what: &str, mut cond: impl FnMut() -> bool) {
        let start = Instant::now();
        while !cond() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "gave up waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let _ = as_server_user(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "fast", "-w", "stop"])
            .output();
    }
}
