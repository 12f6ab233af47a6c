//! `/account/reminders` (what reminder emails to send, and when) and `/unsubscribe/{token}`
//! (one-click unsubscribe, with no sign-in: GET shows a button, POST acts).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::AppState;
use super::auth_pages::{csrf_forms, message};
use super::layout::{Layout, render};
use super::visitor::{CsrfForm, SignedIn, Visitor};
use crate::auth::tokens::new_token;
use crate::db;
use crate::domain::reminders::{PrefsErrors, PrefsInput, ReminderPrefs, WEEKDAYS, weekday_name};
use crate::error::AppError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(save)
        .service(unsubscribe_form)
        .service(unsubscribe);
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RemindersForm {
    days_before: String,
    on_overdue: String,
    weekly_digest: String,
    digest_weekday: String,
    send_hour: String,
    paused: String,
    csrf_token: String,
}

csrf_forms!(RemindersForm);

#[derive(Template)]
#[template(path = "reminders/settings.html")]
struct SettingsPage {
    layout: Layout,
    time_zone: String,
    days_before: String,
    on_overdue: bool,
    weekly_digest: bool,
    digest_weekday: String,
    send_hour: String,
    paused: bool,
    errors: PrefsErrors,
    weekdays: Vec<(String, &'static str)>,
    hours: Vec<String>,
}

impl SettingsPage {
    fn new(layout: Layout, time_zone: &str, prefs: &ReminderPrefs) -> Self {
        Self {
            layout,
            time_zone: time_zone.to_owned(),
            days_before: prefs.days_before.to_string(),
            on_overdue: prefs.on_overdue,
            weekly_digest: prefs.weekly_digest,
            digest_weekday: prefs.digest_weekday.number_from_monday().to_string(),
            send_hour: prefs.send_hour.to_string(),
            paused: prefs.paused,
            errors: PrefsErrors::default(),
            weekdays: WEEKDAYS
                .iter()
                .map(|d| (d.number_from_monday().to_string(), weekday_name(*d)))
                .collect(),
            hours: (0..24).map(|h: u32| h.to_string()).collect(),
        }
    }
}

fn layout(req: &HttpRequest, me: &SignedIn) -> Layout {
    Layout::for_visitor(
        req,
        &Visitor {
            session: me.session.clone(),
            user: Some(me.user.clone()),
        },
    )
}

async fn stored_prefs(state: &AppState, user_id: i32) -> Result<ReminderPrefs, AppError> {
    let token = new_token();
    let now = chrono::Utc::now().naive_utc();
    Ok(db::run(&state.pool, move |conn| {
        db::reminders::for_user(conn, user_id, &token, now)
    })
    .await?
    .prefs)
}

#[get("/account/reminders")]
async fn show(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let prefs = stored_prefs(&state, me.user.id).await?;
    render(
        StatusCode::OK,
        &SettingsPage::new(layout(&req, &me), &me.user.time_zone, &prefs),
    )
}

#[post("/account/reminders")]
async fn save(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    form: CsrfForm<RemindersForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.0;
    let input = PrefsInput {
        days_before: &form.days_before,
        on_overdue: !form.on_overdue.is_empty(),
        weekly_digest: !form.weekly_digest.is_empty(),
        digest_weekday: &form.digest_weekday,
        send_hour: &form.send_hour,
        paused: !form.paused.is_empty(),
    };
    let prefs = match ReminderPrefs::parse(&input) {
        Ok(prefs) => prefs,
        Err(errors) => {
            // The same page, with what was typed and a message by each field.
            let mut page = SettingsPage::new(
                layout(&req, &me),
                &me.user.time_zone,
                &ReminderPrefs::default(),
            );
            page.days_before = form.days_before.clone();
            page.on_overdue = input.on_overdue;
            page.weekly_digest = input.weekly_digest;
            page.digest_weekday = form.digest_weekday.clone();
            page.send_hour = form.send_hour.clone();
            page.paused = input.paused;
            page.errors = errors;
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let (user_id, saved, token) = (me.user.id, prefs.clone(), new_token());
    let now = chrono::Utc::now().naive_utc();
    db::run(&state.pool, move |conn| {
        db::reminders::save(conn, user_id, &saved, &token, now)
    })
    .await?;
    let notice = if prefs.paused {
        "Saved. Reminders are paused."
    } else {
        "Your reminder settings have been saved."
    };
    render(
        StatusCode::OK,
        &SettingsPage::new(
            layout(&req, &me).with_notice(notice),
            &me.user.time_zone,
            &prefs,
        ),
    )
}

#[derive(Template)]
#[template(path = "reminders/unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    token: String,
}

fn invalid_link(req: &HttpRequest, visitor: &Visitor) -> Result<HttpResponse, AppError> {
    message(
        StatusCode::NOT_FOUND,
        Layout::for_visitor(req, visitor),
        "This unsubscribe link is not valid",
        &[
            "It may have been copied only in part. To stop reminder emails, use the link in a recent reminder, or sign in and change your reminder settings.",
        ],
        Some(("/account/reminders", "Reminder settings")),
    )
}

/// Opening the link changes nothing: mail scanners follow links.
#[get("/unsubscribe/{token}")]
async fn unsubscribe_form(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let known = db::run(&state.pool, move |conn| {
        db::reminders::user_for_token(conn, &lookup)
    })
    .await?;
    if known.is_none() {
        return invalid_link(&req, &visitor);
    }
    render(
        StatusCode::OK,
        &UnsubscribePage {
            layout: Layout::for_visitor(&req, &visitor),
            token,
        },
    )
}

/// The one-click POST (RFC 8058: a mail client sends `List-Unsubscribe=One-Click`, with
/// no cookie and no page), or the button above. The token in the address is the proof:
/// no session or CSRF token is asked for.
#[post("/unsubscribe/{token}")]
async fn unsubscribe(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let now = chrono::Utc::now().naive_utc();
    let done = db::run(&state.pool, move |conn| {
        db::reminders::unsubscribe(conn, &token, now)
    })
    .await?;
    if done.is_none() {
        return invalid_link(&req, &visitor);
    }
    message(
        StatusCode::OK,
        Layout::for_visitor(&req, &visitor),
        "Reminder emails stopped",
        &[
            "We will send you no more reminder emails. Account emails you ask for, such as a password reset, still reach you.",
            "Changed your mind? Sign in and turn reminders back on in your reminder settings.",
        ],
        Some(("/account/reminders", "Reminder settings")),
    )
}
