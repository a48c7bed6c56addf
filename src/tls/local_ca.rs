//! The local CA and server certificate `--tls` makes when no certificate is given, in `--tls-dir`.
//!
//! A CA that clients are asked to trust must not be able to vouch for anything else: its key is
//! private to its owner (files 0600, a directory made 0700), it carries name constraints for what
//! it certifies (localhost, loopback addresses and the `--tls-names` given when it was made), and
//! it is valid for three years, not forever. What a CA covers is recorded beside it (`ca-scope`),
//! so a later start reuses it while it covers the wanted names and makes a new one (saying that
//! clients must trust it) when a name falls outside, when it nears its end, or when it was made
//! by an older version without constraints.

use chrono::{Datelike, Days, Months, NaiveDate, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DnType, GeneralSubtree, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    NameConstraints, date_time_ymd,
};
use std::fs;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// A CA lives this long; a server certificate 397 days (what browsers accept), both renewed
/// when fewer than [`RENEW_DAYS`] remain.
const CA_MONTHS: u32 = 36;
const CERT_DAYS: u64 = 397;
const RENEW_DAYS: u64 = 30;

/// The files a client and the server use.
pub(super) struct Generated {
    /// The CA's certificate, which clients trust.
    pub ca: PathBuf,
    /// The server's certificate.
    pub cert: PathBuf,
    /// The server's private key.
    pub key: PathBuf,
}

/// What a CA or certificate covers and until when, as recorded beside it: `expires
/// YYYY-MM-DD`, then one name a line.
struct Record {
    expires: NaiveDate,
    names: Vec<String>,
}

impl Record {
    fn read(path: &Path) -> Option<Self> {
        let text = crate::common::bounded_file::read_text(path, 64 * 1024).ok()?;
        let mut lines = text.lines();
        let expires = lines.next()?.strip_prefix("expires ")?.parse().ok()?;
        Some(Self { expires, names: lines.map(str::to_owned).collect() })
    }

    fn text(&self) -> String {
        format!("expires {}\n{}", self.expires, self.names.join("\n"))
    }

    fn ends_soon(&self, today: NaiveDate) -> bool {
        today.checked_add_days(Days::new(RENEW_DAYS)).is_none_or(|soon| soon >= self.expires)
    }
}

/// The CA (reused while it covers `extra` and the loopback names) and a server certificate for
/// those names (re-issued when they change, when the CA changes or when it nears its end).
pub(super) fn generated(dir: &Path, extra: &[String]) -> Result<Generated, String> {
    let io = |path: &Path, e: std::io::Error| format!("--tls-dir {}: {e}", path.display());
    private_dir(dir).map_err(|e| io(dir, e))?;
    let files = Generated { ca: dir.join("ca.pem"), cert: dir.join("cert.pem"), key: dir.join("key.pem") };
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned()];
    for name in extra.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !names.iter().any(|known| known == name) {
            names.push(name.to_owned());
        }
    }
    let today = Utc::now().date_naive();
    let (ca_key, ca_record, fresh) = match reusable_ca(dir, &files, &names, today) {
        Ok((key, record)) => (key, record, false),
        Err(reason) => {
            let existed = files.ca.exists();
            let (key, record) = make_ca(dir, &files, &names, today)?;
            if existed {
                tracing::warn!(
                    "TLS: {reason}, so a new CA was made at {}: clients that trusted the previous one must trust this one",
                    files.ca.display()
                );
            }
            (key, record, true)
        }
    };
    let cert_file = dir.join("names");
    let current = Record::read(&cert_file);
    let stale = current.is_none_or(|record| record.names != names || record.ends_soon(today));
    if fresh || stale || !files.cert.exists() || !files.key.exists() {
        let expires =
            today.checked_add_days(Days::new(CERT_DAYS)).map_or(ca_record.expires, |d| d.min(ca_record.expires));
        let record = Record { expires, names };
        let key = KeyPair::generate().map_err(rcgen)?;
        let mut params = CertificateParams::new(record.names.clone()).map_err(rcgen)?;
        params.distinguished_name.push(DnType::CommonName, "hr-sandbox");
        set_validity(&mut params, today, expires);
        let cert = params.signed_by(&key, &Issuer::new(ca_params(), &ca_key)).map_err(rcgen)?;
        write(&files.key, &key.serialize_pem(), 0o600)?;
        write(&files.cert, &cert.pem(), 0o644)?;
        write(&cert_file, &record.text(), 0o644)?;
    }
    Ok(files)
}

/// The CA on disk and its record, or why it cannot be used for `names` any more.
fn reusable_ca(dir: &Path, files: &Generated, names: &[String], today: NaiveDate) -> Result<(KeyPair, Record), String> {
    let key_file = dir.join("ca-key.pem");
    if !files.ca.exists() || !key_file.exists() {
        return Err("no CA yet".into());
    }
    let Some(record) = Record::read(&dir.join("ca-scope")) else {
        return Err(format!("the CA in {} has no name constraints (an older hr-sandbox made it)", dir.display()));
    };
    if record.ends_soon(today) {
        return Err(format!("the CA in {} expires on {}", dir.display(), record.expires));
    }
    if let Some(outside) = names.iter().find(|name| !covers(&record.names, name)) {
        return Err(format!("the CA in {} may not certify {outside} (outside its name constraints)", dir.display()));
    }
    let pem = crate::common::bounded_file::read_text(&key_file, 64 * 1024).map_err(|e| e.to_string());
    let key = pem.and_then(|pem| KeyPair::from_pem(&pem).map_err(|e| e.to_string()));
    let key = key.map_err(|e| format!("the CA key {} is unreadable ({e})", key_file.display()))?;
    Ok((key, record))
}

fn make_ca(dir: &Path, files: &Generated, names: &[String], today: NaiveDate) -> Result<(KeyPair, Record), String> {
    let expires = today.checked_add_months(Months::new(CA_MONTHS)).ok_or("the system date is out of range")?;
    let record = Record { expires, names: names.to_vec() };
    let key = KeyPair::generate().map_err(rcgen)?;
    let mut params = ca_params();
    set_validity(&mut params, today, expires);
    let mut permitted: Vec<GeneralSubtree> = Vec::new();
    for subtree in names.iter().map(|name| subtree(name)) {
        if !permitted.contains(&subtree) {
            permitted.push(subtree);
        }
    }
    params.name_constraints = Some(NameConstraints { permitted_subtrees: permitted, excluded_subtrees: Vec::new() });
    let ca = params.self_signed(&key).map_err(rcgen)?;
    write(&dir.join("ca-key.pem"), &key.serialize_pem(), 0o600)?;
    write(&files.ca, &ca.pem(), 0o644)?;
    write(&dir.join("ca-scope"), &record.text(), 0o644)?;
    Ok((key, record))
}

/// The local CA's fixed part (subject, usages), the same each time, so its saved key signs
/// as the same issuer.
fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.distinguished_name.push(DnType::CommonName, "hr-sandbox local CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    params
}

/// From yesterday (a client's clock a little behind) to `expires`.
fn set_validity(params: &mut CertificateParams, today: NaiveDate, expires: NaiveDate) {
    let start = today.pred_opt().unwrap_or(today);
    for (field, date) in [(&mut params.not_before, start), (&mut params.not_after, expires)] {
        // A month (1 to 12) and a day (1 to 31) always fit a u8.
        *field = date_time_ymd(date.year(), date.month() as u8, date.day() as u8);
    }
}

/// The name subtree a CA permits for a certified name: a loopback address permits its whole
/// loopback range, another address itself, a DNS name itself and its subdomains.
fn subtree(name: &str) -> GeneralSubtree {
    match name.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) if ip.is_loopback() => {
            GeneralSubtree::IpAddress(CidrSubnet::V4([127, 0, 0, 0], [255, 0, 0, 0]))
        }
        Ok(IpAddr::V4(ip)) => GeneralSubtree::IpAddress(CidrSubnet::V4(ip.octets(), [255; 4])),
        Ok(IpAddr::V6(ip)) => GeneralSubtree::IpAddress(CidrSubnet::V6(ip.octets(), [255; 16])),
        Err(_) => GeneralSubtree::DnsName(dns_base(name)),
    }
}

/// Whether a CA made for `scope` may certify `name` (the same rule as [`subtree`]).
fn covers(scope: &[String], name: &str) -> bool {
    match name.parse::<IpAddr>() {
        Ok(ip) => scope
            .iter()
            .filter_map(|c| c.parse::<IpAddr>().ok())
            .any(|c| c == ip || (c.is_loopback() && ip.is_loopback() && c.is_ipv4() && ip.is_ipv4())),
        Err(_) => {
            let name = dns_base(name);
            scope
                .iter()
                .filter(|c| c.parse::<IpAddr>().is_err())
                .map(|c| dns_base(c))
                .any(|c| name == c || name.strip_suffix(c.as_str()).is_some_and(|rest| rest.ends_with('.')))
        }
    }
}

/// A DNS name as a constraint names it: lower-case, without a wildcard label.
fn dns_base(name: &str) -> String {
    name.trim_start_matches("*.").to_ascii_lowercase()
}

fn rcgen(e: rcgen::Error) -> String {
    format!("generating the TLS certificate: {e}")
}

/// The directory, made private to its owner when this makes it (an existing one is left as it is:
/// the keys in it are private anyway).
fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes `text` with `mode`, also when the file existed with another one.
fn write(path: &Path, text: &str, mode: u32) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("--tls-dir {}: {e}", path.display());
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(mode);
        let file = options.open(path).map_err(fail)?;
        file.set_permissions(fs::Permissions::from_mode(mode)).map_err(fail)?;
        (&file).write_all(text.as_bytes()).map_err(fail)
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        options.open(path).and_then(|mut file| file.write_all(text.as_bytes())).map_err(fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_names_as_the_constraints_do() {
        let scope: Vec<String> = ["localhost", "127.0.0.1", "::1", "sandbox.test", "10.0.0.7"].map(String::from).into();
        for name in ["localhost", "a.localhost", "127.9.9.9", "::1", "sandbox.test", "api.sandbox.test", "10.0.0.7"] {
            assert!(covers(&scope, name), "{name}");
        }
        for name in ["evil.example", "xsandbox.test", "10.0.0.8", "::2"] {
            assert!(!covers(&scope, name), "{name}");
        }
    }
}
