//! The report's tables, computed with polars' lazy API. polars is imported in
//! this module only; what leaves it is plain structs. `plain` is a polars-free
//! oracle the tests compare against.

use crate::ingest::Direction;
use crate::judge::{Action, Context, Coverage, Decision};
use crate::labels::{Label, Status};
use crate::notes::NoteClass;
use polars::prelude::*;
use serde::Serialize;

/// One connection, reduced to what the report aggregates.
#[derive(Debug, Clone)]
pub struct ConnFacts {
    /// Year connected; 0 when unknown.
    pub year: i32,
    pub context: Context,
    pub decision: Decision,
    pub coverage: Coverage,
    pub company: String,
    pub position: String,
}

/// One invitation, reduced likewise.
#[derive(Debug, Clone)]
pub struct InvFacts {
    pub direction: Direction,
    pub note: NoteClass,
    pub status: Status,
    pub action: Action,
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
    /// The companies and positions most represented in the whole network.
    pub companies: Counts,
    pub positions: Counts,
}

/// How many companies the unlink chart shows.
pub const TOP_COMPANIES: usize = 10;

/// A label column as small integer codes: each distinct label's code is its
/// rank among the column's labels, so sorting by code sorts by label, and
/// polars groups integers rather than strings.
struct Codes {
    labels: Vec<&'static str>,
    codes: Vec<u32>,
}

impl Codes {
    fn of<L: Label>(column: impl Iterator<Item = L> + Clone) -> Codes {
        let column = column.map(L::label);
        let mut labels: Vec<&'static str> = Vec::new();
        for l in column.clone() {
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        labels.sort_unstable();
        let codes = column
            .map(|l| labels.iter().position(|x| *x == l).unwrap_or(0) as u32)
            .collect();
        Codes { labels, codes }
    }

    fn code(&self, value: impl Label) -> Option<u32> {
        self.labels
            .iter()
            .position(|x| *x == value.label())
            .map(|i| i as u32)
    }
}

/// Compute the tables with polars: each frame is grouped once by all its
/// label columns, and each table is a sum over that small grouped frame.
pub fn aggregate(conns: &[ConnFacts], invs: &[InvFacts]) -> PolarsResult<Tables> {
    let context = Codes::of(conns.iter().map(|c| c.context));
    let decision = Codes::of(conns.iter().map(|c| c.decision));
    let coverage = Codes::of(conns.iter().map(|c| c.coverage));
    let direction = Codes::of(invs.iter().map(|i| i.direction));
    let note = Codes::of(invs.iter().map(|i| i.note));
    let status = Codes::of(invs.iter().map(|i| i.status));
    let action = Codes::of(invs.iter().map(|i| i.action));
    let c = df!(
        "year" => conns.iter().map(|c| c.year).collect::<Vec<i32>>(),
        "context" => &context.codes,
        "decision" => &decision.codes,
        "coverage" => &coverage.codes,
        "company" => conns.iter().map(|c| c.company.trim()).collect::<Vec<&str>>(),
        "position" => conns.iter().map(|c| c.position.trim()).collect::<Vec<&str>>(),
    )?;
    let i = df!(
        "direction" => &direction.codes,
        "note" => &note.codes,
        "status" => &status.codes,
        "action" => &action.codes,
    )?;
    let unlink = match decision.code(Decision::Unlink) {
        Some(code) => top(&c, "company", Some(col("decision").eq(lit(code))))?,
        None => DataFrame::empty(),
    };
    let companies = top(&c, "company", None)?;
    let positions = top(&c, "position", None)?;
    let conn_groups = group(c, &["year", "context", "decision", "coverage"])?;
    let inv_groups = group(i, &["direction", "note", "status", "action"])?;
    let year = Key::Number("year");
    Ok(Tables {
        by_year_context: count(&conn_groups, &[year, Key::Coded("context", &context)])?,
        by_decision: count(&conn_groups, &[Key::Coded("decision", &decision)])?,
        by_context: count(&conn_groups, &[Key::Coded("context", &context)])?,
        by_coverage: count(&conn_groups, &[Key::Coded("coverage", &coverage)])?,
        by_invitation_note: count(
            &inv_groups,
            &[
                Key::Coded("direction", &direction),
                Key::Coded("note", &note),
                Key::Coded("status", &status),
            ],
        )?,
        by_action: count(&inv_groups, &[Key::Coded("action", &action)])?,
        unlink_companies: rows(&unlink, &[Key::Text("company")])?,
        companies: rows(&companies, &[Key::Text("company")])?,
        positions: rows(&positions, &[Key::Text("position")])?,
    })
}

/// The [`TOP_COMPANIES`] most frequent non-empty values of a text column
/// (among the rows `only` keeps), most first, ties by value.
fn top(c: &DataFrame, column: &str, only: Option<Expr>) -> PolarsResult<DataFrame> {
    let mut keep = col(column).neq(lit(""));
    if let Some(e) = only {
        keep = keep.and(e);
    }
    c.clone()
        .lazy()
        .filter(keep)
        .group_by([col(column)])
        .agg([len().alias("n")])
        .sort(
            ["n", column],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .limit(TOP_COMPANIES as IdxSize)
        .collect()
}

/// A key column of a grouped frame, and how to read it back.
#[derive(Clone, Copy)]
enum Key<'a> {
    Number(&'static str),
    Text(&'static str),
    Coded(&'static str, &'a Codes),
}

impl Key<'_> {
    fn name(&self) -> &'static str {
        match self {
            Key::Number(n) | Key::Text(n) | Key::Coded(n, _) => n,
        }
    }
}

/// Group by `keys` and count the rows of each group, as `n`.
fn group(df: DataFrame, keys: &[&str]) -> PolarsResult<DataFrame> {
    df.lazy()
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg([len().alias("n")])
        .collect()
}

/// Sum a grouped frame's counts by `keys`, sorted by the keys.
fn count(groups: &DataFrame, keys: &[Key<'_>]) -> PolarsResult<Counts> {
    let out = groups
        .clone()
        .lazy()
        .group_by(keys.iter().map(|k| col(k.name())).collect::<Vec<_>>())
        .agg([col("n").sum()])
        .sort(
            keys.iter()
                .map(|k| PlSmallStr::from(k.name()))
                .collect::<Vec<_>>(),
            SortMultipleOptions::default(),
        )
        .collect()?;
    rows(&out, keys)
}

/// Read a grouped frame back into plain rows.
fn rows(df: &DataFrame, keys: &[Key<'_>]) -> PolarsResult<Counts> {
    if df.height() == 0 {
        return Ok(Vec::new());
    }
    let n = df.column("n")?.cast(&DataType::UInt32)?;
    let n = n.u32()?;
    let key_cols: Vec<Vec<String>> = keys
        .iter()
        .map(|k| {
            let c = df.column(k.name())?;
            Ok(match k {
                Key::Text(_) => {
                    let s = c.str()?;
                    (0..df.height())
                        .map(|r| s.get(r).unwrap_or("").to_string())
                        .collect()
                }
                Key::Number(_) => {
                    let n = c.cast(&DataType::Int64)?;
                    let n = n.i64()?;
                    (0..df.height())
                        .map(|r| n.get(r).map(|x| x.to_string()).unwrap_or_default())
                        .collect()
                }
                Key::Coded(_, codes) => {
                    let n = c.cast(&DataType::UInt32)?;
                    let n = n.u32()?;
                    (0..df.height())
                        .map(|r| {
                            n.get(r)
                                .and_then(|x| codes.labels.get(x as usize))
                                .unwrap_or(&"")
                                .to_string()
                        })
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
#[cfg(test)]
fn plain(conns: &[ConnFacts], invs: &[InvFacts]) -> Tables {
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
        *by_year
            .entry((c.year, c.context.as_str().to_string()))
            .or_default() += 1;
    }
    let top = |keep: &dyn Fn(&ConnFacts) -> bool, value: &dyn Fn(&ConnFacts) -> &str| {
        let mut t = tally(
            conns
                .iter()
                .filter(|c| keep(c) && !value(c).trim().is_empty())
                .map(|c| vec![value(c).trim().to_string()]),
        );
        t.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        t.truncate(TOP_COMPANIES);
        t
    };
    Tables {
        by_year_context: by_year
            .into_iter()
            .map(|((y, c), n)| (vec![y.to_string(), c], n))
            .collect(),
        by_decision: tally(conns.iter().map(|c| vec![c.decision.as_str().to_string()])),
        by_context: tally(conns.iter().map(|c| vec![c.context.as_str().to_string()])),
        by_coverage: tally(conns.iter().map(|c| vec![c.coverage.as_str().to_string()])),
        by_invitation_note: tally(invs.iter().map(|i| {
            vec![
                i.direction.as_str().to_string(),
                i.note.as_str().to_string(),
                i.status.as_str().to_string(),
            ]
        })),
        by_action: tally(invs.iter().map(|i| vec![i.action.as_str().to_string()])),
        unlink_companies: top(&|c| c.decision == Decision::Unlink, &|c| &c.company),
        companies: top(&|_| true, &|c| &c.company),
        positions: top(&|_| true, &|c| &c.position),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
            prop_oneof![Just(String::new()), "[D-E][d-e]{0,2}"],
        )
            .prop_map(|(year, c, d, v, company, position)| ConnFacts {
                year,
                context: Context::ALL[c],
                decision: Decision::ALL[d],
                coverage: Coverage::ALL[v],
                company,
                position,
            })
    }

    fn inv() -> impl Strategy<Value = InvFacts> {
        (0..2usize, 0..4usize, 0..2usize, 0..6usize).prop_map(|(d, n, s, a)| InvFacts {
            direction: Direction::ALL[d],
            note: NoteClass::ALL[n],
            status: Status::ALL[s],
            action: Action::ALL[a],
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
