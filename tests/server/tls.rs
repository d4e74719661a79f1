//! TLS: a server that requires it (its own certificate authority, as a city office would
//! run), reached with `?sslmode=require` and the authority's certificate named by
//! `TONGXIN_SERVER_CA`; without the authority the desk says the encrypted connection failed.

use std::process::Command;

use super::*;

fn openssl(args: &[&str], dir: &Path) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    ok("openssl", out);
}

#[test]
fn a_desk_syncs_over_tls_with_the_city_s_certificate_authority_and_refuses_a_server_it_cannot_verify(
) {
    let city = City::set_up();
    let certs = tempfile::tempdir().unwrap();
    let d = certs.path();
    // A certificate authority, and the server's certificate for 127.0.0.1 signed by it.
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=Tongxin test city CA",
        ],
        d,
    );
    openssl(
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
        d,
    );
    std::fs::write(
        d.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:db.city.test\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
        d,
    );
    city.pg
        .enable_tls(&d.join("server.crt"), &d.join("server.key"));

    let a1 = city.desk("a1");
    let url = format!("{}?sslmode=require", city.desk_url("a1"));
    let run = |ca: Option<&Path>| {
        let mut c = Command::new(tongxin_tests::target_bin("tongxin-cli"));
        c.arg("--db")
            .arg(&a1)
            .args(["sync", "--once", "--desk", "a1", "--server", &url])
            .env_remove("TONGXIN_DB");
        match ca {
            Some(p) => c.env("TONGXIN_SERVER_CA", p),
            None => c.env_remove("TONGXIN_SERVER_CA"),
        };
        c.output().unwrap()
    };
    let refused = run(None);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("加密连接失败"), "{err}");
    assert_eq!(
        cli_json(&a1, &["events"]),
        serde_json::json!([]),
        "nothing came over an unverified link"
    );

    ok("sync over TLS", run(Some(&d.join("ca.crt"))));
    assert_eq!(local_checkins(&a1, MAIN).len(), 9);
    // Only TLS connections are accepted now (hostssl), and the desk's got through.
    let log = city
        .pg
        .value("SELECT count(*) FROM tongxin.desk WHERE role = 'a1' AND desk_id = 'cli:a1'");
    assert_eq!(log, "1", "the desk said hello over TLS");

    // The same server by its name (the address given apart, as a city without DNS would):
    // off this machine, so TLS is used though the URL asks for none, and verified by name.
    let by_name = format!(
        "postgres://a1:a1-pw@db.city.test:{}/tongxin?hostaddr=127.0.0.1",
        city.pg.port
    );
    let out = Command::new(tongxin_tests::target_bin("tongxin-cli"))
        .arg("--db")
        .arg(&a1)
        .args(["sync", "--once", "--desk", "a1", "--server", &by_name])
        .env_remove("TONGXIN_DB")
        .env("TONGXIN_SERVER_CA", d.join("ca.crt"))
        .output()
        .unwrap();
    ok("sync over TLS by name", out);
}

/// A server off this machine that offers no TLS (`ssl = off`, as every test cluster starts):
/// the desk refuses it before sending the password, whatever `sslmode` the URL says, and
/// changes nothing; only the explicit switch lets it through.
#[test]
fn a_server_off_this_machine_without_tls_is_refused_unless_the_switch_allows_it() {
    let city = City::set_up();
    assert_eq!(city.pg.value("SHOW ssl"), "off");
    let a1 = city.desk("a1");
    for mode in ["", "&sslmode=disable", "&sslmode=prefer"] {
        let url = format!(
            "postgres://a1:a1-pw@db.city.test:{}/tongxin?hostaddr=127.0.0.1{mode}",
            city.pg.port
        );
        let out = cli(&a1, &["sync", "--once", "--desk", "a1", "--server", &url]);
        assert!(!out.status.success(), "{mode}: synced in the clear");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("不提供加密连接"), "{mode}: {err}");
        assert_eq!(cli_json(&a1, &["events"]), serde_json::json!([]), "{mode}");
    }
    let url = format!(
        "postgres://a1:a1-pw@db.city.test:{}/tongxin?hostaddr=127.0.0.1",
        city.pg.port
    );
    ok(
        "sync with the switch",
        cli(
            &a1,
            &[
                "sync",
                "--once",
                "--desk",
                "a1",
                "--server",
                &url,
                "--allow-plaintext",
            ],
        ),
    );
    assert_eq!(local_checkins(&a1, MAIN).len(), 9);
    // On this machine a plain connection needs no switch (the other tests all use one).
    ok("loopback", city.sync(&a1, "a1"));
}
