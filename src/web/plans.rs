//! Saved transitions, plans and their milestones, and the plans' calendar feeds. Every
//! load filters by the signed-in user's id: someone else's id is a 404.

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth_pages::csrf_forms;
use super::layout::{Layout, render};
use super::visitor::{CsrfForm, SignedIn, SignedInForm, Visitor};
use crate::db::plans::{self as store, Created, Milestone, MilestoneEdit, NewMilestone, Plan};
use crate::db::users::User;
use crate::db::{self};
use crate::domain::account::safe_next;
use crate::domain::catalogue::Catalogue;
use crate::domain::guide::guide_path;
use crate::domain::plan::{
    self, ExistingMilestone, HoursPerWeek, MergeSummary, Merged, MilestoneErrors, MilestoneInput,
    MilestoneKind, MilestoneStatus, PlanDraft, PlanMonths,
};
use crate::domain::profile::{Profile, SkillLevel, SkippedSkill, personal_move};
use crate::domain::transition::analyse;
use crate::error::AppError;

/// Where a signed-out visitor's save waits until they sign in.
pub const PENDING_SAVE_KEY: &str = "pending_save";
pub const MAX_NOTE_CHARS: usize = 500;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(save_form)
        .service(save)
        .service(set_note)
        .service(unsave)
        .service(new_plan_form)
        .service(create_plan)
        .service(show)
        .service(add_milestone)
        .service(edit_milestone)
        .service(delete_milestone)
        .service(move_milestone)
        .service(archive)
        .service(regenerate)
        .service(download)
        .service(reset_calendar)
        .service(feed);
}

// ---- forms ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SaveForm {
    from: String,
    to: String,
    note: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoteForm {
    note: String,
    next: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UnsaveForm {
    confirm: String,
    next: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewPlanForm {
    saved: String,
    start_date: String,
    months: String,
    hours_per_week: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MilestoneForm {
    title: String,
    starts_on: String,
    due_on: String,
    notes: String,
    status: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    direction: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChoiceForm {
    choice: String,
    csrf_token: String,
}

csrf_forms!(
    SaveForm,
    NoteForm,
    UnsaveForm,
    NewPlanForm,
    MilestoneForm,
    MoveForm,
    ChoiceForm
);

// ---- helpers ----

fn visitor_of(me: &SignedIn) -> Visitor {
    Visitor {
        session: me.session.clone(),
        user: Some(me.user.clone()),
    }
}

fn layout(req: &HttpRequest, me: &SignedIn) -> Layout {
    Layout::for_visitor(req, &visitor_of(me))
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// "Today" on the user's own calendar.
pub fn today_for(user: &User) -> NaiveDate {
    Utc::now().with_timezone(&user.zone()).date_naive()
}

fn now() -> chrono::NaiveDateTime {
    Utc::now().naive_utc()
}

pub fn format_date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// "Cloud Engineer to Backend Developer", or the slugs if a role has gone.
pub fn move_title(catalogue: &Catalogue, from: &str, to: &str) -> String {
    let title = |slug: &str| {
        catalogue
            .any_role(slug)
            .map_or_else(|| slug.to_owned(), |r| r.title.clone())
    };
    format!("{} to {}", title(from), title(to))
}

/// What a saved move or plan says when one of its roles has been retired: the move and the
/// plan still work, but the guide is no longer published.
pub fn retired_notice(catalogue: &Catalogue, from: &str, to: &str) -> Option<String> {
    let gone: Vec<&str> = [from, to]
        .into_iter()
        .filter(|slug| catalogue.role(slug).is_none())
        .filter_map(|slug| catalogue.retired_role(slug).map(|r| r.title.as_str()))
        .collect();
    match gone.as_slice() {
        [] => None,
        [one] => Some(format!(
            "{one} is no longer in our catalogue, so the guide for this move is not published any more. Your saved move and plan still work, and your plan keeps everything you have done."
        )),
        _ => Some(
            "Both roles in this move have left our catalogue, so its guide is not published any more. Your saved move and plan still work."
                .to_owned(),
        ),
    }
}

fn valid_pair(catalogue: &Catalogue, from: &str, to: &str) -> bool {
    from != to && catalogue.role(from).is_some() && catalogue.role(to).is_some()
}

fn check_note(raw: &str) -> Result<String, String> {
    let note = raw.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        Err(format!("Keep the note under {MAX_NOTE_CHARS} characters."))
    } else {
        Ok(note.to_owned())
    }
}

// ---- the guide page's panel ----

/// The per-request part of a guide page: save, unsave and plan buttons.
pub struct SavePanel {
    pub from: String,
    pub to: String,
    pub signed_in: bool,
    pub saved_id: Option<i32>,
    pub note: String,
    pub plan_id: Option<i32>,
    pub regulated: bool,
    pub next: String,
}

impl SavePanel {
    pub fn new_link(&self) -> String {
        format!(
            "/saved/new?from={}&to={}",
            super::urlencode(&self.from),
            super::urlencode(&self.to)
        )
    }
}

/// The panel for this visitor. An anonymous visitor costs no query and gets a plain link.
/// The guide frame's save panel and, for a signed-in visitor, their skills profile (see
/// `skills::effective`), read in one trip to the database.
pub async fn save_panel(
    state: &AppState,
    visitor: &Visitor,
    from: &str,
    to: &str,
) -> Result<(SavePanel, Option<super::skills::Effective>), AppError> {
    let regulated = state
        .content
        .catalogue()
        .role(to)
        .is_some_and(|r| r.qualification.is_some());
    let mut panel = SavePanel {
        from: from.to_owned(),
        to: to.to_owned(),
        signed_in: visitor.user.is_some(),
        saved_id: None,
        note: String::new(),
        plan_id: None,
        regulated,
        next: guide_path(from, to),
    };
    let Some(user) = &visitor.user else {
        return Ok((panel, None));
    };
    let (user_id, from, to) = (user.id, from.to_owned(), to.to_owned());
    let (found, profile) = db::run(&state.pool, move |conn| {
        let profile = db::profiles::stored_or_first_move(conn, user_id)?;
        let Some(saved) = store::find_saved_pair(conn, user_id, &from, &to)? else {
            return Ok((None, profile));
        };
        let plan = store::active_plan_for(conn, user_id, saved.id)?;
        Ok((Some((saved, plan)), profile))
    })
    .await?;
    if let Some((saved, plan)) = found {
        panel.saved_id = Some(saved.id);
        panel.note = saved.note;
        panel.plan_id = plan.map(|p| p.id);
    }
    let effective = super::skills::effective_from(&state.content.catalogue(), profile);
    Ok((panel, Some(effective)))
}

// ---- saving ----

#[derive(Serialize, Deserialize)]
pub struct PendingSave {
    from: String,
    to: String,
    note: String,
}

#[derive(Template)]
#[template(path = "plans/save.html")]
struct SavePage {
    layout: Layout,
    title: String,
    from: String,
    to: String,
    note: String,
    note_error: Option<String>,
    guide_path: String,
    signed_in: bool,
}

#[derive(Deserialize)]
pub struct PairQuery {
    from: Option<String>,
    to: Option<String>,
}

/// A small form for saving a move; anonymous visitors reach it from the cached guide page.
#[get("/saved/new")]
async fn save_form(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    query: web::Query<PairQuery>,
) -> Result<HttpResponse, AppError> {
    let from = query.from.clone().unwrap_or_default();
    let to = query.to.clone().unwrap_or_default();
    let catalogue = state.content.catalogue();
    if !valid_pair(&catalogue, &from, &to) {
        return Err(AppError::NotFound);
    }
    render(
        StatusCode::OK,
        &SavePage {
            layout: Layout::for_form(&req, &visitor),
            title: move_title(&catalogue, &from, &to),
            guide_path: guide_path(&from, &to),
            signed_in: visitor.user.is_some(),
            from,
            to,
            note: String::new(),
            note_error: None,
        },
    )
}

#[post("/saved")]
async fn save(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    form: CsrfForm<SaveForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.0;
    let catalogue = state.content.catalogue();
    if !valid_pair(&catalogue, &form.from, &form.to) {
        return Err(AppError::NotFound);
    }
    let back = guide_path(&form.from, &form.to);
    let note = match check_note(&form.note) {
        Ok(note) => note,
        Err(e) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SavePage {
                    layout: Layout::for_form(&req, &visitor),
                    title: move_title(&catalogue, &form.from, &form.to),
                    guide_path: back,
                    signed_in: visitor.user.is_some(),
                    note: form.note.clone(),
                    from: form.from,
                    to: form.to,
                    note_error: Some(e),
                },
            );
        }
    };
    match &visitor.user {
        Some(user) => {
            let user_id = user.id;
            db::run(&state.pool, move |conn| {
                store::save(conn, user_id, &form.from, &form.to, &note, now())
            })
            .await?;
            Ok(see_other(&back))
        }
        None => {
            let pending = PendingSave {
                from: form.from,
                to: form.to,
                note,
            };
            visitor
                .session
                .insert(PENDING_SAVE_KEY, &pending)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(see_other(&format!(
                "/sign-in?next={}",
                super::urlencode(&back)
            )))
        }
    }
}

/// After a successful sign-in: saves the move the visitor asked to save while signed out.
pub async fn apply_pending_save(
    state: &AppState,
    session: &Session,
    user_id: i32,
) -> Result<(), AppError> {
    let Ok(Some(pending)) = session.get::<PendingSave>(PENDING_SAVE_KEY) else {
        session.remove(PENDING_SAVE_KEY);
        return Ok(());
    };
    session.remove(PENDING_SAVE_KEY);
    if !valid_pair(&state.content.catalogue(), &pending.from, &pending.to) {
        return Ok(());
    }
    db::run(&state.pool, move |conn| {
        store::save(
            conn,
            user_id,
            &pending.from,
            &pending.to,
            &pending.note,
            now(),
        )
    })
    .await?;
    Ok(())
}

#[post("/saved/{id}/note")]
async fn set_note(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    SignedInForm { who: me, form }: SignedInForm<NoteForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let user_id = me.user.id;
    let note = match check_note(&form.note) {
        Ok(note) => note,
        Err(message) => {
            let mine = db::run(&state.pool, move |conn| {
                store::find_saved(conn, user_id, id)
            })
            .await?;
            if mine.is_none() {
                return Err(AppError::NotFound);
            }
            let refused = super::dashboard::NoteError {
                saved_id: id,
                typed: form.note,
                message,
            };
            return super::dashboard::dashboard(
                &req,
                &me,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(refused),
            )
            .await;
        }
    };
    let changed = db::run(&state.pool, move |conn| {
        store::set_note(conn, user_id, id, &note)
    })
    .await?;
    if !changed {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&safe_next(Some(&form.next), "/dashboard")))
}

#[derive(Template)]
#[template(path = "plans/confirm_unsave.html")]
struct ConfirmUnsavePage {
    layout: Layout,
    saved_id: i32,
    title: String,
    plans: usize,
    next: String,
}

#[post("/saved/{id}/delete")]
async fn unsave(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    SignedInForm { who: me, form }: SignedInForm<UnsaveForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let user_id = me.user.id;
    let next = safe_next(Some(&form.next), "/dashboard");
    let confirmed = form.confirm == "yes";
    let outcome = db::run(&state.pool, move |conn| {
        let Some(saved) = store::find_saved(conn, user_id, id)? else {
            return Ok(None);
        };
        let plans = store::plans_of(conn, user_id)?
            .into_iter()
            .filter(|p| p.saved_transition_id == id)
            .count();
        // A plan holds the user's work: deleting it needs a second, explicit yes.
        if plans > 0 && !confirmed {
            return Ok(Some(Err((saved, plans))));
        }
        store::delete_saved(conn, user_id, id)?;
        Ok(Some(Ok(())))
    })
    .await?;
    match outcome {
        None => Err(AppError::NotFound),
        Some(Ok(())) => Ok(see_other(&next)),
        Some(Err((saved, plans))) => render(
            StatusCode::OK,
            &ConfirmUnsavePage {
                layout: layout(&req, &me),
                saved_id: saved.id,
                title: move_title(&state.content.catalogue(), &saved.from_slug, &saved.to_slug),
                plans,
                next,
            },
        ),
    }
}

// ---- building a plan ----

#[derive(Default)]
struct NewPlanErrors {
    start_date: Option<String>,
    months: Option<String>,
    hours_per_week: Option<String>,
}

#[derive(Template)]
#[template(path = "plans/new.html")]
struct NewPlanPage {
    layout: Layout,
    saved_id: i32,
    title: String,
    guide_path: String,
    start_date: String,
    months: String,
    hours_per_week: String,
    month_choices: Vec<(String, bool)>,
    errors: NewPlanErrors,
    qualification: Option<String>,
    skills_to_build: usize,
}

impl NewPlanPage {
    fn new(layout: Layout, catalogue: &Catalogue, saved: &store::SavedTransition) -> Self {
        let qualification = catalogue
            .any_role(&saved.to_slug)
            .and_then(|r| r.qualification.as_ref())
            .map(|q| q.name.clone());
        let skills_to_build = match (
            catalogue.any_role(&saved.from_slug),
            catalogue.any_role(&saved.to_slug),
        ) {
            (Some(f), Some(t)) => analyse(catalogue, f, t).to_build.len(),
            _ => 0,
        };
        Self {
            layout,
            saved_id: saved.id,
            title: move_title(catalogue, &saved.from_slug, &saved.to_slug),
            guide_path: guide_path(&saved.from_slug, &saved.to_slug),
            start_date: String::new(),
            months: "9".into(),
            hours_per_week: "10".into(),
            month_choices: Vec::new(),
            errors: NewPlanErrors::default(),
            qualification,
            skills_to_build,
        }
    }

    fn with_choices(mut self) -> Self {
        self.month_choices = (plan::MIN_MONTHS..=plan::MAX_MONTHS)
            .map(|m| (m.to_string(), m.to_string() == self.months.trim()))
            .collect();
        self
    }
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn owned_saved(
    state: &AppState,
    user_id: i32,
    raw_id: &str,
) -> Result<(store::SavedTransition, Option<Plan>), AppError> {
    let id: i32 = raw_id.trim().parse().map_err(|_| AppError::NotFound)?;
    db::run(&state.pool, move |conn| {
        let Some(saved) = store::find_saved(conn, user_id, id)? else {
            return Ok(None);
        };
        let plan = store::active_plan_for(conn, user_id, id)?;
        Ok(Some((saved, plan)))
    })
    .await?
    .ok_or(AppError::NotFound)
}

#[get("/plans/new")]
async fn new_plan_form(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, AppError> {
    let (saved, active) =
        owned_saved(&state, me.user.id, query.saved.as_deref().unwrap_or("")).await?;
    if let Some(plan) = active {
        return Ok(see_other(&format!("/plans/{}", plan.id)));
    }
    let mut page = NewPlanPage::new(layout(&req, &me), &state.content.catalogue(), &saved);
    page.start_date = today_for(&me.user).format("%Y-%m-%d").to_string();
    render(StatusCode::OK, &page.with_choices())
}

/// The milestones to store for a fresh draft.
fn new_milestones(draft: &PlanDraft) -> Vec<NewMilestone> {
    draft
        .milestones
        .iter()
        .map(|m| NewMilestone {
            kind: m.kind.as_str().to_owned(),
            title: m.title.clone(),
            detail: m.detail.clone(),
            skill_slug: m.skill_slug.clone(),
            starts_on: m.starts_on,
            due_on: m.due_on,
            notes: String::new(),
            edited: false,
        })
        .collect()
}

/// The plan the catalogue would give this saved move now, if both roles still exist, and
/// the skills it leaves out (or shortens) because the user's saved skills profile has them.
/// Without a saved profile the role's own skills are assumed.
fn draft_for(
    catalogue: &Catalogue,
    saved: &store::SavedTransition,
    start: NaiveDate,
    months: PlanMonths,
    hours: HoursPerWeek,
    profile: Option<&Profile>,
) -> Option<(PlanDraft, Vec<SkippedSkill>)> {
    let from = catalogue.any_role(&saved.from_slug)?;
    let to = catalogue.any_role(&saved.to_slug)?;
    let public = analyse(catalogue, from, to);
    let Some(profile) = profile else {
        let draft = plan::generate(&plan::request_for(&public, start, months, hours));
        return Some((draft, Vec::new()));
    };
    let person = profile.as_role(from);
    let mine = personal_move(catalogue, profile, from, &person, to);
    let mut skipped: Vec<SkippedSkill> = public
        .studied_gaps()
        .filter_map(|g| {
            let level = profile.level_of(&g.skill.slug).filter(|l| l.is_held())?;
            Some(SkippedSkill {
                skill: g.skill.name.clone(),
                level,
            })
        })
        .collect();
    skipped.extend(mine.learning.iter().map(|s| SkippedSkill {
        skill: s.name.clone(),
        level: SkillLevel::Learning,
    }));
    let draft = plan::generate(&plan::request_for(&mine.transition, start, months, hours));
    Some((draft, skipped))
}

/// The user's saved skills profile, which plans follow.
async fn saved_profile(state: &AppState, user_id: i32) -> Result<Option<Profile>, AppError> {
    let effective = super::skills::effective(state, user_id).await?;
    Ok(effective.profile.filter(|_| effective.saved))
}

/// What a plan page says about the skills a plan left out, from what was stored with it.
fn skipped_lines(plan: &Plan) -> Vec<String> {
    serde_json::from_str::<Vec<SkippedSkill>>(&plan.skipped_skills)
        .unwrap_or_default()
        .into_iter()
        .map(|s| match s.level {
            SkillLevel::Learning => format!(
                "{}: planned at about half the usual time, because your skills profile says you are already learning it",
                s.skill
            ),
            level => format!(
                "{}: left out, because your skills profile has it at {} level",
                s.skill,
                level.as_str()
            ),
        })
        .collect()
}

#[post("/plans")]
async fn create_plan(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInForm { who: me, form }: SignedInForm<NewPlanForm>,
) -> Result<HttpResponse, AppError> {
    let (saved, active) = owned_saved(&state, me.user.id, &form.saved).await?;
    if let Some(plan) = active {
        return Ok(see_other(&format!("/plans/{}", plan.id)));
    }
    let catalogue = state.content.catalogue();
    let mut errors = NewPlanErrors::default();
    let start = match plan::parse_date(&form.start_date) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.start_date = Some("Choose the date you want to start.".into());
            None
        }
        Err(e) => {
            errors.start_date = Some(e.into());
            None
        }
    };
    let months = PlanMonths::parse(&form.months)
        .map_err(|e| errors.months = Some(e.into()))
        .ok();
    let hours = HoursPerWeek::parse(&form.hours_per_week)
        .map_err(|e| errors.hours_per_week = Some(e.into()))
        .ok();
    let (Some(start), Some(months), Some(hours)) = (start, months, hours) else {
        let mut page = NewPlanPage::new(layout(&req, &me), &catalogue, &saved);
        page.start_date = form.start_date;
        page.months = form.months;
        page.hours_per_week = form.hours_per_week;
        page.errors = errors;
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page.with_choices());
    };
    let profile = saved_profile(&state, me.user.id).await?;
    let (draft, skipped) = draft_for(&catalogue, &saved, start, months, hours, profile.as_ref())
        .ok_or(AppError::NotFound)?;
    let items = new_milestones(&draft);
    let new_plan = store::NewPlan {
        saved_transition_id: saved.id,
        start_date: start,
        months: months.get() as i32,
        hours_per_week: hours.get() as i32,
        skipped_skills: serde_json::to_string(&skipped).map_err(anyhow::Error::from)?,
    };
    let user_id = me.user.id;
    let created = db::run(&state.pool, move |conn| {
        store::create_plan(conn, user_id, &new_plan, &items, now())
    })
    .await?;
    match created {
        Created::New(id) | Created::AlreadyActive(id) => Ok(see_other(&format!("/plans/{id}"))),
        Created::NotFound => Err(AppError::NotFound),
    }
}

// ---- the plan page ----

pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

fn status_choices(selected: &str) -> Vec<Choice> {
    MilestoneStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str(),
            label: s.label(),
            selected: s.as_str() == selected,
        })
        .collect()
}

/// One milestone as the page shows it, with its edit form's values and any errors.
pub struct MilestoneView {
    pub id: i32,
    pub number: usize,
    pub title: String,
    pub detail: String,
    pub kind_label: &'static str,
    pub status_label: &'static str,
    pub status_class: &'static str,
    pub when: String,
    pub dated: bool,
    pub overdue: bool,
    pub notes: String,
    pub first: bool,
    pub last: bool,
    pub is_learn: bool,
    pub is_interview: bool,
    pub form_title: String,
    pub form_starts_on: String,
    pub form_due_on: String,
    pub form_notes: String,
    pub statuses: Vec<Choice>,
    pub errors: MilestoneErrors,
    pub open: bool,
}

fn status_of(m: &Milestone) -> MilestoneStatus {
    MilestoneStatus::parse(&m.status).unwrap_or(MilestoneStatus::NotStarted)
}

fn kind_of(m: &Milestone) -> MilestoneKind {
    MilestoneKind::parse(&m.kind).unwrap_or(MilestoneKind::Custom)
}

fn iso(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn views(items: &[Milestone], today: NaiveDate) -> Vec<MilestoneView> {
    let count = items.len();
    items
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let status = status_of(m);
            let when = match (m.starts_on, m.due_on) {
                (Some(s), Some(d)) => format!("{} to {}", format_date(s), format_date(d)),
                _ => "After this plan".to_owned(),
            };
            MilestoneView {
                id: m.id,
                number: i + 1,
                title: m.title.clone(),
                detail: m.detail.clone(),
                kind_label: kind_of(m).label(),
                status_label: status.label(),
                status_class: status.as_str(),
                dated: m.due_on.is_some(),
                overdue: status.is_open() && m.due_on.is_some_and(|d| d < today),
                when,
                notes: m.notes.clone(),
                first: i == 0,
                last: i + 1 == count,
                is_learn: kind_of(m) == MilestoneKind::Learn,
                is_interview: kind_of(m) == MilestoneKind::Interview,
                form_title: m.title.clone(),
                form_starts_on: iso(m.starts_on),
                form_due_on: iso(m.due_on),
                form_notes: m.notes.clone(),
                statuses: status_choices(status.as_str()),
                errors: MilestoneErrors::default(),
                open: false,
            }
        })
        .collect()
}

/// The add form's values and errors.
#[derive(Default)]
pub struct AddView {
    pub title: String,
    pub starts_on: String,
    pub due_on: String,
    pub notes: String,
    pub errors: MilestoneErrors,
}

pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub label: String,
    pub class: &'static str,
}

pub struct Tick {
    pub x: i64,
    pub label: String,
}

/// The server-drawn timeline: months across, one bar per dated milestone, today marked.
pub struct TimelineChart {
    pub width: i64,
    pub height: i64,
    pub axis_y: i64,
    pub ticks: Vec<Tick>,
    pub bars: Vec<Bar>,
    pub today_x: Option<i64>,
    pub description: String,
}

const CHART_WIDTH: i64 = 720;
const BAR_HEIGHT: i64 = 14;
const BAR_GAP: i64 = 6;
const AXIS_SPACE: i64 = 24;

fn timeline(plan: &Plan, end: NaiveDate, items: &[Milestone], today: NaiveDate) -> TimelineChart {
    let start = plan.start_date;
    let span_days = ((end - start).num_days() + 1).max(1);
    let x = |d: NaiveDate| -> i64 {
        let days = (d - start).num_days().clamp(0, span_days);
        days * CHART_WIDTH / span_days
    };
    let ticks = (0..=plan.months.clamp(0, 12) as u32)
        .filter_map(|m| start.checked_add_months(chrono::Months::new(m)))
        .map(|d| Tick {
            x: x(d).min(CHART_WIDTH - 1),
            label: d.format("%b").to_string(),
        })
        .collect();
    let dated: Vec<&Milestone> = items.iter().filter(|m| m.starts_on.is_some()).collect();
    let bars: Vec<Bar> = dated
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let (s, d) = (m.starts_on?, m.due_on?);
            let x0 = x(s);
            let x1 = x(d + chrono::Days::new(1));
            Some(Bar {
                x: x0,
                y: AXIS_SPACE + i as i64 * (BAR_HEIGHT + BAR_GAP),
                width: (x1 - x0).max(3),
                label: format!("{}: {} to {}", m.title, format_date(s), format_date(d)),
                class: status_of(m).as_str(),
            })
        })
        .collect();
    let height = AXIS_SPACE + bars.len() as i64 * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
    let today_x = (today >= start && today <= end).then(|| x(today));
    TimelineChart {
        width: CHART_WIDTH,
        height,
        axis_y: AXIS_SPACE - 8,
        ticks,
        bars,
        today_x,
        description: format!(
            "Timeline of {} from {} to {}{}",
            crate::domain::text::count(dated.len(), "dated milestone", "dated milestones"),
            format_date(start),
            format_date(end),
            if today >= start && today <= end {
                format!(", with today ({}) marked", format_date(today))
            } else {
                String::new()
            }
        ),
    }
}

#[derive(Template)]
#[template(path = "plans/show.html")]
struct PlanPage {
    layout: Layout,
    plan_id: i32,
    active: bool,
    title: String,
    guide_path: String,
    start: String,
    end: String,
    months: i32,
    hours_per_week: i32,
    progress: Option<u32>,
    done: usize,
    counted: usize,
    after_plan: Vec<String>,
    hours_to_fit: Option<u32>,
    /// Some when the plan leads into a regulated role's qualification.
    qualification: Option<String>,
    chart: TimelineChart,
    milestones: Vec<MilestoneView>,
    add: AddView,
    calendar_url: Option<String>,
    plan_start_iso: String,
    plan_end_iso: String,
    /// Set when a role in the move has been retired.
    retired: Option<String>,
    /// Skills the plan left out or shortened because of the user's skills profile.
    skipped: Vec<String>,
}

struct PlanContext {
    plan: Plan,
    saved: store::SavedTransition,
    items: Vec<Milestone>,
    /// The user's saved skills profile, for "what would the plan be now".
    profile: Option<Profile>,
}

async fn load_plan(state: &AppState, user_id: i32, plan_id: i32) -> Result<PlanContext, AppError> {
    db::run(&state.pool, move |conn| {
        let Some((plan, items)) = store::owned_plan_with_milestones(conn, user_id, plan_id)? else {
            return Ok(None);
        };
        let Some(saved) = store::find_saved(conn, user_id, plan.saved_transition_id)? else {
            return Ok(None);
        };
        // The saved profile only: the plan follows the skills the user has said they have.
        let profile = db::profiles::stored(conn, user_id)?;
        Ok(Some(PlanContext {
            plan,
            saved,
            items,
            profile,
        }))
    })
    .await?
    .map(|mut ctx| {
        ctx.profile = ctx.profile.map(|p| p.known_to(&state.content.catalogue()));
        ctx
    })
    .ok_or(AppError::NotFound)
}

fn plan_end(plan: &Plan) -> NaiveDate {
    plan::end_date(plan.start_date, plan.months.clamp(1, 12) as u32)
}

fn plan_page(state: &AppState, req: &HttpRequest, me: &SignedIn, ctx: &PlanContext) -> PlanPage {
    let catalogue = state.content.catalogue();
    let today = today_for(&me.user);
    let plan = &ctx.plan;
    let end = plan_end(plan);
    let statuses: Vec<MilestoneStatus> = ctx.items.iter().map(status_of).collect();
    let after_plan: Vec<String> = ctx
        .items
        .iter()
        .filter(|m| m.due_on.is_none() && status_of(m) != MilestoneStatus::Dropped)
        .map(|m| m.title.clone())
        .collect();
    // The hours that would fit every gap, as the catalogue stands today.
    let hours_to_fit = if after_plan.is_empty() {
        None
    } else {
        match (
            PlanMonths::parse(&plan.months.to_string()),
            HoursPerWeek::parse(&plan.hours_per_week.to_string()),
        ) {
            (Ok(m), Ok(h)) => draft_for(
                &catalogue,
                &ctx.saved,
                plan.start_date,
                m,
                h,
                ctx.profile.as_ref(),
            )
            .and_then(|(d, _)| d.hours_to_fit),
            _ => None,
        }
    };
    let qualification = catalogue
        .any_role(&ctx.saved.to_slug)
        .and_then(|r| r.qualification.as_ref())
        .map(|q| {
            let route = q.usual();
            let pay = match route.kind {
                crate::domain::catalogue::RouteKind::PaidTraining => {
                    "a paid job from the first day"
                }
                crate::domain::catalogue::RouteKind::Apprenticeship => {
                    "paid, as an apprentice"
                }
                crate::domain::catalogue::RouteKind::UnpaidStudy => {
                    "study without a salary for at least part of it"
                }
            };
            format!(
                "You need {} to work in this role. The usual route is {} ({}), which takes about {}. This plan leads up to applying for that route and starting it, not to the qualification itself.",
                q.name,
                route.name,
                pay,
                crate::domain::text::count(route.months as usize, "month", "months")
            )
        });
    let base_url = &state.settings.base_url;
    PlanPage {
        skipped: skipped_lines(plan),
        retired: retired_notice(&catalogue, &ctx.saved.from_slug, &ctx.saved.to_slug),
        layout: layout(req, me),
        plan_id: plan.id,
        active: plan.is_active(),
        title: move_title(&catalogue, &ctx.saved.from_slug, &ctx.saved.to_slug),
        guide_path: guide_path(&ctx.saved.from_slug, &ctx.saved.to_slug),
        start: format_date(plan.start_date),
        end: format_date(end),
        months: plan.months,
        hours_per_week: plan.hours_per_week,
        progress: plan::progress(&statuses),
        done: statuses
            .iter()
            .filter(|s| **s == MilestoneStatus::Done)
            .count(),
        counted: statuses
            .iter()
            .filter(|s| **s != MilestoneStatus::Dropped)
            .count(),
        after_plan,
        hours_to_fit,
        qualification,
        chart: timeline(plan, end, &ctx.items, today),
        milestones: views(&ctx.items, today),
        add: AddView::default(),
        calendar_url: plan
            .calendar_token
            .as_ref()
            .map(|t| format!("{base_url}/calendar/{t}.ics")),
        plan_start_iso: iso(Some(plan.start_date)),
        plan_end_iso: iso(Some(end)),
    }
}

#[get("/plans/{id}")]
async fn show(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let ctx = load_plan(&state, me.user.id, id.into_inner()).await?;
    render(StatusCode::OK, &plan_page(&state, &req, &me, &ctx))
}

fn back_to(plan_id: i32, anchor: &str) -> HttpResponse {
    see_other(&format!("/plans/{plan_id}{anchor}"))
}

#[post("/plans/{id}/milestones")]
async fn add_milestone(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    SignedInForm { who: me, form }: SignedInForm<MilestoneForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = load_plan(&state, me.user.id, id.into_inner()).await?;
    let end = plan_end(&ctx.plan);
    let input = MilestoneInput::parse(
        &form.title,
        &form.starts_on,
        &form.due_on,
        &form.notes,
        MilestoneStatus::NotStarted.as_str(),
        ctx.plan.start_date,
        end,
    );
    let input = match input {
        Ok(input) => input,
        Err(errors) => {
            let mut page = plan_page(&state, &req, &me, &ctx);
            page.add = AddView {
                title: form.title,
                starts_on: form.starts_on,
                due_on: form.due_on,
                notes: form.notes,
                errors,
            };
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let item = NewMilestone {
        kind: MilestoneKind::Custom.as_str().to_owned(),
        title: input.title,
        detail: String::new(),
        skill_slug: None,
        starts_on: input.starts_on,
        due_on: input.due_on,
        notes: input.notes,
        edited: true,
    };
    let (user_id, plan_id) = (me.user.id, ctx.plan.id);
    let added = db::run(&state.pool, move |conn| {
        store::add_milestone(conn, user_id, plan_id, &item, now())
    })
    .await?;
    if !added {
        return Err(AppError::NotFound);
    }
    Ok(back_to(plan_id, "#milestones"))
}

#[post("/plans/{id}/milestones/{mid}")]
async fn edit_milestone(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    SignedInForm { who: me, form }: SignedInForm<MilestoneForm>,
) -> Result<HttpResponse, AppError> {
    let (plan_id, mid) = path.into_inner();
    let ctx = load_plan(&state, me.user.id, plan_id).await?;
    if !ctx.items.iter().any(|m| m.id == mid) {
        return Err(AppError::NotFound);
    }
    let end = plan_end(&ctx.plan);
    let input = match MilestoneInput::parse(
        &form.title,
        &form.starts_on,
        &form.due_on,
        &form.notes,
        &form.status,
        ctx.plan.start_date,
        end,
    ) {
        Ok(input) => input,
        Err(errors) => {
            let mut page = plan_page(&state, &req, &me, &ctx);
            if let Some(view) = page.milestones.iter_mut().find(|v| v.id == mid) {
                view.form_title = form.title;
                view.form_starts_on = form.starts_on;
                view.form_due_on = form.due_on;
                view.form_notes = form.notes;
                view.statuses = status_choices(&form.status);
                view.errors = errors;
                view.open = true;
            }
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let edit = MilestoneEdit {
        title: input.title,
        starts_on: input.starts_on,
        due_on: input.due_on,
        notes: input.notes,
        status: input.status.as_str().to_owned(),
    };
    let user_id = me.user.id;
    let changed = db::run(&state.pool, move |conn| {
        store::update_milestone(conn, user_id, plan_id, mid, &edit, now())
    })
    .await?;
    if !changed {
        return Err(AppError::NotFound);
    }
    Ok(back_to(plan_id, &format!("#milestone-{mid}")))
}

#[post("/plans/{id}/milestones/{mid}/delete")]
async fn delete_milestone(
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    SignedInForm { who: me, .. }: SignedInForm<super::auth_pages::TokenOnlyForm>,
) -> Result<HttpResponse, AppError> {
    let (plan_id, mid) = path.into_inner();
    let user_id = me.user.id;
    let deleted = db::run(&state.pool, move |conn| {
        store::delete_milestone(conn, user_id, plan_id, mid)
    })
    .await?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    Ok(back_to(plan_id, "#milestones"))
}

#[post("/plans/{id}/milestones/{mid}/move")]
async fn move_milestone(
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    SignedInForm { who: me, form }: SignedInForm<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (plan_id, mid) = path.into_inner();
    let up = match form.direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::BadRequest("Move a milestone up or down.".into())),
    };
    let user_id = me.user.id;
    let moved = db::run(&state.pool, move |conn| {
        store::move_milestone(conn, user_id, plan_id, mid, up)
    })
    .await?;
    if !moved {
        return Err(AppError::NotFound);
    }
    Ok(back_to(plan_id, &format!("#milestone-{mid}")))
}

#[post("/plans/{id}/archive")]
async fn archive(
    state: web::Data<AppState>,
    id: web::Path<i32>,
    SignedInForm { who: me, .. }: SignedInForm<super::auth_pages::TokenOnlyForm>,
) -> Result<HttpResponse, AppError> {
    let (user_id, plan_id) = (me.user.id, id.into_inner());
    let archived = db::run(&state.pool, move |conn| {
        store::archive_plan(conn, user_id, plan_id, now())
    })
    .await?;
    if !archived {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&format!("/plans/{plan_id}")))
}

#[derive(Template)]
#[template(path = "plans/regenerate.html")]
struct RegeneratePage {
    layout: Layout,
    plan_id: i32,
    title: String,
    summary: MergeSummary,
    nothing_changes: bool,
}

fn existing(items: &[Milestone]) -> Vec<ExistingMilestone> {
    items
        .iter()
        .map(|m| ExistingMilestone {
            id: m.id,
            kind: kind_of(m),
            skill_slug: m.skill_slug.clone(),
            title: m.title.clone(),
            detail: m.detail.clone(),
            starts_on: m.starts_on,
            due_on: m.due_on,
            touched: m.edited
                || kind_of(m) == MilestoneKind::Custom
                || status_of(m) != MilestoneStatus::NotStarted,
        })
        .collect()
}

/// Rebuilds the plan from the current guide content. Without a choice it only shows what
/// would change; "keep" keeps everything the user touched, "replace" starts afresh.
#[post("/plans/{id}/regenerate")]
async fn regenerate(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    SignedInForm { who: me, form }: SignedInForm<ChoiceForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = load_plan(&state, me.user.id, id.into_inner()).await?;
    let catalogue = state.content.catalogue();
    let months = PlanMonths::parse(&ctx.plan.months.to_string())
        .map_err(|e| AppError::BadRequest(e.into()))?;
    let hours = HoursPerWeek::parse(&ctx.plan.hours_per_week.to_string())
        .map_err(|e| AppError::BadRequest(e.into()))?;
    let (draft, skipped) = draft_for(
        &catalogue,
        &ctx.saved,
        ctx.plan.start_date,
        months,
        hours,
        ctx.profile.as_ref(),
    )
    .ok_or(AppError::NotFound)?;
    let skipped = serde_json::to_string(&skipped).map_err(anyhow::Error::from)?;
    let current = existing(&ctx.items);
    let keep_touched = match form.choice.as_str() {
        "keep" => true,
        "replace" => false,
        _ => {
            let (_, summary) = plan::merge(&current, &draft, true);
            let nothing_changes = summary.added.is_empty()
                && summary.updated.is_empty()
                && summary.removed.is_empty();
            return render(
                StatusCode::OK,
                &RegeneratePage {
                    layout: layout(&req, &me),
                    plan_id: ctx.plan.id,
                    title: move_title(&catalogue, &ctx.saved.from_slug, &ctx.saved.to_slug),
                    summary,
                    nothing_changes,
                },
            );
        }
    };
    let (order, _) = plan::merge(&current, &draft, keep_touched);
    let fresh = new_milestones(&draft);
    let slots: Vec<store::Slot> = order
        .into_iter()
        .map(|m| match m {
            Merged::Keep(id) => store::Slot::Keep(id),
            Merged::New(i) => store::Slot::New(fresh[i].clone()),
        })
        .collect();
    let (user_id, plan_id) = (me.user.id, ctx.plan.id);
    let done = db::run(&state.pool, move |conn| {
        store::replace_milestones(conn, user_id, plan_id, &slots, &skipped, now())
    })
    .await?;
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&format!("/plans/{plan_id}")))
}

// ---- calendars ----

/// The plan as RFC 5545: one all-day event on each dated milestone's due date.
pub fn calendar(plan: &Plan, title: &str, items: &[Milestone], base_url: &str) -> String {
    use icalendar::{Calendar, Component, EventLike};
    let host = base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .trim_end_matches('/');
    let mut cal = Calendar::new();
    cal.name(&format!("CareerSwitch: {title}"));
    for m in items {
        let (Some(starts), Some(due)) = (m.starts_on, m.due_on) else {
            continue;
        };
        let status = status_of(m).label();
        let mut description = format!("{status}. Planned from {}.", format_date(starts));
        if !m.detail.is_empty() {
            description.push_str("\n\n");
            description.push_str(&m.detail);
        }
        if !m.notes.is_empty() {
            description.push_str("\n\nYour notes: ");
            description.push_str(&m.notes);
        }
        let event = icalendar::Event::new()
            .uid(&format!("milestone-{}-plan-{}@{host}", m.id, plan.id))
            .summary(&m.title)
            .description(&description)
            .all_day(due)
            .timestamp(m.updated_at.and_utc())
            .url(&format!("{base_url}/plans/{}", plan.id))
            .done();
        cal.push(event);
    }
    cal.done().to_string()
}

fn ics_response(body: String, filename: Option<String>) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    res.content_type("text/calendar; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(name) = filename {
        res.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ));
    }
    res.body(body)
}

#[get("/plans/{id}/calendar.ics")]
async fn download(
    me: SignedIn,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let ctx = load_plan(&state, me.user.id, id.into_inner()).await?;
    let title = move_title(
        &state.content.catalogue(),
        &ctx.saved.from_slug,
        &ctx.saved.to_slug,
    );
    let body = calendar(&ctx.plan, &title, &ctx.items, &state.settings.base_url);
    Ok(ics_response(
        body,
        Some(format!("careerswitch-plan-{}.ics", ctx.plan.id)),
    ))
}

#[post("/plans/{id}/calendar/reset")]
async fn reset_calendar(
    state: web::Data<AppState>,
    id: web::Path<i32>,
    SignedInForm { who: me, form }: SignedInForm<ChoiceForm>,
) -> Result<HttpResponse, AppError> {
    let (user_id, plan_id) = (me.user.id, id.into_inner());
    // "stop" turns the feed off; anything else makes a new address.
    let token = (form.choice != "stop").then(crate::auth::tokens::new_token);
    let changed = db::run(&state.pool, move |conn| {
        store::set_calendar_token(conn, user_id, plan_id, token.as_deref(), now())
    })
    .await?;
    if !changed {
        return Err(AppError::NotFound);
    }
    Ok(back_to(plan_id, "#calendar"))
}

/// A token `auth::tokens::new_token` could have made: 43 URL-safe characters.
fn plausible_token(t: &str) -> bool {
    t.len() == 43
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The private feed calendar apps subscribe to. The token is the only credential.
#[get("/calendar/{file}")]
async fn feed(
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = file
        .strip_suffix(".ics")
        .filter(|t| plausible_token(t))
        .ok_or(AppError::NotFound)?
        .to_owned();
    let found = db::run(&state.pool, move |conn| {
        let Some(plan) = store::plan_by_token(conn, &token)? else {
            return Ok(None);
        };
        let Some(saved) = store::find_saved(conn, plan.user_id, plan.saved_transition_id)? else {
            return Ok(None);
        };
        let items = store::milestones_of(conn, plan.id)?;
        Ok(Some((plan, saved, items)))
    })
    .await?;
    let (plan, saved, items) = found.ok_or(AppError::NotFound)?;
    let title = move_title(&state.content.catalogue(), &saved.from_slug, &saved.to_slug);
    Ok(ics_response(
        calendar(&plan, &title, &items, &state.settings.base_url),
        None,
    ))
}
