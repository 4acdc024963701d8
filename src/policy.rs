//! The judging policy: every weight and threshold, each with a documented
//! default, overridable field by field from a TOML file (`--policy`).

use serde::{Deserialize, Serialize};

/// Weights are points on a 0-100 context score. Composed, two-way, recent
/// written communication weighs most; one-click acts (endorsements) least
/// (Gilbert and Karahalios 2009; Burke and Kraut 2014).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Points per conversation-day with a composed one-to-one message (either side).
    pub message_day: f64,
    /// Most points messaging volume can earn.
    pub message_cap: f64,
    /// Points when both sides wrote (reciprocity).
    pub two_way: f64,
    /// Points when the written exchange spans at least a year (duration).
    pub long_exchange: f64,
    /// Points per message in group threads...
    pub group_message: f64,
    /// ...and their cap.
    pub group_cap: f64,
    /// Messaging points halve every this many days since the last message (recency)...
    pub recency_half_life_days: f64,
    /// ...but never fall below this share: old ties do not vanish.
    pub recency_floor: f64,
    /// A recommendation given or received.
    pub recommendation: f64,
    /// A personal note on the invitation that started the link (either side).
    pub personal_note: f64,
    /// Connected while both worked at the same employer.
    pub shared_tenure: f64,
    /// Works now where the owner once worked, connected outside that tenure.
    pub same_company: f64,
    /// Connected during the owner's studies.
    pub during_studies: f64,
    /// In the owner's address book.
    pub address_book: f64,
    /// Points per endorsement (one click)...
    pub endorsement: f64,
    /// ...and their cap.
    pub endorsement_cap: f64,
    /// Points taken for an unanswered pitch (invitation note or first messages).
    pub pitch_penalty: f64,
    /// The score from which context is `strong`...
    pub strong_at: u8,
    /// ...and `moderate`; any evidence above 0 is `weak`.
    pub moderate_at: u8,
    /// Grace period: a connection with no context is recommended for unlink
    /// once it is this many days old (one whose only context is an
    /// unanswered pitch, at any age).
    pub unlink_min_age_days: i64,
    /// Most points one-sided messages (no reply either way) can earn: such
    /// outreach is at most a weak tie.
    pub one_sided_cap: f64,
    /// Pending outgoing invitations older than this: withdraw.
    pub withdraw_after_days: i64,
}

/// One line on each field, as `tieaudit policy` prints it.
const FIELD_NOTES: &[(&str, &str)] = &[
    (
        "message_day",
        "Points per conversation-day with a composed one-to-one message (either side).",
    ),
    ("message_cap", "Most points messaging volume can earn."),
    ("two_way", "Points when both sides wrote (reciprocity)."),
    (
        "long_exchange",
        "Points when the written exchange spans at least a year.",
    ),
    (
        "group_message",
        "Points per message together in group threads.",
    ),
    ("group_cap", "Most points group messages can earn."),
    (
        "recency_half_life_days",
        "Messaging points halve every this many days since the last message.",
    ),
    (
        "recency_floor",
        "...but never fall below this share of themselves: old ties do not vanish.",
    ),
    ("recommendation", "A recommendation given or received."),
    (
        "personal_note",
        "A personal note on the invitation that started the link (either side).",
    ),
    (
        "shared_tenure",
        "Connected while both worked at the same employer.",
    ),
    (
        "same_company",
        "Works now where you once worked, connected outside that time.",
    ),
    (
        "during_studies",
        "Connected during your studies (supporting: counts only beside evidence about the person).",
    ),
    (
        "address_book",
        "In your address book (ImportedContacts.csv).",
    ),
    (
        "endorsement",
        "Points per endorsement (one click; supporting only).",
    ),
    ("endorsement_cap", "Most points endorsements can earn."),
    (
        "pitch_penalty",
        "Points taken for an unanswered pitch (invitation note or first messages).",
    ),
    ("strong_at", "Score from which a tie is strong."),
    (
        "moderate_at",
        "Score from which a tie is moderate (and kept); any evidence above 0 is weak.",
    ),
    (
        "unlink_min_age_days",
        "Grace period: no context and at least this many days old is unlink.",
    ),
    (
        "one_sided_cap",
        "Most points one-sided messages (no reply either way) can earn.",
    ),
    (
        "withdraw_after_days",
        "Your pending invitations older than this: withdraw.",
    ),
];

impl Default for Policy {
    fn default() -> Self {
        Policy {
            message_day: 6.0,
            message_cap: 40.0,
            two_way: 30.0,
            long_exchange: 10.0,
            group_message: 1.0,
            group_cap: 8.0,
            recency_half_life_days: 730.0,
            recency_floor: 0.35,
            recommendation: 45.0,
            personal_note: 30.0,
            shared_tenure: 35.0,
            same_company: 10.0,
            during_studies: 12.0,
            address_book: 20.0,
            endorsement: 4.0,
            endorsement_cap: 12.0,
            pitch_penalty: 15.0,
            strong_at: 60,
            moderate_at: 30,
            unlink_min_age_days: 90,
            one_sided_cap: 10.0,
            withdraw_after_days: 30,
        }
    }
}

impl Policy {
    /// A policy file's text: missing fields take the defaults; unknown
    /// fields and values out of range are refused, with TOML's own message.
    pub fn from_toml(text: &str) -> Result<Policy, String> {
        let p: Policy = toml::from_str(text).map_err(|e| e.to_string())?;
        p.validate()?;
        Ok(p)
    }

    /// Every weight finite and within 0 to 100, the thresholds in order.
    pub fn validate(&self) -> Result<(), String> {
        // Every weight is points on the 0-100 score: finite, 0 to 100.
        for (name, v) in [
            ("message_day", self.message_day),
            ("message_cap", self.message_cap),
            ("two_way", self.two_way),
            ("long_exchange", self.long_exchange),
            ("group_message", self.group_message),
            ("group_cap", self.group_cap),
            ("recommendation", self.recommendation),
            ("personal_note", self.personal_note),
            ("shared_tenure", self.shared_tenure),
            ("same_company", self.same_company),
            ("during_studies", self.during_studies),
            ("address_book", self.address_book),
            ("endorsement", self.endorsement),
            ("endorsement_cap", self.endorsement_cap),
            ("pitch_penalty", self.pitch_penalty),
            ("one_sided_cap", self.one_sided_cap),
        ] {
            if !v.is_finite() || !(0.0..=100.0).contains(&v) {
                return Err(format!("{name} must be a number from 0 to 100 (got {v})"));
            }
        }
        if !self.recency_half_life_days.is_finite() || !self.recency_floor.is_finite() {
            return Err("recency_half_life_days and recency_floor must be finite numbers".into());
        }
        if self.moderate_at == 0 || self.moderate_at > self.strong_at || self.strong_at > 100 {
            return Err("need 0 < moderate_at <= strong_at <= 100".into());
        }
        if self.recency_half_life_days <= 0.0 || !(0.0..=1.0).contains(&self.recency_floor) {
            return Err("recency_half_life_days must be > 0 and recency_floor within 0..1".into());
        }
        if self.unlink_min_age_days < 0 || self.withdraw_after_days < 0 {
            return Err("ages must not be negative".into());
        }
        Ok(())
    }

    /// The default policy as a commented TOML file (`tieaudit policy`).
    pub fn default_toml() -> String {
        String::from(
            "# tieaudit policy: every field is optional; missing ones take these defaults.\n\
             # Weights are points on a 0-100 context score; see\n\
             # docs/guide.md, \"The policy file\".\n",
        ) + &Policy::default().to_toml()
    }

    /// This policy as TOML, each field under a comment saying what it is.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        let mut out = String::new();
        for line in body.lines() {
            let field = line.split('=').next().unwrap_or("").trim();
            if let Some((_, what)) = FIELD_NOTES.iter().find(|(f, _)| *f == field) {
                out.push_str(&format!("\n# {what}\n"));
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}
