//! The report's tables, computed with polars' lazy API. polars is imported in
//! this module only; what leaves it is plain structs. `plain` is a polars-free
//! oracle the tests compare against.

use polars::prelude::*;
use serde::Serialize;

/// One connection, reduced to what the report aggregates.
#[derive(Debug, Clone)]
pub struct ConnFacts {
    /// Year connected; 0 when unknown.
    pub year: i32,
    pub context: &'static str,
    pub decision: &'static str,
    pub coverage: &'static str,
    pub company: String,
}

/// One invitation, reduced likewise.
#[derive(Debug, Clone)]
pub struct InvFacts {
    pub direction: &'static str,
    pub note: &'static str,
    pub status: &'static str,
    pub action: &'static str,
}

/// Counts keyed by one or more labels, sorted by key.
pub type Counts = Vec<(Vec<String>, u32)>;

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Tables {
    /// (year, context) -> connections.
    pub by_year_context: Counts,
    pub by_decision: Counts,
    pub by_context: Counts,
    pub by_coverage: Counts,
    /// (direction, note, status) -> invitations.
    pub by_invitation_note: Counts,
    pub by_action: Counts,
    /// The companies most represented among unlink candidates, most first.
    pub unlink_companies: Counts,
}

/// How many companies the unlink chart shows.
pub const TOP_COMPANIES: usize = 10;

/// Compute the tables with polars.
pub fn aggregate(conns: &[ConnFacts], invs: &[InvFacts]) -> PolarsResult<Tables> {
    let c = df!(
        "year" => conns.iter().map(|c| c.year).collect::<Vec<i32>>(),
        "context" => conns.iter().map(|c| c.context).collect::<Vec<&str>>(),
        "decision" => conns.iter().map(|c| c.decision).collect::<Vec<&str>>(),
        "coverage" => conns.iter().map(|c| c.coverage).collect::<Vec<&str>>(),
        "company" => conns.iter().map(|c| c.company.trim()).collect::<Vec<&str>>(),
    )?;
    let i = df!(
        "direction" => invs.iter().map(|i| i.direction).collect::<Vec<&str>>(),
        "note" => invs.iter().map(|i| i.note).collect::<Vec<&str>>(),
        "status" => invs.iter().map(|i| i.status).collect::<Vec<&str>>(),
        "action" => invs.iter().map(|i| i.action).collect::<Vec<&str>>(),
    )?;
    let unlink = c
        .clone()
        .lazy()
        .filter(
            col("decision")
                .eq(lit("unlink"))
                .and(col("company").neq(lit(""))),
        )
        .group_by([col("company")])
        .agg([len().alias("n")])
        .sort(
            ["n", "company"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .limit(TOP_COMPANIES as IdxSize)
        .collect()?;
    Ok(Tables {
        by_year_context: count(&c, &["year", "context"])?,
        by_decision: count(&c, &["decision"])?,
        by_context: count(&c, &["context"])?,
        by_coverage: count(&c, &["coverage"])?,
        by_invitation_note: count(&i, &["direction", "note", "status"])?,
        by_action: count(&i, &["action"])?,
        unlink_companies: rows(&unlink, &["company"])?,
    })
}

/// Group by `keys`, count, sort by the keys.
fn count(df: &DataFrame, keys: &[&str]) -> PolarsResult<Counts> {
    let out = df
        .clone()
        .lazy()
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg([len().alias("n")])
        .sort(
            keys.iter()
                .map(|k| PlSmallStr::from(*k))
                .collect::<Vec<_>>(),
            SortMultipleOptions::default(),
        )
        .collect()?;
    rows(&out, keys)
}

/// Read a grouped frame back into plain rows.
fn rows(df: &DataFrame, keys: &[&str]) -> PolarsResult<Counts> {
    let n = df.column("n")?.cast(&DataType::UInt32)?;
    let n = n.u32()?;
    let key_cols: Vec<Vec<String>> = keys
        .iter()
        .map(|k| {
            let c = df.column(k)?;
            Ok(match c.dtype() {
                DataType::String => {
                    let s = c.str()?;
                    (0..df.height())
                        .map(|r| s.get(r).unwrap_or("").to_string())
                        .collect()
                }
                _ => {
                    let n = c.cast(&DataType::Int64)?;
                    let n = n.i64()?;
                    (0..df.height())
                        .map(|r| n.get(r).map(|x| x.to_string()).unwrap_or_default())
                        .collect()
                }
            })
        })
        .collect::<PolarsResult<_>>()?;
    Ok((0..df.height())
        .map(|r| {
            (
                key_cols.iter().map(|k| k[r].clone()).collect(),
                n.get(r).unwrap_or(0),
            )
        })
        .collect())
}

/// The same tables in plain Rust: the oracle for tests, and the reference for
/// what each table means.
pub fn plain(conns: &[ConnFacts], invs: &[InvFacts]) -> Tables {
    use std::collections::BTreeMap;
    fn tally(keys: impl Iterator<Item = Vec<String>>) -> Counts {
        let mut m: BTreeMap<Vec<String>, u32> = BTreeMap::new();
        for k in keys {
            *m.entry(k).or_default() += 1;
        }
        m.into_iter().collect()
    }
    // Year sorts numerically in polars; BTreeMap on strings would not.
    let mut by_year: BTreeMap<(i32, String), u32> = BTreeMap::new();
    for c in conns {
        *by_year.entry((c.year, c.context.to_string())).or_default() += 1;
    }
    let mut companies = tally(
        conns
            .iter()
            .filter(|c| c.decision == "unlink" && !c.company.trim().is_empty())
            .map(|c| vec![c.company.trim().to_string()]),
    );
    companies.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    companies.truncate(TOP_COMPANIES);
    Tables {
        by_year_context: by_year
            .into_iter()
            .map(|((y, c), n)| (vec![y.to_string(), c], n))
            .collect(),
        by_decision: tally(conns.iter().map(|c| vec![c.decision.to_string()])),
        by_context: tally(conns.iter().map(|c| vec![c.context.to_string()])),
        by_coverage: tally(conns.iter().map(|c| vec![c.coverage.to_string()])),
        by_invitation_note: tally(invs.iter().map(|i| {
            vec![
                i.direction.to_string(),
                i.note.to_string(),
                i.status.to_string(),
            ]
        })),
        by_action: tally(invs.iter().map(|i| vec![i.action.to_string()])),
        unlink_companies: companies,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CTX: [&str; 4] = ["none", "weak", "moderate", "strong"];
    const DEC: [&str; 3] = ["keep", "review", "unlink"];
    const COV: [&str; 3] = ["low", "partial", "high"];
    const DIR: [&str; 2] = ["incoming", "outgoing"];
    const NOTE: [&str; 4] = ["none", "default", "personal", "pitch"];
    const ST: [&str; 2] = ["accepted", "pending"];
    const ACT: [&str; 6] = ["accept", "ignore", "reply", "withdraw", "wait", "none"];

    fn conn() -> impl Strategy<Value = ConnFacts> {
        (
            prop_oneof![Just(0), 1998..2027i32],
            0..4usize,
            0..3usize,
            0..3usize,
            prop_oneof![
                Just(String::new()),
                "[A-C][a-c]{0,2}",
                Just(" Acme ".to_string())
            ],
        )
            .prop_map(|(year, c, d, v, company)| ConnFacts {
                year,
                context: CTX[c],
                decision: DEC[d],
                coverage: COV[v],
                company,
            })
    }

    fn inv() -> impl Strategy<Value = InvFacts> {
        (0..2usize, 0..4usize, 0..2usize, 0..6usize).prop_map(|(d, n, s, a)| InvFacts {
            direction: DIR[d],
            note: NOTE[n],
            status: ST[s],
            action: ACT[a],
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn polars_matches_the_plain_oracle(conns in proptest::collection::vec(conn(), 0..200), invs in proptest::collection::vec(inv(), 0..80)) {
            prop_assert_eq!(aggregate(&conns, &invs).unwrap(), plain(&conns, &invs));
        }
    }

    #[test]
    fn empty_inputs_give_empty_tables() {
        assert_eq!(aggregate(&[], &[]).unwrap(), Tables::default());
    }
}
