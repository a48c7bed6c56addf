//! Django's `EmailValidator`, which every vendor here applies to email fields (the Django ones
//! natively, the Java ones through the references' examples).

/// Django's `EmailValidator` (dot-atom local part, domain with a 2+ letter TLD, `localhost`, or an IP literal).
pub fn valid_email(value: &str) -> bool {
    if value.is_empty() || value.len() > 320 {
        return false;
    }
    let Some((user, domain)) = value.rsplit_once('@') else { return false };
    let atom_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{}|~-".contains(c);
    let user_ok = !user.is_empty() && user.split('.').all(|atom| !atom.is_empty() && atom.chars().all(atom_char));
    user_ok && (domain == "localhost" || valid_domain(domain) || valid_ip_literal(domain))
}

fn valid_domain(domain: &str) -> bool {
    let Some((labels, tld)) = domain.rsplit_once('.') else { return false };
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let tld_ok = (2..=63).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !tld.ends_with('-');
    tld_ok && labels.split('.').all(label_ok)
}

fn valid_ip_literal(domain: &str) -> bool {
    domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')).is_some_and(|ip| ip.parse::<std::net::IpAddr>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_email_follows_django() {
        assert!(valid_email("x@localhost"));
        assert!(valid_email("jamie.rivera@acme.test"));
        assert!(valid_email("a+b@[127.0.0.1]"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a..b@acme.test"));
        assert!(!valid_email("no-at-sign"));
        assert!(!valid_email("a@-acme.test"));
    }
}
