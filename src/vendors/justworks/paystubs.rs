//! Paystubs are derived, not stored: a payroll pays every paid member, so 24 payrolls of 100,000
//! members would be 2.4 million stored records. A paystub is a pure function of the seed, the
//! payroll and the member, computed when read; only the payrolls' totals are summed at seeding.
//! A paystub's UUID encodes which payroll and member it is (through a keyed permutation, so ids
//! look random) plus a keyed check, so `GET /v1/paystubs/{id}` finds it without an index and a
//! made-up id is a 404.

use super::model::{Line, Member, Payroll, Paystub, PaystubSummary};

/// Which members are paid, and the key of this seed's ids and overtime.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Paystubs {
    key: u64,
    /// Indexes into the members of those on payroll (employees and paid owners), in order.
    paid: Vec<u32>,
}

/// What one paystub adds up to, in cents.
#[derive(Debug, Clone, Copy)]
pub struct Amounts {
    /// Regular salary for the period.
    pub salary: i64,
    /// Overtime (about a third of the members each payroll, up to a tenth of the salary).
    pub overtime: i64,
    /// Federal income tax.
    pub federal: i64,
    /// FICA, matched by the employer.
    pub fica: i64,
    /// Health insurance, employee share.
    pub health: i64,
    /// Health insurance, employer share.
    pub employer_health: i64,
}

impl Amounts {
    /// Salary plus overtime.
    pub fn gross(&self) -> i64 {
        self.salary + self.overtime
    }

    /// Gross minus the employee deductions.
    pub fn net(&self) -> i64 {
        self.gross() - self.federal - self.fica - self.health
    }
}

impl Paystubs {
    /// The paid members of `members` under the seed's key.
    pub fn new(seed: u64, members: &[Member]) -> Self {
        let paid = members
            .iter()
            .enumerate()
            .filter(|(_, m)| matches!(m.kind.as_str(), "employee" | "paid_owner"))
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect();
        Self { key: mix(seed ^ 0x6a75_7374_776f_726b), paid }
    }

    /// Whether every paid index names one of `members` (a restored snapshot's check).
    pub fn pays_only(&self, members: usize) -> bool {
        self.paid.iter().all(|i| (*i as usize) < members)
    }

    /// How many members each payroll pays.
    pub fn per_payroll(&self) -> usize {
        self.paid.len()
    }

    /// The member index of the `k`th paid member.
    pub fn member_index(&self, k: usize) -> usize {
        self.paid[k] as usize
    }

    /// The amounts of payroll `p`'s paystub for paid member `k`.
    pub fn amounts(&self, p: usize, k: usize, member: &Member) -> Amounts {
        let salary = member.pay_amount / 24;
        let draw = mix(self.key ^ ((p as u64) << 40 | k as u64));
        let overtime = if draw.is_multiple_of(3) { ((draw >> 8) % (salary / 10).max(1) as u64) as i64 } else { 0 };
        let gross = salary + overtime;
        Amounts {
            salary,
            overtime,
            federal: gross * 12 / 100,
            fica: gross * 765 / 10_000,
            health: 12_500,
            employer_health: 37_500,
        }
    }

    /// Payroll `p`'s paystub summary for paid member `k` (what the payroll's list shows).
    pub fn summary(&self, payroll: &Payroll, p: usize, k: usize, member: &Member) -> PaystubSummary {
        self.summary_with(payroll, p, k, member, &self.amounts(p, k, member))
    }

    fn summary_with(&self, payroll: &Payroll, p: usize, k: usize, member: &Member, a: &Amounts) -> PaystubSummary {
        PaystubSummary {
            paystub_id: self.id(p, k),
            member_id: member.id.clone(),
            gross_pay: a.gross(),
            net_pay: a.net(),
            currency: "USD",
            pay_date: payroll.pay_date.clone(),
            pay_period_start: payroll.period_start.clone(),
            pay_period_end: payroll.pay_date.clone(),
            pay_group: "semimonthly".into(),
        }
    }

    /// Payroll `p`'s paystub for paid member `k`.
    pub fn stub(&self, payroll: &Payroll, p: usize, k: usize, member: &Member) -> Paystub {
        let a = self.amounts(p, k, member);
        let line = |name: &str, kind: &str, category: &str, amount: i64| Line {
            name: name.into(),
            kind: kind.into(),
            category: category.into(),
            amount,
            currency: "USD",
        };
        Paystub {
            summary: self.summary_with(payroll, p, k, member, &a),
            earnings: std::iter::once(line("Regular salary", "salary", "earnings", a.salary))
                .chain((a.overtime > 0).then(|| line("Overtime", "overtime", "earnings", a.overtime)))
                .collect(),
            employee_deductions: vec![
                line("Federal income tax", "federal_income_tax", "tax", a.federal),
                line("FICA", "fica", "tax", a.fica),
                line("Health insurance", "health_insurance", "benefit", a.health),
            ],
            employer_contributions: vec![
                line("Employer FICA", "fica", "tax", a.fica),
                line("Employer health insurance", "health_insurance", "benefit", a.employer_health),
            ],
        }
    }

    /// The version-4-shaped UUID of payroll `p`'s paystub for paid member `k`.
    pub fn id(&self, p: usize, k: usize) -> String {
        let x = permute(((p as u64) << 40) | k as u64, self.key);
        let check = mix(x ^ self.key);
        let (xs, cs) = (format!("{x:016x}"), format!("{check:016x}"));
        let raw = format!("{}4{}{}{}{}", &xs[..12], &xs[12..15], variant(check), &xs[15..], &cs[2..]);
        format!("{}-{}-{}-{}-{}", &raw[..8], &raw[8..12], &raw[12..16], &raw[16..20], &raw[20..])
    }

    /// The payroll and paid member a paystub id names, if it is one of this seed's.
    pub fn locate(&self, id: &str, payrolls: usize) -> Option<(usize, usize)> {
        let raw: String = id.chars().filter(|c| *c != '-').collect();
        if raw.len() != 32 || id.len() != 36 || !raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return None;
        }
        let x = u64::from_str_radix(&format!("{}{}{}", &raw[..12], &raw[13..16], &raw[17..18]), 16).ok()?;
        let check = mix(x ^ self.key);
        let cs = format!("{check:016x}");
        if raw.as_bytes()[12] != b'4' || raw[16..17] != *variant(check) || raw[18..] != cs[2..] {
            return None;
        }
        let v = unpermute(x, self.key);
        let (p, k) = ((v >> 40) as usize, (v & ((1 << 40) - 1)) as usize);
        (p < payrolls && k < self.paid.len()).then_some((p, k))
    }
}

/// RFC 4122's variant nibble (`8`..`b`), from two bits of the check.
fn variant(check: u64) -> &'static str {
    ["8", "9", "a", "b"][(check & 3) as usize]
}

/// SplitMix64's finalizer: a well-spread 64-bit hash.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

const ROUNDS: u64 = 4;

/// A keyed Feistel network: a bijection on 64 bits, so sequential inputs give random-looking ids.
fn permute(v: u64, key: u64) -> u64 {
    let (mut l, mut r) = ((v >> 32) as u32, v as u32);
    for round in 0..ROUNDS {
        (l, r) = (r, l ^ feistel(r, key, round));
    }
    (u64::from(l) << 32) | u64::from(r)
}

fn unpermute(x: u64, key: u64) -> u64 {
    let (mut l, mut r) = ((x >> 32) as u32, x as u32);
    for round in (0..ROUNDS).rev() {
        (l, r) = (r ^ feistel(l, key, round), l);
    }
    (u64::from(l) << 32) | u64::from(r)
}

fn feistel(half: u32, key: u64, round: u64) -> u32 {
    mix(u64::from(half) ^ key.rotate_left((round * 16) as u32)) as u32
}

#[cfg(test)]
mod tests {
    use super::{Paystubs, permute, unpermute};

    #[test]
    fn ids_round_trip_and_made_up_ones_are_refused() {
        let stubs = Paystubs { key: 0x1234_5678_9abc_def0, paid: (0..1000).collect() };
        for (p, k) in [(0, 0), (23, 999), (7, 512)] {
            let id = stubs.id(p, k);
            assert_eq!(id.len(), 36);
            assert_eq!(&id[14..15], "4", "{id} is version 4");
            assert_eq!(stubs.locate(&id, 24), Some((p, k)));
        }
        assert_eq!(permute(unpermute(42, 7), 7), 42);
        let mut forged = stubs.id(1, 1).into_bytes();
        forged[35] = if forged[35] == b'0' { b'1' } else { b'0' };
        assert_eq!(stubs.locate(std::str::from_utf8(&forged).expect("ascii"), 24), None);
        assert_eq!(stubs.locate(&stubs.id(24, 0), 24), None, "no 25th payroll");
        assert_eq!(stubs.locate("not-a-uuid", 24), None);
    }
}
