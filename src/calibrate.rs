//! Learning the owner's line: compare the owner's decisions with the tool's
//! verdicts, and fit the policy's unlink line to them.
//!
//! The fit is a coordinate search over a small grid per setting: the keep
//! line (`moderate_at`), the grace period, and the weights of the signals
//! the safety rules do not cover, each weight only where enough decided
//! people carry its signal. The safety rules are not settings: two-way
//! messages, a recommendation, a personal note and shared tenure keep a
//! connection whatever the policy says (see [`judge::decide`]), so no fit
//! can unlink them.
//!
//! A change is taken only when it agrees with strictly more of the
//! decisions, and a decision the owner kept that the tool would unlink costs
//! more than any other disagreement: the fit errs toward keep.

use crate::decisions::Choice;
use crate::evidence::Evidence;
use crate::ingest::Connection;
use crate::judge::{self, Decision, Scope};
use crate::policy::Policy;
use rayon::prelude::*;
use serde::Serialize;

/// Fewer decisions than this fit noise, not a line.
pub const MIN_DECISIONS: usize = 30;
/// A weight moves only when at least this many decided people carry its
/// signal.
pub const MIN_SUPPORT: usize = 5;

/// How the tool's verdicts meet the owner's decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// Decisions compared.
    pub decisions: usize,
    /// The tool's verdict is the owner's decision.
    pub agreed: usize,
    /// The tool says `review` (it left the question to the owner).
    pub review: usize,
    /// The owner kept someone the tool would unlink: the costly miss.
    pub kept_but_unlink: usize,
    /// The owner unlinked someone the tool would keep.
    pub unlinked_but_keep: usize,
}

impl Agreement {
    /// The share of decisions the tool agrees with.
    pub fn share(&self) -> f64 {
        if self.decisions == 0 {
            0.0
        } else {
            self.agreed as f64 / self.decisions as f64
        }
    }

    /// What the fit maximises: agreement, half credit for `review`, and a
    /// heavy cost for unlinking someone the owner kept.
    fn objective(&self) -> i64 {
        2 * self.agreed as i64 + self.review as i64 - 4 * self.kept_but_unlink as i64
    }

    /// "41 of 60 (68.3%)".
    pub fn describe(&self) -> String {
        format!(
            "{} of {} ({:.1}%); {} left to review; {} you kept would be unlinked; {} you unlinked would be kept",
            self.agreed,
            self.decisions,
            self.share() * 100.0,
            self.review,
            self.kept_but_unlink,
            self.unlinked_but_keep
        )
    }
}

/// One decided connection: where it is in the export, and what the owner chose.
#[derive(Debug, Clone, Copy)]
pub struct Decided {
    pub index: usize,
    pub choice: Choice,
}

/// The people being judged, borrowed from an audit.
#[derive(Clone, Copy)]
pub struct Ground<'a> {
    pub connections: &'a [Connection],
    pub evidence: &'a [Evidence],
    pub scope: &'a Scope,
}

impl Ground<'_> {
    /// The tool's own decision on connection `i` under `policy` (no keep
    /// list, no decisions).
    fn decision(&self, i: usize, policy: &Policy) -> Decision {
        let (c, ev) = (&self.connections[i], &self.evidence[i]);
        let s = judge::score(ev, policy, self.scope.as_of);
        judge::decide(
            c,
            ev,
            s,
            judge::coverage(c, self.scope),
            false,
            policy,
            self.scope.as_of,
        )
        .decision
    }

    /// How `policy` meets `decided`.
    pub fn agreement(&self, decided: &[Decided], policy: &Policy) -> Agreement {
        decided
            .par_iter()
            .map(|d| {
                let tool = self.decision(d.index, policy);
                let mut a = Agreement {
                    decisions: 1,
                    ..Agreement::default()
                };
                match (d.choice, tool) {
                    (Choice::Keep, Decision::Keep) | (Choice::Unlink, Decision::Unlink) => {
                        a.agreed = 1
                    }
                    (_, Decision::Review) => a.review = 1,
                    (Choice::Keep, Decision::Unlink) => a.kept_but_unlink = 1,
                    (Choice::Unlink, Decision::Keep) => a.unlinked_but_keep = 1,
                }
                a
            })
            .reduce(Agreement::default, |a, b| Agreement {
                decisions: a.decisions + b.decisions,
                agreed: a.agreed + b.agreed,
                review: a.review + b.review,
                kept_but_unlink: a.kept_but_unlink + b.kept_but_unlink,
                unlinked_but_keep: a.unlinked_but_keep + b.unlinked_but_keep,
            })
    }
}

/// A setting the fit may move: its name, how to read and set it, the values
/// it tries, and which evidence must be present for the decisions to say
/// anything about it (`None`: every decision does).
struct Knob {
    name: &'static str,
    get: fn(&Policy) -> f64,
    set: fn(&mut Policy, f64),
    grid: &'static [f64],
    signal: Option<fn(&Evidence) -> bool>,
}

const WEIGHTS: &[f64] = &[0.0, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0];

/// Every setting the fit may move. The safety rules' weights (two-way,
/// recommendation, personal note, shared tenure) are not among them.
const KNOBS: &[Knob] = &[
    Knob {
        name: "moderate_at",
        get: |p| f64::from(p.moderate_at),
        set: |p, v| {
            p.moderate_at = v as u8;
            p.strong_at = p.strong_at.max(p.moderate_at);
        },
        grid: &[10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 60.0],
        signal: None,
    },
    Knob {
        name: "unlink_min_age_days",
        get: |p| p.unlink_min_age_days as f64,
        set: |p, v| p.unlink_min_age_days = v as i64,
        grid: &[14.0, 30.0, 60.0, 90.0, 180.0, 365.0, 730.0],
        signal: None,
    },
    Knob {
        name: "endorsement",
        get: |p| p.endorsement,
        set: |p, v| p.endorsement = v,
        grid: &[0.0, 2.0, 4.0, 6.0, 8.0, 12.0, 16.0],
        signal: Some(|e| e.endorsements_given + e.endorsements_received > 0),
    },
    Knob {
        name: "endorsement_cap",
        get: |p| p.endorsement_cap,
        set: |p, v| p.endorsement_cap = v,
        grid: &[4.0, 8.0, 12.0, 16.0, 24.0, 32.0],
        signal: Some(|e| e.endorsements_given + e.endorsements_received > 1),
    },
    Knob {
        name: "same_company",
        get: |p| p.same_company,
        set: |p, v| p.same_company = v,
        grid: WEIGHTS,
        signal: Some(|e| e.shared_tenure.is_none() && e.same_company_now.is_some()),
    },
    Knob {
        name: "during_studies",
        get: |p| p.during_studies,
        set: |p, v| p.during_studies = v,
        grid: WEIGHTS,
        signal: Some(|e| e.during_studies.is_some()),
    },
    Knob {
        name: "address_book",
        get: |p| p.address_book,
        set: |p, v| p.address_book = v,
        grid: &[0.0, 10.0, 20.0, 30.0, 40.0, 50.0],
        signal: Some(|e| e.in_address_book),
    },
    Knob {
        name: "one_sided_cap",
        get: |p| p.one_sided_cap,
        set: |p, v| p.one_sided_cap = v,
        grid: &[0.0, 5.0, 10.0, 15.0, 20.0, 30.0],
        signal: Some(|e| e.messages.sent + e.messages.received > 0 && !judge::reciprocal(e)),
    },
    Knob {
        name: "group_cap",
        get: |p| p.group_cap,
        set: |p, v| p.group_cap = v,
        grid: &[0.0, 4.0, 8.0, 12.0, 20.0, 30.0],
        signal: Some(|e| e.messages.group_sent + e.messages.group_received > 0),
    },
    Knob {
        name: "pitch_penalty",
        get: |p| p.pitch_penalty,
        set: |p, v| p.pitch_penalty = v,
        grid: &[0.0, 10.0, 15.0, 25.0, 40.0, 60.0],
        signal: Some(|e| (e.pitch_in_note || e.pitch_in_messages) && !e.pitch_answered),
    },
];

/// A setting the fit moved.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub field: &'static str,
    pub from: f64,
    pub to: f64,
}

/// What a calibration found.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub before: Agreement,
    pub after: Agreement,
    /// Each decision judged by a policy fitted without it (five folds):
    /// what to expect on people not yet decided.
    pub held_out_before: Agreement,
    pub held_out_after: Agreement,
    pub changes: Vec<Change>,
    /// Settings left alone: fewer than [`MIN_SUPPORT`] decided people carry
    /// their signal.
    pub unsupported: Vec<&'static str>,
    #[serde(skip)]
    pub policy: Policy,
}

/// Fit `base` to `decided`: coordinate search, a few passes, each change
/// taken only when it strictly raises the objective.
pub fn fit(g: &Ground, decided: &[Decided], base: &Policy) -> (Policy, Vec<&'static str>) {
    let knobs: Vec<&Knob> = KNOBS.iter().collect();
    let (usable, unsupported): (Vec<&Knob>, Vec<&Knob>) = knobs.into_iter().partition(|k| {
        k.signal.is_none_or(|has| {
            decided.iter().filter(|d| has(&g.evidence[d.index])).count() >= MIN_SUPPORT
        })
    });
    let mut best = base.clone();
    let mut best_score = g.agreement(decided, &best).objective();
    for _pass in 0..4 {
        let mut moved = false;
        for k in &usable {
            let current = (k.get)(&best);
            for &v in k.grid {
                if v == current {
                    continue;
                }
                let mut p = best.clone();
                (k.set)(&mut p, v);
                if p.validate().is_err() {
                    continue;
                }
                let s = g.agreement(decided, &p).objective();
                if s > best_score {
                    best_score = s;
                    best = p;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    (best, unsupported.iter().map(|k| k.name).collect())
}

/// Calibrate `base` on the owner's decisions: the fitted policy, agreement
/// before and after on the decisions themselves, and a five-fold estimate
/// of both on decisions the fit did not see.
pub fn calibrate(g: &Ground, decided: &[Decided], base: &Policy) -> Calibration {
    let (policy, unsupported) = fit(g, decided, base);
    let folds = 5;
    let mut held_out_before = Agreement::default();
    let mut held_out_after = Agreement::default();
    for f in 0..folds {
        let fold = |inside: bool| -> Vec<Decided> {
            decided
                .iter()
                .enumerate()
                .filter(|(i, _)| (i % folds == f) == inside)
                .map(|(_, d)| *d)
                .collect()
        };
        let (test, train) = (fold(true), fold(false));
        if test.is_empty() {
            continue;
        }
        let (p, _) = fit(g, &train, base);
        add(&mut held_out_before, g.agreement(&test, base));
        add(&mut held_out_after, g.agreement(&test, &p));
    }
    let changes = KNOBS
        .iter()
        .filter_map(|k| {
            let (from, to) = ((k.get)(base), (k.get)(&policy));
            (from != to).then_some(Change {
                field: k.name,
                from,
                to,
            })
        })
        .collect();
    Calibration {
        before: g.agreement(decided, base),
        after: g.agreement(decided, &policy),
        held_out_before,
        held_out_after,
        changes,
        unsupported,
        policy,
    }
}

fn add(a: &mut Agreement, b: Agreement) {
    a.decisions += b.decisions;
    a.agreed += b.agreed;
    a.review += b.review;
    a.kept_but_unlink += b.kept_but_unlink;
    a.unlinked_but_keep += b.unlinked_but_keep;
}

/// The fitted policy as a commented TOML file, its header saying what it
/// rests on.
pub fn policy_file(c: &Calibration, source: &str) -> String {
    let mut head = format!(
        "# tieaudit policy calibrated on {} of your decisions ({source}).\n\
         # Agreement with your decisions: before {}, after {}.\n\
         # On decisions the fit did not see (five folds): before {}, after {}.\n",
        c.before.decisions,
        pct(c.before.share()),
        pct(c.after.share()),
        pct(c.held_out_before.share()),
        pct(c.held_out_after.share()),
    );
    if c.changes.is_empty() {
        head.push_str("# Nothing moved: the defaults already fit your decisions best.\n");
    }
    for ch in &c.changes {
        head.push_str(&format!("# {}: {} -> {}\n", ch.field, ch.from, ch.to));
    }
    head.push_str(
        "# Two-way messages, a recommendation, a personal note and shared tenure\n\
         # still keep a connection whatever these numbers say.\n",
    );
    head + &c.policy.to_toml()
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Read and judge the export `cfg` names, then calibrate `cfg.policy` on
/// `cfg.decisions`. Refused (a usage error) with fewer than
/// [`MIN_DECISIONS`] decisions about connections of this export.
#[cfg(feature = "report")]
pub fn from_export(cfg: &crate::audit::Config) -> crate::Result<Calibration> {
    let mut timings = crate::ingest::Timings::new();
    let ex = crate::ingest::ingest(&cfg.export, &mut timings)?;
    let j = crate::audit::judge(ex, cfg, &mut timings)?;
    let decided: Vec<Decided> = j
        .verdicts
        .iter()
        .enumerate()
        .filter_map(|(index, v)| v.yours.map(|choice| Decided { index, choice }))
        .collect();
    if decided.len() < MIN_DECISIONS {
        let absent = j.yours.as_ref().map_or(0, |m| m.absent.len());
        return Err(crate::Error::Usage(format!(
            "{} of your decisions are about connections in this export ({absent} about people \
             not in it); calibration needs at least {MIN_DECISIONS}: decide more with `tieaudit review`",
            decided.len()
        )));
    }
    let g = Ground {
        connections: &j.ex.connections,
        evidence: &j.joined.evidence,
        scope: &j.scope,
    };
    Ok(calibrate(&g, &decided, &cfg.policy))
}
