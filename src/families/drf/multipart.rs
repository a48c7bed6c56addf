//! `MultiPartParser`: a `multipart/form-data` body (RFC 7578) read into its fields, as Django's
//! parser fills `request.data`. File parts go to `request.FILES`, which the emulated views never
//! read, so they are left out. Errors carry Django's `MultiPartParserError` texts behind DRF's
//! `Multipart form parse error - ` prefix.

use memchr::memmem;

/// The text fields in order, or the reason the body cannot be read.
pub fn fields(content_type: &str, body: &[u8]) -> Result<Vec<(String, String)>, String> {
    let boundary = boundary(content_type).ok_or_else(|| "Invalid boundary in multipart: None".to_owned())?;
    let delimiter = format!("--{boundary}");
    let finder = memmem::Finder::new(delimiter.as_bytes());
    let starts: Vec<usize> = finder.find_iter(body).collect();
    if starts.is_empty() {
        return Err("Invalid boundary in multipart: None".into());
    }
    let mut fields = Vec::new();
    for pair in starts.windows(2) {
        let part = &body[pair[0] + delimiter.len()..pair[1]];
        let part = part.strip_prefix(b"\r\n").ok_or("Invalid part in multipart")?;
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        let split = memmem::find(part, b"\r\n\r\n").ok_or("Invalid part in multipart")?;
        let (head, value) = (&part[..split], &part[split + 4..]);
        let head = std::str::from_utf8(head).map_err(|_| "Invalid part header in multipart")?;
        let Some(disposition) = head.split("\r\n").find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim().eq_ignore_ascii_case("content-disposition").then_some(value)
        }) else {
            continue;
        };
        if parameter(disposition, "filename").is_some() {
            continue;
        }
        let Some(name) = parameter(disposition, "name") else { continue };
        let value = String::from_utf8(value.to_vec()).map_err(|_| "Invalid field value in multipart")?;
        fields.push((name, value));
    }
    Ok(fields)
}

/// `boundary=` of the Content-Type, quoted or not; RFC 2046 allows 1 to 70 characters.
fn boundary(content_type: &str) -> Option<String> {
    parameter(content_type, "boundary").filter(|b| (1..=70).contains(&b.len()))
}

/// A `; name=value` parameter of a header value.
fn parameter(header: &str, wanted: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim().eq_ignore_ascii_case(wanted).then(|| value.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::fields;

    #[test]
    fn text_fields_in_order_files_left_out() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"first_name\"\r\n\r\nAna\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"cv.txt\"\r\nContent-Type: text/plain\r\n\r\nfile\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nana@x.test\r\n--XyZ--\r\n";
        let parsed = fields("multipart/form-data; boundary=XyZ", body.as_bytes()).expect("fields");
        assert_eq!(parsed, vec![("first_name".into(), "Ana".into()), ("email".into(), "ana@x.test".into())]);
        assert_eq!(fields("multipart/form-data", b"x").unwrap_err(), "Invalid boundary in multipart: None");
        assert!(fields("multipart/form-data; boundary=XyZ", b"--XyZ\r\nbroken--XyZ--").is_err());
    }
}
