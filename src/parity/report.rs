//! The parity report: Markdown (stdout or `--report x.md`), JSON (`--report x.json`) and JUnit
//! XML (`--junit`, one test case per exchange, escaped by hand: five characters and the
//! control characters XML 1.0 cannot carry).

use super::compare::Difference;
use serde::Serialize;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The recording.
    pub file: String,
    /// Vendor id.
    pub vendor: String,
    /// The vendor's base URL replayed against.
    pub target: String,
    /// Exchanges replayed.
    pub replayed: usize,
    /// Exchanges whose answers match (accepted differences aside).
    pub matched: usize,
    /// Entries not under the recorded base URL, not replayed.
    pub skipped: usize,
    /// Per operation, in order of first appearance.
    pub operations: Vec<Operation>,
    /// Every exchange.
    pub exchanges: Vec<Exchange>,
}

/// Counts of one operation.
#[derive(Debug, Serialize)]
pub struct Operation {
    /// `METHOD /template`.
    pub operation: String,
    /// Exchanges.
    pub exchanges: usize,
    /// Those that match.
    pub matched: usize,
}

/// One replayed exchange.
#[derive(Debug, Serialize)]
pub struct Exchange {
    /// 1-based position in the recording (skipped entries counted).
    pub index: usize,
    /// `METHOD /template`.
    pub operation: String,
    /// The recorded method and path with query.
    pub request: String,
    /// Recorded status.
    pub recorded_status: u16,
    /// The sandbox's status.
    pub sandbox_status: u16,
    /// What differs (accepted ones included, marked).
    pub differences: Vec<Difference>,
}

impl Exchange {
    /// No difference that is not accepted.
    pub fn matches(&self) -> bool {
        self.differences.iter().all(|d| d.accepted.is_some())
    }
}

impl Report {
    /// Counts the operations and matches from the exchanges.
    pub fn tally(&mut self) {
        self.matched = self.exchanges.iter().filter(|e| e.matches()).count();
        let mut operations: Vec<Operation> = Vec::new();
        for exchange in &self.exchanges {
            let index = match operations.iter().position(|o| o.operation == exchange.operation) {
                Some(index) => index,
                None => {
                    operations.push(Operation { operation: exchange.operation.clone(), exchanges: 0, matched: 0 });
                    operations.len() - 1
                }
            };
            operations[index].exchanges += 1;
            operations[index].matched += usize::from(exchange.matches());
        }
        self.operations = operations;
    }

    /// Whether nothing differs.
    pub fn clean(&self) -> bool {
        self.matched == self.replayed
    }

    /// The Markdown report.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "# Parity: {} ({})\n\nReplayed {} exchanges against {}: {} match, {} differ{}.\n\n",
            self.file,
            self.vendor,
            self.replayed,
            self.target,
            self.matched,
            self.replayed - self.matched,
            if self.skipped > 0 {
                format!("; {} entries skipped (not under the recorded base URL)", self.skipped)
            } else {
                String::new()
            },
        );
        out.push_str("| operation | exchanges | match |\n| --- | --- | --- |\n");
        for op in &self.operations {
            out.push_str(&format!("| `{}` | {} | {} |\n", op.operation, op.exchanges, op.matched));
        }
        let differing: Vec<&Exchange> = self.exchanges.iter().filter(|e| !e.differences.is_empty()).collect();
        if !differing.is_empty() {
            out.push_str("\n## Differences\n");
        }
        for exchange in differing {
            out.push_str(&format!(
                "\n### Exchange {}: `{}` (`{}`)\n\n| path | recorded | sandbox | rule |\n| --- | --- | --- | --- |\n",
                exchange.index, exchange.operation, exchange.request
            ));
            for d in &exchange.differences {
                let rule = match &d.accepted {
                    Some(reason) => format!("{} (accepted: {})", d.rule, cell(reason)),
                    None => d.rule.to_owned(),
                };
                out.push_str(&format!(
                    "| `{}` | {} | {} | {rule} |\n",
                    cell(&d.path),
                    code(&d.recorded),
                    code(&d.sandbox)
                ));
            }
        }
        out
    }

    /// The JSON report.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The JUnit XML report: one suite, one test case per exchange, a failure per differing one.
    pub fn junit(&self) -> String {
        let failures = self.replayed - self.matched;
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hr-sandbox parity\" tests=\"{}\" failures=\"{failures}\">\n\
             <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"0\">\n",
            self.replayed,
            xml(&format!("parity {} {}", self.vendor, self.file)),
            self.replayed
        );
        for e in &self.exchanges {
            out.push_str(&format!(
                "  <testcase classname=\"{}\" name=\"{}\">",
                xml(&format!("{}.{}", self.vendor, e.operation)),
                xml(&format!("#{} {}", e.index, e.request))
            ));
            if !e.matches() {
                let text: Vec<String> = e
                    .differences
                    .iter()
                    .filter(|d| d.accepted.is_none())
                    .map(|d| format!("{} ({}): recorded {} / sandbox {}", d.path, d.rule, d.recorded, d.sandbox))
                    .collect();
                out.push_str(&format!(
                    "\n    <failure message=\"{}\">{}</failure>\n  ",
                    xml(&format!("{} difference(s)", text.len())),
                    xml(&text.join("\n"))
                ));
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("</testsuite>\n</testsuites>\n");
        out
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn code(text: &str) -> String {
    if text == "(absent)" { text.to_owned() } else { format!("`{}`", cell(text).replace('`', "'")) }
}

/// Text escaped for an XML attribute or element; characters XML 1.0 cannot hold become `?`.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('?'),
            c => out.push(c),
        }
    }
    out
}
