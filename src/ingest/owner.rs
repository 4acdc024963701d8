//! Who the owner is, from every file that can say it (Profile.csv, the
//! owner's side of Invitations.csv, message senders), and how sure that is.
//! Messages are only sent or received relative to the owner, and invitation
//! actions only make sense on the owner's own invitations: where the owner
//! cannot be found with confidence, the audit says so instead of guessing.

use super::files::OwnerSide;
use super::messages::FrequentUrl;
use super::model::{MessageStats, Owner};
use crate::identity::full_name_key;

/// Below this many received messages, sending none is no sign of trouble.
const SILENT_OWNER_MIN: u64 = 10;

/// What the files said about the owner before messages are read.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub slug: Option<String>,
    slug_source: Option<String>,
    /// A name for the owner where Profile.csv gave none, and its file.
    name: Option<(String, String)>,
    invitations_name_owner: bool,
    problems: Vec<String>,
}

impl Found {
    /// The owner from the constant side of Invitations.csv: the person on
    /// it in most rows, who must be Profile.csv's owner when that is known.
    pub fn from_invitations(side: &OwnerSide, profile_key: Option<&str>) -> Found {
        let mut f = Found {
            invitations_name_owner: true,
            ..Found::default()
        };
        if side.rows == 0 {
            return f;
        }
        let most = |n: u32| u64::from(n) * 2 >= u64::from(side.rows);
        let top_slug = side.top_slug().filter(|(_, n)| most(*n));
        let top_name = side.top_name().filter(|(_, n)| most(*n));
        let names_owner = match profile_key {
            Some(p) => side.names.get(p).is_some_and(|(n, _)| most(*n)),
            None => top_slug.is_some() || top_name.is_some(),
        };
        if !names_owner {
            f.invitations_name_owner = false;
            f.problems.push(format!(
                "Invitations.csv does not name you on the owner's side of most of its {} rows \
                 (edited, or another person's file): no invitation actions are taken from it",
                side.rows
            ));
            return f;
        }
        if let Some((s, _)) = top_slug {
            f.slug = Some(s.to_string());
            f.slug_source = Some("Invitations.csv".into());
        }
        if profile_key.is_none()
            && let Some((k, _)) = top_name
            && let Some((_, written)) = side.names.get(k)
        {
            f.name = Some((written.clone(), "Invitations.csv".into()));
        }
        f
    }

    /// The owner from messages.csv, when invitations did not give a URL;
    /// `owner_key`, the owner's name key, settles a tie.
    pub fn add_messages(&mut self, f: FrequentUrl, file: &str, owner_key: Option<&str>) {
        let named: Vec<&String> = f
            .senders
            .iter()
            .filter(|(_, n)| owner_key.is_some() && full_name_key(n).as_deref() == owner_key)
            .map(|(u, _)| u)
            .collect();
        if f.slug.is_none()
            && let [only] = named.as_slice()
        {
            self.slug = Some((*only).clone());
            self.slug_source = Some(format!("{file} (the sender named as in Profile.csv)"));
            return;
        }
        match f.slug {
            Some(s) => {
                self.slug = Some(s);
                self.slug_source = Some(format!("{file} (in {} of {} rows)", f.top, f.rows));
                if self.name.is_none() {
                    self.name = f.name.map(|n| (n, file.to_string()));
                }
            }
            // Without a URL the owner's name tells their messages (2018).
            None if f.rows > 0 && owner_key.is_none() => self.problems.push(format!(
                "{file}: no participant is in most rows (the most frequent profile is in {} of \
                 {} rows), so which messages are yours cannot be told from it",
                f.top, f.rows
            )),
            None => {}
        }
    }

    /// The owner's name key, where Profile.csv gave no name.
    pub fn name_key(&self) -> Option<String> {
        self.name.as_ref().and_then(|(n, _)| full_name_key(n))
    }

    /// Write what was found into `owner` (Profile.csv's name stays first),
    /// with how sure it is once messages have been read.
    pub fn settle<'a>(
        self,
        owner: &mut Owner,
        messages: impl Iterator<Item = &'a MessageStats>,
        has_messages: bool,
        faceless: (u64, u64),
    ) {
        if !owner.first_name.is_empty() || !owner.last_name.is_empty() {
            owner.name_source = Some("Profile.csv".into());
        } else if let Some((name, from)) = self.name {
            owner.first_name = name;
            owner.name_source = Some(from);
        }
        if self.slug.is_some() {
            owner.slug = self.slug;
            owner.slug_source = self.slug_source;
        }
        owner.invitations_name_owner = self.invitations_name_owner;
        let mut problems = self.problems;
        let (mut sent, mut received) = (0u64, 0u64);
        for m in messages {
            sent += u64::from(m.sent + m.group_sent);
            received += u64::from(m.received + m.group_received);
        }
        let known = owner.slug.is_some() || owner.name_source.is_some();
        if has_messages && !known {
            problems.push(
                "you could not be found in this export (no Profile.csv name, no URL of yours): \
                 messages cannot be told sent or received"
                    .into(),
            );
        }
        // Messages tell sent from received when some are the owner's, or
        // when the owner's URL is known and few were read.
        let tells =
            sent > 0 || received == 0 || (owner.slug.is_some() && received < SILENT_OWNER_MIN);
        if has_messages && known && !tells {
            problems.push(format!(
                "none of the {received} messages read could be told as sent by you (senders \
                 shown as \"LinkedIn Member\", or another person's file): silence proves nothing here"
            ));
        }
        // Rows whose sender shows as "LinkedIn Member" are not read: when
        // they are a third of the file or more, the owner's own replies may
        // be among them, and silence proves nothing.
        let (no_sender, rows) = faceless;
        let hidden = has_messages && no_sender >= 5 && no_sender * 3 >= rows;
        if hidden {
            problems.push(format!(
                "{no_sender} of the {rows} messages have no sender profile (\"LinkedIn Member\"): \
                 who wrote what cannot be told, so silence proves nothing here"
            ));
        }
        owner.confident = !has_messages || (known && tells && !hidden);
        owner.problems = problems;
    }
}
