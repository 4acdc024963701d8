//! The closed sets of labels the outputs show (decisions, context bands,
//! coverage, note classes, invitation directions, statuses and actions,
//! the owner's own keep or unlink): each value's one spelling, and the
//! order the reports list them in. The aggregation, the report, history
//! and review match on these enums, and a value is spelled here only.
//! Column names that happen to read the same (index.csv's `keep` column)
//! are names, not values. So are the note model's class names, which its
//! weights file fixes.

/// A closed set of labels.
pub trait Label: Copy + PartialEq + Sized + 'static {
    /// Every value, in the order reports list them.
    const ALL: &'static [Self];

    /// The value's one spelling, in every output.
    fn label(self) -> &'static str;

    /// The value spelled `s` (as an output wrote it), if any.
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.label() == s)
    }
}

/// `impl Label` and an inherent `as_str`, from each value's spelling, in the
/// reports' order.
macro_rules! labels {
    ($t:ty, $($v:ident => $s:literal),* $(,)?) => {
        impl $crate::labels::Label for $t {
            const ALL: &'static [Self] = &[$(<$t>::$v),*];
            fn label(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
        }

        impl $t {
            /// The value's one spelling, in every output.
            pub fn as_str(self) -> &'static str {
                $crate::labels::Label::label(self)
            }
        }
    };
}
labels!(crate::judge::Context, Strong => "strong", Moderate => "moderate", Weak => "weak", None => "none");
labels!(crate::judge::Decision, Keep => "keep", Review => "review", Unlink => "unlink");
labels!(crate::judge::Coverage, High => "high", Partial => "partial", Low => "low");
labels!(crate::judge::Action,
    Accept => "accept", Reply => "reply", Ignore => "ignore",
    Withdraw => "withdraw", Wait => "wait", None => "none");
labels!(crate::notes::NoteClass,
    Personal => "personal", Default => "default", None => "none", Pitch => "pitch");
labels!(crate::ingest::Direction, Incoming => "incoming", Outgoing => "outgoing");
labels!(Status, Accepted => "accepted", Pending => "pending");
labels!(crate::decisions::Choice, Keep => "keep", Unlink => "unlink");

/// Whether an invitation was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The person is a connection now.
    Accepted,
    /// Not (yet) answered.
    Pending,
}

impl Status {
    /// `Accepted` when `accepted`.
    pub fn of(accepted: bool) -> Status {
        if accepted {
            Status::Accepted
        } else {
            Status::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<L: Label + std::fmt::Debug>() {
        for v in L::ALL {
            assert_eq!(L::parse(v.label()), Some(*v));
        }
        let mut spelled: Vec<&str> = L::ALL.iter().map(|v| v.label()).collect();
        spelled.sort_unstable();
        spelled.dedup();
        assert_eq!(spelled.len(), L::ALL.len(), "two values share a spelling");
    }

    #[test]
    fn every_label_reads_back_as_its_value() {
        round_trip::<crate::judge::Context>();
        round_trip::<crate::judge::Decision>();
        round_trip::<crate::judge::Coverage>();
        round_trip::<crate::judge::Action>();
        round_trip::<crate::notes::NoteClass>();
        round_trip::<crate::ingest::Direction>();
        round_trip::<Status>();
        round_trip::<crate::decisions::Choice>();
        assert_eq!(Status::parse("accepted"), Some(Status::Accepted));
        assert_eq!(crate::judge::Decision::parse("maybe"), None);
    }
}
