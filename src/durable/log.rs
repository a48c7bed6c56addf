//! The log's framing: each record is `[len u32 LE][crc32 u32 LE][payload]`, the payload one
//! JSON object. The first record of a file is its header (`{"format", "version", "generation"}`).
//! Reading tells a torn last record (a crash mid-append: dropped, reported, cut off) from a
//! damaged one in the middle (an error naming the file and offset).

use super::dir;
use serde_json::{Value, json};
use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;

/// The `format` of a log's header record.
pub const FORMAT: &str = "hr-sandbox-log";
/// The log version this build writes. Version 2 records hold a changed vendor part as its
/// delta (`"delta"`, see [`super::delta`]); version 1 held it whole (`"vendors"`), and is still
/// read. A build that reads only version 1 refuses a version 2 log (it would miss the deltas).
pub const VERSION: u64 = 2;
/// The oldest log version this build reads.
pub const OLDEST_READ: u64 = 1;
/// Largest record accepted: a bigger length field is damage (a whole state of 100,000 records
/// in five vendors is far below it).
pub const MAX_RECORD: usize = 1 << 30;

/// `payload` framed.
pub fn frame(payload: &[u8], out: &mut Vec<u8>) {
    // MAX_RECORD fits in u32; a record is never built bigger than the snapshot limit.
    let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
}

/// A log file's records after its header, each parsed, and where the good part ends.
pub struct Records {
    /// The records, in order.
    pub records: Vec<Value>,
    /// The length of the good part (a torn tail starts here).
    pub good_len: u64,
    /// Whether a torn last record was dropped.
    pub torn: bool,
    /// The version its header names (0: no header yet).
    pub version: u64,
}

/// Reads `file` (of generation `generation`): a torn last record is dropped and reported;
/// any other damage, or a header of another format or version, is an error naming the file.
pub fn read(file: &Path, generation: u64) -> io::Result<Records> {
    let bytes = std::fs::read(file).map_err(|e| dir::error(file, e))?;
    let mut records = Vec::new();
    let (good_len, torn, version) = scan(file, &bytes, generation, |at, payload| {
        records.push(parse(file, at, payload)?);
        Ok(())
    })?;
    Ok(Records { records, good_len, torn, version })
}

/// The records of sandbox `name` in the first `len` bytes of `file` (a synced prefix; a missing
/// file has none). Every record's checksum is checked, but only `name`'s are parsed: the others
/// are skipped by the name their payload starts with (see [`payload`]).
pub fn read_sandbox(file: &mut File, path: &Path, generation: u64, len: u64, name: &str) -> io::Result<Vec<Value>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    file.take(len).read_to_end(&mut bytes).map_err(|e| dir::error(path, e))?;
    let mut records = Vec::new();
    scan(path, &bytes, generation, |at, payload| {
        if sandbox_of(payload).is_none_or(|named| named == name) {
            let record = parse(path, at, payload)?;
            if record["sandbox"] == name {
                records.push(record);
            }
        }
        Ok(())
    })?;
    Ok(records)
}

/// A record's payload: the JSON object `body` with `"sandbox": name` written first, so a reader
/// looking for one sandbox skips the others without parsing them.
pub fn payload(name: &str, body: &[u8]) -> Vec<u8> {
    let name = serde_json::to_string(name).unwrap_or_default();
    let rest = body.strip_prefix(b"{").unwrap_or(body);
    let mut out = Vec::with_capacity(name.len() + body.len() + 12);
    out.extend_from_slice(b"{\"sandbox\":");
    out.extend_from_slice(name.as_bytes());
    if rest != b"}" {
        out.push(b',');
    }
    out.extend_from_slice(rest);
    out
}

/// The sandbox a payload written by [`payload`] starts with (`None`: another layout, parse it).
fn sandbox_of(payload: &[u8]) -> Option<String> {
    let rest = payload.strip_prefix(b"{\"sandbox\":")?;
    let mut de = serde_json::Deserializer::from_slice(rest);
    serde::Deserialize::deserialize(&mut de).ok()
}

fn parse(file: &Path, at: usize, payload: &[u8]) -> io::Result<Value> {
    serde_json::from_slice(payload).map_err(|e| dir::error(file, format!("record at byte {at} is not JSON ({e})")))
}

/// Walks the framed records of `bytes`, checking the header and each checksum, and gives each
/// record after the header to `each`: the good length, whether a torn tail was cut, and the
/// header's version.
fn scan(
    file: &Path,
    bytes: &[u8],
    generation: u64,
    mut each: impl FnMut(usize, &[u8]) -> io::Result<()>,
) -> io::Result<(u64, bool, u64)> {
    let mut at = 0usize;
    let mut torn = false;
    let mut version = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        // No record is empty: zeros to the end are an append whose blocks a power cut left
        // zero-filled (a checksum of nothing is 0, so they would read as empty records).
        if rest.iter().all(|&byte| byte == 0) {
            torn = true;
            break;
        }
        let whole = rest.len() >= 8 && {
            let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
            len <= MAX_RECORD && rest.len() >= 8 + len
        };
        if !whole {
            if let Some(why) = not_torn(rest) {
                return Err(dir::error(file, format!("damaged record at byte {at} ({why})")));
            }
            torn = true;
            break;
        }
        let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let crc = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
        let payload = &rest[8..8 + len];
        if crc32fast::hash(payload) != crc {
            if at + 8 + len == bytes.len() {
                torn = true;
                break;
            }
            return Err(dir::error(file, format!("damaged record at byte {at} (checksum mismatch)")));
        }
        if at == 0 {
            version = check_header(file, &parse(file, at, payload)?, generation)?;
        } else {
            each(at, payload)?;
        }
        at += 8 + len;
    }
    Ok((at as u64, torn, version))
}

/// Why `rest`, a record that runs past the end of the file, is not a torn append: its length
/// field is past what any record may be, or a whole record follows it (a crash cuts only the
/// last append, so a flipped length bit must not pass for one and drop every record after it).
fn not_torn(rest: &[u8]) -> Option<&'static str> {
    if rest.len() < 8 {
        return None;
    }
    let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
    if len > MAX_RECORD {
        return Some("a length past the largest record");
    }
    // Every record after the header starts with `{"sandbox":` (see `payload`).
    let follows = memchr::memmem::find_iter(&rest[8..], b"{\"sandbox\":").any(|found| {
        // That payload is at `found + 8` in `rest`, its frame 8 bytes before (past this record's).
        let frame = &rest[found..];
        let len = u32::from_le_bytes([frame[0], frame[1], frame[2], frame[3]]) as usize;
        let crc = u32::from_le_bytes([frame[4], frame[5], frame[6], frame[7]]);
        found >= 8 && len <= MAX_RECORD && frame.get(8..8 + len).is_some_and(|payload| crc32fast::hash(payload) == crc)
    });
    follows.then_some("its length runs past a whole record that follows it")
}

fn check_header(file: &Path, header: &Value, generation: u64) -> io::Result<u64> {
    if header["format"] != FORMAT {
        return Err(dir::error(file, format!("not an hr-sandbox log (its header's format is not \"{FORMAT}\")")));
    }
    match header["version"].as_u64() {
        Some(version) if (OLDEST_READ..=VERSION).contains(&version) => {}
        Some(other) => {
            return Err(dir::error(
                file,
                format!(
                    "log version {other} is not supported: this hr-sandbox reads versions {OLDEST_READ} to {VERSION}"
                ),
            ));
        }
        None => return Err(dir::error(file, "its header has no version")),
    }
    if header["generation"].as_u64() != Some(generation) {
        return Err(dir::error(file, "its header names another generation"));
    }
    Ok(header["version"].as_u64().unwrap_or_default())
}

/// The open log being appended to.
pub struct Appender {
    file: File,
    #[cfg(debug_assertions)]
    fail_marker: std::path::PathBuf,
    /// Bytes in the file (all of them synced).
    pub len: u64,
}

impl Appender {
    /// Opens `file` for appending after `good_len` bytes (cutting a torn tail off), writing
    /// its header first when it is new.
    pub fn open(file: &Path, generation: u64, good_len: u64) -> io::Result<Self> {
        let handle = OpenOptions::new().create(true).read(true).write(true).truncate(false).open(file)?;
        handle.set_len(good_len)?;
        let mut log = Self {
            file: handle,
            #[cfg(debug_assertions)]
            fail_marker: file.with_file_name("FAIL-WRITES"),
            len: good_len,
        };
        log.file.seek(SeekFrom::Start(good_len))?;
        if good_len == 0 {
            let header = json!({"format": FORMAT, "version": VERSION, "generation": generation});
            let mut bytes = Vec::new();
            frame(header.to_string().as_bytes(), &mut bytes);
            log.append(&bytes)?;
            dir::sync_dir(file.parent().unwrap_or(Path::new(".")))?;
        } else {
            log.file.sync_data()?;
        }
        Ok(log)
    }

    /// Appends framed bytes and syncs them; on failure the file is cut back to what was synced,
    /// so nothing half-written stays.
    pub fn append(&mut self, framed: &[u8]) -> io::Result<()> {
        // A testing aid of debug builds only (a full disk cannot be made here without root):
        // while DIR/FAIL-WRITES exists, every append fails as a full disk does.
        #[cfg(debug_assertions)]
        if self.fail_marker.exists() {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "No space left on device (injected: FAIL-WRITES)"));
        }
        let written = self.file.write_all(framed).and_then(|()| self.file.sync_data());
        match written {
            Ok(()) => {
                self.len += framed.len() as u64;
                Ok(())
            }
            Err(e) => {
                let _ = self.file.set_len(self.len);
                let _ = self.file.seek(SeekFrom::Start(self.len));
                let _ = self.file.sync_data();
                Err(e)
            }
        }
    }
}
