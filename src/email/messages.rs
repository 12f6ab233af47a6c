//! The account emails. Each has a plain-text and an HTML template under
//! `templates/email/`; the `.txt` ones are not escaped, the `.html` ones are.
//!
//! Links marked "single use" carry a token and say how long they last. The `reset_link`
//! passed to the security notices is expected to be a page that does not expire (the
//! forgot-password page), so those emails state no time limit for it.

use askama::Template;

use super::OutgoingEmail;

/// Declares the text and HTML template structs of one message. Both take the same
/// string fields; the HTML one also gets the subject for its `<title>`.
macro_rules! message_templates {
    ($text:ident = $text_path:literal, $html:ident = $html_path:literal, { $($field:ident),+ $(,)? }) => {
        #[derive(Template)]
        #[template(path = $text_path)]
        struct $text<'a> {
            $($field: &'a str,)+
        }

        #[derive(Template)]
        #[template(path = $html_path)]
        struct $html<'a> {
            subject: &'a str,
            $($field: &'a str,)+
        }
    };
}

message_templates!(
    VerifyEmailText = "email/verify_email.txt",
    VerifyEmailHtml = "email/verify_email.html",
    { link }
);
message_templates!(
    ResetPasswordText = "email/reset_password.txt",
    ResetPasswordHtml = "email/reset_password.html",
    { link }
);
message_templates!(
    RegistrationAttemptText = "email/registration_attempt.txt",
    RegistrationAttemptHtml = "email/registration_attempt.html",
    { sign_in_link, reset_link }
);
message_templates!(
    PasswordChangedText = "email/password_changed.txt",
    PasswordChangedHtml = "email/password_changed.html",
    { reset_link }
);
message_templates!(
    ConfirmNewEmailText = "email/confirm_new_email.txt",
    ConfirmNewEmailHtml = "email/confirm_new_email.html",
    { link }
);
message_templates!(
    EmailChangedText = "email/email_changed.txt",
    EmailChangedHtml = "email/email_changed.html",
    { new_email, reset_link }
);
message_templates!(
    EmailInUseText = "email/email_in_use.txt",
    EmailInUseHtml = "email/email_in_use.html",
    { reset_link }
);

pub const VERIFY_EMAIL_SUBJECT: &str = "Confirm your email address for CareerSwitch";
pub const RESET_PASSWORD_SUBJECT: &str = "Reset your CareerSwitch password";
pub const REGISTRATION_ATTEMPT_SUBJECT: &str = "You already have a CareerSwitch account";
pub const PASSWORD_CHANGED_SUBJECT: &str = "Your CareerSwitch password was changed";
pub const CONFIRM_NEW_EMAIL_SUBJECT: &str = "Confirm your new email address for CareerSwitch";
pub const EMAIL_CHANGED_SUBJECT: &str = "Your CareerSwitch email address was changed";
pub const EMAIL_IN_USE_SUBJECT: &str = "This email address already has a CareerSwitch account";

fn email(
    to: &str,
    subject: &str,
    text: impl Template,
    html: impl Template,
) -> Result<OutgoingEmail, askama::Error> {
    let mut text = text.render()?;
    // askama drops the template file's final newline; a text body should end with one.
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(OutgoingEmail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        text,
        html: html.render()?,
    })
}

/// Sent after registration: confirms the address. The link is single use, valid 24 hours.
pub fn verify_email(to: &str, link: &str) -> Result<OutgoingEmail, askama::Error> {
    let subject = VERIFY_EMAIL_SUBJECT;
    email(
        to,
        subject,
        VerifyEmailText { link },
        VerifyEmailHtml { subject, link },
    )
}

/// Sent from the forgot-password page. The link is single use, valid 1 hour.
pub fn reset_password(to: &str, link: &str) -> Result<OutgoingEmail, askama::Error> {
    let subject = RESET_PASSWORD_SUBJECT;
    email(
        to,
        subject,
        ResetPasswordText { link },
        ResetPasswordHtml { subject, link },
    )
}

/// Sent instead of a verification email when someone registers with an address that
/// already has an account, so the register page need not reveal which addresses exist.
pub fn registration_attempt(
    to: &str,
    sign_in_link: &str,
    reset_link: &str,
) -> Result<OutgoingEmail, askama::Error> {
    let subject = REGISTRATION_ATTEMPT_SUBJECT;
    email(
        to,
        subject,
        RegistrationAttemptText {
            sign_in_link,
            reset_link,
        },
        RegistrationAttemptHtml {
            subject,
            sign_in_link,
            reset_link,
        },
    )
}

/// Sent after any password change or reset.
pub fn password_changed(to: &str, reset_link: &str) -> Result<OutgoingEmail, askama::Error> {
    let subject = PASSWORD_CHANGED_SUBJECT;
    email(
        to,
        subject,
        PasswordChangedText { reset_link },
        PasswordChangedHtml {
            subject,
            reset_link,
        },
    )
}

/// Sent to the new address when a user asks to change theirs. The link is single use,
/// valid 24 hours.
pub fn confirm_new_email(to: &str, link: &str) -> Result<OutgoingEmail, askama::Error> {
    let subject = CONFIRM_NEW_EMAIL_SUBJECT;
    email(
        to,
        subject,
        ConfirmNewEmailText { link },
        ConfirmNewEmailHtml { subject, link },
    )
}

/// Sent to the old address once the change has been confirmed.
pub fn email_changed(
    to: &str,
    new_email: &str,
    reset_link: &str,
) -> Result<OutgoingEmail, askama::Error> {
    let subject = EMAIL_CHANGED_SUBJECT;
    email(
        to,
        subject,
        EmailChangedText {
            new_email,
            reset_link,
        },
        EmailChangedHtml {
            subject,
            new_email,
            reset_link,
        },
    )
}

/// Sent to an address that already has an account when someone asked to move another
/// account onto it (instead of a confirmation, so the account page reveals nothing).
pub fn email_in_use(to: &str, reset_link: &str) -> Result<OutgoingEmail, askama::Error> {
    let subject = EMAIL_IN_USE_SUBJECT;
    email(
        to,
        subject,
        EmailInUseText { reset_link },
        EmailInUseHtml {
            subject,
            reset_link,
        },
    )
}

/// One milestone as a reminder lists it.
#[derive(Clone)]
pub struct ReminderItem {
    pub title: String,
    /// "due Thursday 14 January", "overdue since Monday 11 January".
    pub when: String,
    pub link: String,
}

#[derive(Template)]
#[template(path = "email/reminder.txt")]
struct ReminderText<'a> {
    intro: &'a str,
    items: &'a [ReminderItem],
    settings_link: &'a str,
    unsubscribe_link: &'a str,
}

#[derive(Template)]
#[template(path = "email/reminder.html")]
struct ReminderHtml<'a> {
    subject: &'a str,
    heading: &'a str,
    intro: &'a str,
    items: &'a [ReminderItem],
    settings_link: &'a str,
    unsubscribe_link: &'a str,
}

/// What a reminder says, by kind.
pub enum ReminderWording {
    Upcoming,
    Overdue,
    Digest,
}

/// A reminder about one milestone (upcoming or overdue), or the weekly round-up.
pub fn reminder(
    to: &str,
    wording: ReminderWording,
    items: &[ReminderItem],
    settings_link: &str,
    unsubscribe_link: &str,
) -> Result<OutgoingEmail, askama::Error> {
    let first = items.first().map_or("", |i| i.title.as_str());
    let (subject, heading, intro) = match wording {
        ReminderWording::Upcoming => (
            format!("Coming up: {}", one_line(first)),
            "A milestone is coming up".to_owned(),
            "This milestone in your CareerSwitch plan is due soon.".to_owned(),
        ),
        ReminderWording::Overdue => (
            format!("Overdue: {}", one_line(first)),
            "A milestone is overdue".to_owned(),
            "This milestone in your CareerSwitch plan has passed its date. If it no longer fits, you can give it a new date or mark it no longer relevant.".to_owned(),
        ),
        ReminderWording::Digest => (
            format!(
                "Your week: {} due or overdue",
                crate::domain::text::count(items.len(), "milestone", "milestones")
            ),
            "Your week in your plan".to_owned(),
            "Here is what is due in the next seven days, and anything overdue.".to_owned(),
        ),
    };
    email(
        to,
        &subject,
        ReminderText {
            intro: &intro,
            items,
            settings_link,
            unsubscribe_link,
        },
        ReminderHtml {
            subject: &subject,
            heading: &heading,
            intro: &intro,
            items,
            settings_link,
            unsubscribe_link,
        },
    )
}

/// A milestone title fit for a subject line: one line, at most 70 characters.
fn one_line(title: &str) -> String {
    let flat: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 70 {
        format!("{}…", flat.chars().take(69).collect::<String>())
    } else {
        flat
    }
}
