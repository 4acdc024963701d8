//! ImportedContacts.csv: the owner's address book.

use super::people::Person;
use super::{Rng, line};
use std::fmt::Write as _;

pub(super) const HEAD: &str = "FirstName,LastName,Emails,PhoneNumbers,CreatedAt\n";

/// The person's address-book entry, if their relationship puts them there.
pub(super) fn person(contacts: &mut String, rng: &mut Rng, p: &Person) {
    if p.latent.behaviour().in_contacts.roll(rng) {
        let _ = writeln!(
            contacts,
            "{}",
            line(&[&p.first, &p.last, &p.email, "", "2024-01-02 10:00:00"])
        );
    }
}
