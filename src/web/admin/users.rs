//! `/admin/users`: find an account by email; see its tier, whether it is confirmed and when
//! it last signed in; grant or remove premium; disable it (its sessions end at once and its
//! owner is told why at sign-in) or re-enable it. Every action goes in the audit log.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Fields, now, see_other, when};
use crate::db::users::User;
use crate::domain::practice::tier::{Tier, practice_day};
use crate::error::AppError;
use crate::web::AppState;
use crate::web::layout::{Layout, render};
use crate::web::visitor::{Admin, AdminForm};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(show)
        .service(premium)
        .service(disable)
        .service(enable);
}

const MAX_RESULTS: i64 = 50;
const MAX_REASON_CHARS: usize = 300;

pub struct UserLine {
    pub user: User,
    pub tier: String,
    pub last_sign_in: String,
}

fn tier_words(tier: Tier) -> String {
    match tier {
        Tier::Free => "Free".to_owned(),
        Tier::Trial { ends_at } => format!("Trial until {}", when(&ends_at)),
        Tier::Premium => "Premium".to_owned(),
    }
}

fn line(conn: &mut crate::db::DbConnection, user: User) -> Result<UserLine, crate::db::DbError> {
    let at = now();
    let day = practice_day(user.zone(), at);
    let standing = crate::db::practice::standing(conn, user.id, day, at)?;
    Ok(UserLine {
        tier: tier_words(standing.tier),
        last_sign_in: user
            .last_sign_in_at
            .as_ref()
            .map_or_else(|| "Never".to_owned(), when),
        user,
    })
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct IndexPage {
    layout: Layout,
    query: String,
    users: Vec<UserLine>,
}

#[get("/admin/users")]
async fn index(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let q: String = query
        .q
        .clone()
        .unwrap_or_default()
        .chars()
        .take(254)
        .collect();
    let search = q.clone();
    let users = crate::db::run(&state.pool, move |conn| {
        crate::db::admin::search_users(conn, &search, MAX_RESULTS)?
            .into_iter()
            .map(|u| line(conn, u))
            .collect::<Result<Vec<_>, _>>()
    })
    .await?;
    render(
        StatusCode::OK,
        &IndexPage {
            layout: super::layout(&req, &admin),
            query: q,
            users,
        },
    )
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct ShowPage {
    layout: Layout,
    line: UserLine,
    is_me: bool,
    reason: String,
    error: Option<String>,
}

async fn load(state: &AppState, id: i32) -> Result<UserLine, AppError> {
    crate::db::run(&state.pool, move |conn| {
        crate::db::users::find(conn, id)?
            .map(|u| line(conn, u))
            .transpose()
    })
    .await?
    .ok_or(AppError::NotFound)
}

#[get("/admin/users/{id}")]
async fn show(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let line = load(&state, id.into_inner()).await?;
    render(
        StatusCode::OK,
        &ShowPage {
            is_me: line.user.id == admin.user.id,
            layout: super::layout(&req, &admin),
            line,
            reason: String::new(),
            error: None,
        },
    )
}

#[post("/admin/users/{id}/premium")]
async fn premium(
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let line = load(&state, id.into_inner()).await?;
    let on = match form.get("premium") {
        "on" => true,
        "off" => false,
        _ => {
            return Err(AppError::BadRequest(
                "Choose to grant or remove premium.".into(),
            ));
        }
    };
    let actor = admin.actor();
    let user = line.user.clone();
    crate::db::run(&state.pool, move |conn| {
        crate::db::admin::set_premium(conn, &actor, &user, on, now())
    })
    .await?;
    Ok(see_other(&format!("/admin/users/{}?done=1", line.user.id)))
}

#[post("/admin/users/{id}/disable")]
async fn disable(
    req: HttpRequest,
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let line = load(&state, id.into_inner()).await?;
    let reason = form.get("reason").trim().to_owned();
    let problem = if line.user.id == admin.user.id {
        Some("You cannot disable your own account: ask another admin.".to_owned())
    } else if reason.is_empty() {
        Some("Give a reason: the account's owner sees it when they try to sign in.".to_owned())
    } else if reason.chars().count() > MAX_REASON_CHARS {
        Some(format!("Keep the reason to {MAX_REASON_CHARS} characters."))
    } else {
        None
    };
    if let Some(error) = problem {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ShowPage {
                is_me: line.user.id == admin.user.id,
                layout: super::layout(&req, &admin),
                line,
                reason,
                error: Some(error),
            },
        );
    }
    let actor = admin.actor();
    let user = line.user.clone();
    crate::db::run(&state.pool, move |conn| {
        crate::db::admin::disable_user(conn, &actor, &user, &reason, now())
    })
    .await?;
    Ok(see_other(&format!("/admin/users/{}?done=1", line.user.id)))
}

#[post("/admin/users/{id}/enable")]
async fn enable(
    AdminForm { who: admin, .. }: AdminForm<Fields>,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let line = load(&state, id.into_inner()).await?;
    let actor = admin.actor();
    let user = line.user.clone();
    crate::db::run(&state.pool, move |conn| {
        crate::db::admin::enable_user(conn, &actor, &user, now())
    })
    .await?;
    Ok(see_other(&format!("/admin/users/{}?done=1", line.user.id)))
}
