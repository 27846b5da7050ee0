//! The deployment files (deploy/): what can be checked on a machine that
//! runs no containers. nginx's configuration goes through `nginx -t` (the
//! real tool; the compose service names, which resolve only inside
//! compose's network, stand as local addresses); the compose file is read
//! as YAML; the Dockerfile is read for what the README promises of it.

use std::path::Path;
use std::process::Command;

fn deploy(file: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy").join(file)).unwrap()
}

/// Whether `tool` runs here; under CI its absence fails the test (`.ci/run`
/// installs nginx), elsewhere it is said and the check skipped.
fn available(tool: &str, args: &[&str]) -> bool {
    let runs = Command::new(tool).args(args).output().is_ok_and(|o| o.status.success());
    if !runs {
        assert!(std::env::var_os("CI").is_none(), "{tool} must be installed under CI");
        eprintln!("{tool} is not installed: skipping its check of deploy/");
    }
    runs
}

#[test]
fn the_load_balancers_configuration_is_accepted_by_nginx() {
    if !available("nginx", &["-v"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut conf = deploy("nginx.conf");
    for n in 1..=3 {
        conf = conf.replace(&format!("seatmate-{n}:8080"), &format!("127.0.0.1:808{n}"));
    }
    let path = dir.path().join("nginx.conf");
    std::fs::write(&path, &conf).unwrap();
    let pid = format!("pid {};", dir.path().join("nginx.pid").display());
    let check = |path: &Path| {
        Command::new("nginx")
            .arg("-t")
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(path)
            .args(["-e", "stderr", "-g", &pid])
            .output()
            .unwrap()
    };
    let checked = check(&path);
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    // The check can fail: a directive nginx does not know is refused.
    let broken = dir.path().join("broken.conf");
    std::fs::write(&broken, conf.replace("keepalive 16;", "keepalive_forever 16;")).unwrap();
    assert!(!check(&broken).status.success());
    // Both inbound routes reach the instances, round robin (no stickiness).
    assert!(conf.contains("location /telegram/") && conf.contains("location = /discord/interactions"));
    let directives: Vec<&str> = conf.lines().map(str::trim).filter(|l| !l.starts_with('#')).collect();
    assert!(
        !directives
            .iter()
            .any(|l| l.starts_with("ip_hash") || l.starts_with("hash ") || l.starts_with("sticky")),
        "no sticky sessions"
    );
}

#[test]
fn the_compose_file_runs_postgres_three_instances_and_nginx_with_health_checks() {
    if !available("python3", &["-c", "import yaml"]) {
        return;
    }
    // As JSON, with the YAML anchors and merge keys resolved.
    let read = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut python| {
            use std::io::Write;
            python
                .stdin
                .take()
                .unwrap()
                .write_all(deploy("compose.yaml").as_bytes())?;
            python.wait_with_output()
        })
        .unwrap();
    assert!(read.status.success(), "{}", String::from_utf8_lossy(&read.stderr));
    let compose: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    let services = compose["services"].as_object().unwrap();
    let mut names: Vec<&str> = services.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["nginx", "postgres", "seatmate-1", "seatmate-2", "seatmate-3"]);
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for name in &names {
        assert!(
            readme.contains(&format!("`{name}`")),
            "the README names the service {name}"
        );
    }
    for (n, name) in ["seatmate-1", "seatmate-2", "seatmate-3"].iter().enumerate() {
        let service = &services[*name];
        let env = &service["environment"];
        assert_eq!(env["SEATMATE__BOT__INSTANCE"], *name, "each its own instance name");
        assert!(env["SEATMATE__DATABASE__URL"]
            .as_str()
            .unwrap()
            .starts_with("postgres://"));
        assert_eq!(env["SEATMATE__TELEGRAM__MODE"], "webhook");
        assert_eq!(env["SEATMATE__HTTP__LISTEN"], "0.0.0.0:8080");
        assert!(service["healthcheck"]["test"].to_string().contains("/readyz"), "{n}");
        assert_eq!(service["depends_on"]["postgres"]["condition"], "service_healthy");
        assert_eq!(service["build"]["dockerfile"], "deploy/Dockerfile");
    }
    assert!(services["postgres"]["healthcheck"]["test"]
        .to_string()
        .contains("pg_isready"));
    assert!(services["nginx"]["healthcheck"].is_object());
    assert!(services["nginx"]["volumes"][0]
        .as_str()
        .unwrap()
        .starts_with("./nginx.conf:/etc/nginx/nginx.conf"));
}

#[test]
fn the_image_builds_in_two_stages_and_runs_seatmate_as_a_user_with_a_health_check() {
    let dockerfile = deploy("Dockerfile");
    let lines: Vec<&str> = dockerfile
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let froms: Vec<&&str> = lines.iter().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(froms.len(), 2, "a build stage and a runtime stage: {froms:?}");
    assert!(froms[0].ends_with(" AS build") && froms[1].contains("slim"));
    assert!(dockerfile.contains("COPY --from=build"));
    let user = lines.iter().find(|l| l.starts_with("USER ")).expect("a USER");
    assert!(!user.contains("root") && !user.ends_with(" 0"), "{user}");
    let healthcheck = dockerfile.find("HEALTHCHECK").expect("a HEALTHCHECK");
    assert!(dockerfile[healthcheck..].contains("/livez"));
    assert_eq!(
        lines.last().copied(),
        Some(r#"ENTRYPOINT ["/usr/local/bin/seatmate", "run"]"#)
    );
    assert!(!dockerfile.contains("openssl"), "rustls: no OpenSSL");
}
