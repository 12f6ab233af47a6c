//! `/dashboard`: the moves a user has saved, their plans' progress and what is due next.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use super::AppState;
use super::layout::{Layout, render};
use super::plans::{format_date, move_title, today_for};
use super::visitor::{SignedIn, Visitor};
use crate::db::{self, plans as store};
use crate::domain::guide::guide_path;
use crate::domain::money::pounds;
use crate::domain::plan::{self, MilestoneStatus};
use crate::domain::transition::analyse;
use crate::error::AppError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show);
}

/// How many due milestones the dashboard lists.
const DUE_SHOWN: usize = 5;

pub struct PlanBrief {
    pub id: i32,
    pub progress: String,
}

pub struct SavedView {
    pub id: i32,
    pub title: String,
    pub guide_path: String,
    /// `None` when a role has left the catalogue.
    pub overlap: Option<u32>,
    pub pay_change: Option<String>,
    pub note: String,
    pub note_error: Option<String>,
    pub plan: Option<PlanBrief>,
    pub archived: usize,
    /// Set when a role in the move has been retired.
    pub retired: Option<String>,
}

pub struct DueView {
    pub plan_id: i32,
    pub milestone_id: i32,
    pub title: String,
    pub move_title: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    saved: Vec<SavedView>,
    due: Vec<DueView>,
    /// Best next moves from the user's own skills; None without a current role.
    suggestions: Option<Vec<crate::domain::profile::Suggestion>>,
    current_role: Option<String>,
}

#[get("/dashboard")]
async fn show(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    dashboard(&req, &me, &state, StatusCode::OK, None).await
}

/// A note that was refused: which saved move, what was typed and why.
pub struct NoteError {
    pub saved_id: i32,
    pub typed: String,
    pub message: String,
}

/// The dashboard, optionally with a refused note shown in its form.
pub async fn dashboard(
    req: &HttpRequest,
    me: &SignedIn,
    state: &AppState,
    status: StatusCode,
    note_error: Option<NoteError>,
) -> Result<HttpResponse, AppError> {
    let user_id = me.user.id;
    let (saved, plans, items) = db::run(&state.pool, move |conn| {
        let saved = store::list_saved(conn, user_id)?;
        let plans = store::plans_of(conn, user_id)?;
        let active: Vec<i32> = plans
            .iter()
            .filter(|p| p.is_active())
            .map(|p| p.id)
            .collect();
        let items = store::milestones_of_plans(conn, &active)?;
        Ok((saved, plans, items))
    })
    .await?;
    let catalogue = state.content.catalogue();
    let today = today_for(&me.user);
    let mut saved_views: Vec<SavedView> = saved
        .iter()
        .map(|s| {
            let transition = match (
                catalogue.any_role(&s.from_slug),
                catalogue.any_role(&s.to_slug),
            ) {
                (Some(f), Some(t)) => Some(analyse(&catalogue, f, t)),
                _ => None,
            };
            let active = plans
                .iter()
                .find(|p| p.saved_transition_id == s.id && p.is_active());
            let plan = active.map(|p| {
                let statuses: Vec<MilestoneStatus> = items
                    .iter()
                    .filter(|m| m.plan_id == p.id)
                    .map(|m| {
                        MilestoneStatus::parse(&m.status).unwrap_or(MilestoneStatus::NotStarted)
                    })
                    .collect();
                PlanBrief {
                    id: p.id,
                    progress: match plan::progress(&statuses) {
                        Some(pc) => format!("{pc}% done"),
                        None => "Nothing left to count".to_owned(),
                    },
                }
            });
            SavedView {
                id: s.id,
                title: move_title(&catalogue, &s.from_slug, &s.to_slug),
                retired: super::plans::retired_notice(&catalogue, &s.from_slug, &s.to_slug),
                guide_path: guide_path(&s.from_slug, &s.to_slug),
                overlap: transition.as_ref().map(|t| t.score.percent),
                pay_change: transition.as_ref().map(|t| {
                    let sign = if t.salary.change > 0 { "+" } else { "" };
                    format!(
                        "{sign}{} ({sign}{}%) at the start",
                        pounds(t.salary.change),
                        t.salary.change_percent
                    )
                }),
                note: s.note.clone(),
                note_error: None,
                plan,
                archived: plans
                    .iter()
                    .filter(|p| p.saved_transition_id == s.id && !p.is_active())
                    .count(),
            }
        })
        .collect();
    if let Some(e) = note_error
        && let Some(view) = saved_views.iter_mut().find(|v| v.id == e.saved_id)
    {
        view.note = e.typed;
        view.note_error = Some(e.message);
    }
    let mut open: Vec<_> = items
        .iter()
        .filter(|m| {
            MilestoneStatus::parse(&m.status).is_some_and(MilestoneStatus::is_open)
                && m.due_on.is_some()
        })
        .collect();
    open.sort_by_key(|m| (m.due_on, m.plan_id, m.position));
    let due = open
        .into_iter()
        .take(DUE_SHOWN)
        .filter_map(|m| {
            let plan = plans.iter().find(|p| p.id == m.plan_id)?;
            let s = saved.iter().find(|s| s.id == plan.saved_transition_id)?;
            let due_on = m.due_on?;
            Some(DueView {
                plan_id: m.plan_id,
                milestone_id: m.id,
                title: m.title.clone(),
                move_title: move_title(&catalogue, &s.from_slug, &s.to_slug),
                due: format_date(due_on),
                overdue: due_on < today,
            })
        })
        .collect();
    let visitor = Visitor {
        session: me.session.clone(),
        user: Some(me.user.clone()),
    };
    let effective = super::skills::effective(state, me.user.id).await?;
    let current_role = effective
        .profile
        .as_ref()
        .and_then(|p| p.current_role.as_deref())
        .and_then(|slug| catalogue.any_role(slug))
        .map(|r| r.title.clone());
    let suggestions = effective
        .profile
        .as_ref()
        .filter(|_| current_role.is_some())
        .map(|p| crate::domain::profile::suggestions(&catalogue, p));
    render(
        status,
        &DashboardPage {
            layout: Layout::for_visitor(req, &visitor),
            saved: saved_views,
            due,
            suggestions,
            current_role,
        },
    )
}
