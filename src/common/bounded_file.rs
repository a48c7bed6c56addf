//! Reading a file named on the command line without trusting it: only a regular file is read
//! (a FIFO would block the start forever, `/dev/zero` would never end), and only up to a size.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Largest certificate chain or key file read (`--tls-cert`, `--tls-key`, `--outbound-ca`; a
/// real chain is a few KiB).
pub const PEM_LIMIT: usize = 1024 * 1024;

/// The bytes of the regular file at `path`, refused when it is something else (a device, a
/// FIFO, a directory) or larger than `limit` bytes.
pub fn read(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    // `stat` first: opening a FIFO for reading blocks until a writer comes.
    regular(&std::fs::metadata(path)?)?;
    let file = open_without_blocking(path)?;
    // Checked again on what was opened, in case the path changed in between.
    let metadata = file.metadata()?;
    regular(&metadata)?;
    let too_large = || io::Error::new(io::ErrorKind::InvalidInput, format!("larger than {limit} bytes"));
    if usize::try_from(metadata.len()).map_or(true, |len| len > limit) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    file.take(cap).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The file at `path` as UTF-8 text, with [`read`]'s checks.
pub fn read_text(path: &Path, limit: usize) -> io::Result<String> {
    String::from_utf8(read(path, limit)?).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

fn regular(metadata: &std::fs::Metadata) -> io::Result<()> {
    if metadata.is_file() { Ok(()) } else { Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file")) }
}

fn open_without_blocking(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_large_files_are_refused() {
        assert_eq!(read(Path::new("/dev/zero"), 10).map_err(|e| e.to_string()), Err("not a regular file".into()));
        assert!(read(Path::new("/"), 10).is_err());
        let dir = std::env::temp_dir().join(format!("hr-sandbox-bounded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read(&file, 10).unwrap(), b"0123456789");
        assert_eq!(read(&file, 9).map_err(|e| e.to_string()), Err("larger than 9 bytes".into()));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
