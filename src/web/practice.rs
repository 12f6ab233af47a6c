//! Interview practice: the question pages, instant feedback behind the daily allowance,
//! the history of attempts, the trial and the honest upgrade page.

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use chrono::{NaiveDateTime, Utc};
use chrono_tz::Tz;
use rand::seq::IndexedRandom;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth_pages::csrf_forms;
use super::layout::{Layout, render};
use super::visitor::{CsrfForm, SignedIn, Visitor};
use crate::db::practice::{self as store, Attempt, Question, QuestionRow, Recorded, Standing};
use crate::db::{self, plans as saved_store};
use crate::domain::catalogue::{Catalogue, Role};
use crate::domain::practice::feedback::{self, BridgeContext, Feedback, QuestionKind};
use crate::domain::practice::tier::{self, Allowance, Tier};
use crate::domain::practice::{AnswerError, check_answer};
use crate::domain::text;
use crate::error::AppError;

/// Where an answer waits while its writer starts a trial.
const DRAFT_KEY: &str = "practice_draft";

pub fn routes(cfg: &mut web::ServiceConfig) {
    // The fixed paths first: "history" must not be taken for a role.
    cfg.service(index)
        .service(history)
        .service(attempt_page)
        .service(upgrade)
        .service(start_trial)
        .service(surprise)
        .service(role_page)
        .service(submit);
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    question: String,
    answer: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TrialForm {
    role: String,
    question: String,
    answer: String,
    csrf_token: String,
}

csrf_forms!(AnswerForm, TrialForm);

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    q: Option<i32>,
}

#[derive(Serialize, Deserialize)]
struct Draft {
    role: String,
    question: i32,
    answer: String,
}

/// What the page says about the allowance.
pub struct AllowanceView {
    pub tier: &'static str,
    /// "2 of 3 free answers left today", "Unlimited answers until 9 December" …
    pub summary: String,
    /// "Resets at 00:00 on Thursday 3 December (Europe/London)" for free accounts.
    pub resets: Option<String>,
    pub can_trial: bool,
    pub used_up: bool,
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn allowance_view(standing: &Standing, zone: Tz, now: NaiveDateTime) -> AllowanceView {
    let local = |at: NaiveDateTime| tier::reset_in_zone(zone, at);
    let (summary, resets, used_up) = match (standing.tier, standing.allowance) {
        (Tier::Premium, _) => ("Premium: unlimited feedback.".to_string(), None, false),
        (Tier::Trial { ends_at }, _) => (
            format!(
                "Trial: unlimited feedback until {} ({}).",
                local(ends_at).format("%H:%M on %A %-d %B"),
                zone.name()
            ),
            None,
            false,
        ),
        (Tier::Free, Allowance::Left { left, of }) => {
            let reset = local(tier::next_reset(zone, now));
            (
                format!(
                    "{left} of {of} free {} left today.",
                    text::agree(left as usize, "answer", "answers")
                ),
                Some(format!(
                    "Your free answers reset at {} ({}).",
                    reset.format("%H:%M on %A %-d %B"),
                    zone.name()
                )),
                left == 0,
            )
        }
        (Tier::Free, Allowance::Unlimited) => ("Unlimited feedback.".to_string(), None, false),
    };
    AllowanceView {
        tier: standing.tier.name(),
        summary,
        resets,
        can_trial: standing.subscription_can_trial && standing.tier == Tier::Free,
        used_up,
    }
}

/// The allowance of a signed-in account, as of now.
async fn allowance_for(
    state: &AppState,
    user: &crate::db::users::User,
) -> Result<AllowanceView, AppError> {
    let zone = user.zone();
    Ok(allowance_view(
        &load_standing(state, user.id, zone).await?,
        zone,
        now(),
    ))
}

async fn load_standing(state: &AppState, user_id: i32, zone: Tz) -> Result<Standing, AppError> {
    let now = now();
    let day = tier::practice_day(zone, now);
    Ok(db::run(&state.pool, move |conn| {
        store::standing(conn, user_id, day, now)
    })
    .await?)
}

// ---- the index ----

struct RoleLink {
    slug: String,
    title: String,
    questions: i64,
}

struct SectorGroup {
    name: String,
    roles: Vec<RoleLink>,
}

#[derive(Template)]
#[template(path = "practice/index.html")]
struct IndexPage {
    layout: Layout,
    yours: Vec<RoleLink>,
    sectors: Vec<SectorGroup>,
}

#[get("/practice")]
async fn index(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let user_id = visitor.user.as_ref().map(|u| u.id);
    let (counts, saved) = db::run(&state.pool, move |conn| {
        let counts = store::question_counts(conn)?;
        let saved = match user_id {
            Some(id) => saved_store::list_saved(conn, id)?,
            None => Vec::new(),
        };
        Ok((counts, saved))
    })
    .await?;
    let catalogue = state.content.catalogue();
    let counts: std::collections::HashMap<String, i64> = counts.into_iter().collect();
    let count_of = |slug: &str| counts.get(slug).copied().unwrap_or(0);
    let link = |role: &Role| RoleLink {
        slug: role.slug.clone(),
        title: role.title.clone(),
        questions: count_of(&role.slug),
    };
    let mut yours: Vec<RoleLink> = Vec::new();
    for s in &saved {
        if let Some(role) = catalogue.role(&s.to_slug)
            && !yours.iter().any(|y| y.slug == role.slug)
        {
            yours.push(link(role));
        }
    }
    let sectors = catalogue
        .sectors
        .iter()
        .map(|sector| SectorGroup {
            name: sector.name.clone(),
            roles: catalogue
                .roles
                .iter()
                .filter(|r| r.sector == sector.slug && count_of(&r.slug) > 0)
                .map(link)
                .collect(),
        })
        .filter(|g| !g.roles.is_empty())
        .collect();
    render(
        StatusCode::OK,
        &IndexPage {
            layout: Layout::for_visitor(&req, &visitor),
            yours,
            sectors,
        },
    )
}

// ---- one role's questions ----

struct QuestionLink {
    id: i32,
    text: String,
    current: bool,
}

struct KindGroup {
    label: &'static str,
    questions: Vec<QuestionLink>,
}

/// What the answer box says when something stopped the feedback.
struct Refusal {
    heading: String,
    message: String,
}

/// Feedback, shaped for the page.
struct FeedbackView {
    feedback: Feedback,
    covered_count: usize,
    total: usize,
    length_note: String,
    attempt_id: i32,
}

#[derive(Template)]
#[template(path = "practice/role.html")]
struct RolePage {
    layout: Layout,
    role_slug: String,
    role_title: String,
    groups: Vec<KindGroup>,
    question: Option<QuestionRow>,
    kind_label: &'static str,
    points: Vec<String>,
    answer: String,
    allowance: Option<AllowanceView>,
    refusal: Option<Refusal>,
    result: Option<FeedbackView>,
    sign_in_href: String,
}

fn find_role<'a>(catalogue: &'a Catalogue, slug: &str) -> Result<&'a Role, AppError> {
    catalogue.role(slug).ok_or(AppError::NotFound)
}

struct PageParts {
    role_slug: String,
    role_title: String,
    questions: Vec<QuestionRow>,
    question: Option<Question>,
}

/// What scoring needs beyond the question: the role's job terms and the roles the user
/// has saved moves from into this one.
struct ScoringInputs {
    terms: Vec<String>,
    moving_from: Vec<String>,
}

/// The role's questions and the chosen one, plus scoring inputs for `scoring_for`, in
/// one trip to the database. A question of another role is a 404.
async fn load_parts(
    state: &AppState,
    role: &Role,
    q: Option<i32>,
    scoring_for: Option<i32>,
) -> Result<(PageParts, Option<ScoringInputs>), AppError> {
    let slug = role.slug.clone();
    let (questions, question, scoring) = db::run(&state.pool, move |conn| {
        let questions = store::questions_for(conn, &slug)?;
        let question = match q {
            Some(id) => store::question(conn, &slug, id)?,
            None => None,
        };
        let scoring = match scoring_for {
            Some(user_id) => Some(ScoringInputs {
                terms: store::terms_for(conn, &slug)?,
                moving_from: saved_store::list_saved(conn, user_id)?
                    .into_iter()
                    .filter(|s| s.to_slug == slug)
                    .map(|s| s.from_slug)
                    .collect(),
            }),
            None => None,
        };
        Ok((questions, question, scoring))
    })
    .await?;
    if q.is_some() && question.is_none() {
        return Err(AppError::NotFound);
    }
    let parts = PageParts {
        role_slug: role.slug.clone(),
        role_title: role.title.clone(),
        questions,
        question,
    };
    Ok((parts, scoring))
}

/// Where a signed-out visitor signs in and comes back to the same question.
fn practice_path(role_slug: &str, question: Option<i32>) -> String {
    match question {
        Some(id) => format!("/practice/{role_slug}?q={id}"),
        None => format!("/practice/{role_slug}"),
    }
}

fn role_page_of(
    layout: Layout,
    parts: PageParts,
    answer: String,
    allowance: Option<AllowanceView>,
    refusal: Option<Refusal>,
    result: Option<FeedbackView>,
) -> RolePage {
    let current = parts.question.as_ref().map(|q| q.row.id);
    let groups = QuestionKind::ALL
        .into_iter()
        .map(|kind| KindGroup {
            label: kind.label(),
            questions: parts
                .questions
                .iter()
                .filter(|q| q.kind() == kind)
                .map(|q| QuestionLink {
                    id: q.id,
                    text: q.text.clone(),
                    current: Some(q.id) == current,
                })
                .collect(),
        })
        .filter(|g| !g.questions.is_empty())
        .collect();
    let sign_in_href = format!(
        "/sign-in?next={}",
        super::urlencode(&practice_path(&parts.role_slug, current))
    );
    let (question, kind_label, points) = match parts.question {
        Some(q) => (
            Some(q.row.clone()),
            q.row.kind().label(),
            q.points.into_iter().map(|p| p.point).collect(),
        ),
        None => (None, "", Vec::new()),
    };
    RolePage {
        layout,
        role_slug: parts.role_slug,
        role_title: parts.role_title,
        groups,
        question,
        kind_label,
        points,
        answer,
        allowance,
        refusal,
        result,
        sign_in_href,
    }
}

#[get("/practice/{role}")]
async fn role_page(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let role = find_role(&catalogue, &path)?;
    let (parts, _) = load_parts(&state, role, query.q, None).await?;
    let mut answer = String::new();
    let allowance = match &visitor.user {
        Some(user) => {
            if let Some(draft) = take_draft(&visitor.session, &role.slug, query.q) {
                answer = draft;
            }
            Some(allowance_for(&state, user).await?)
        }
        None => None,
    };
    // A signed-out visitor gets no answer box, so no form token either.
    let layout = Layout::for_visitor(&req, &visitor);
    render(
        StatusCode::OK,
        &role_page_of(layout, parts, answer, allowance, None, None),
    )
}

fn take_draft(session: &Session, role: &str, question: Option<i32>) -> Option<String> {
    let draft: Draft = session.get(DRAFT_KEY).ok().flatten()?;
    if draft.role == role && Some(draft.question) == question {
        session.remove(DRAFT_KEY);
        Some(draft.answer)
    } else {
        None
    }
}

#[get("/practice/{role}/surprise")]
async fn surprise(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let role = find_role(&catalogue, &path)?;
    let slug = role.slug.clone();
    let questions = db::run(&state.pool, move |conn| store::questions_for(conn, &slug)).await?;
    let location = match questions.choose(&mut rand::rng()) {
        Some(q) => format!("{}#answer", practice_path(&role.slug, Some(q.id))),
        None => practice_path(&role.slug, None),
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

#[post("/practice/{role}")]
async fn submit(
    req: HttpRequest,
    // The form is read before the account is looked at, so a signed-out post still has
    // its body consumed and the connection can carry the redirect and the next request.
    form: CsrfForm<AnswerForm>,
    visitor: Visitor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let form = form.0;
    let catalogue = state.content.catalogue();
    let role = find_role(&catalogue, &path)?;
    let Ok(question_id) = form.question.trim().parse::<i32>() else {
        return Err(AppError::NotFound);
    };
    let Some(user) = visitor.user.clone() else {
        // Signed out while typing, or never signed in: the answer waits in the session
        // and is back in the box after signing in.
        keep_draft(&visitor.session, &role.slug, question_id, form.answer)?;
        return Err(AppError::SignInRequired(practice_path(
            &role.slug,
            Some(question_id),
        )));
    };
    let (parts, scoring) = load_parts(&state, role, Some(question_id), Some(user.id)).await?;
    let (Some(question), Some(scoring)) = (parts.question.clone(), scoring) else {
        return Err(AppError::NotFound);
    };
    let zone = user.zone();
    let layout = Layout::for_visitor(&req, &visitor);

    let answer = match check_answer(&form.answer) {
        Ok(answer) => answer.to_string(),
        Err(e) => {
            let refusal = Refusal {
                heading: match e {
                    AnswerError::Empty => "There is no answer yet".to_string(),
                    AnswerError::TooLong(_) => "That answer is too long".to_string(),
                },
                message: e.to_string(),
            };
            let allowance = allowance_for(&state, &user).await?;
            let page = role_page_of(
                layout,
                parts,
                form.answer,
                Some(allowance),
                Some(refusal),
                None,
            );
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };

    let bridge = bridge_context(&catalogue, role, &scoring.moving_from);
    let scored = feedback::score(&feedback::Input {
        kind: question.row.kind(),
        points: &question.points,
        terms: &scoring.terms,
        bridge: bridge.as_ref(),
        answer: &answer,
    });
    let json =
        serde_json::to_string(&scored).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let now = now();
    let day = tier::practice_day(zone, now);
    let (role_slug, question_text, stored_answer) =
        (role.slug.clone(), question.row.text.clone(), answer.clone());
    let covered = i32::try_from(scored.covered.len()).unwrap_or(i32::MAX);
    let total = i32::try_from(scored.points_total()).unwrap_or(i32::MAX);
    let recorded = db::run(&state.pool, move |conn| {
        store::record_attempt(
            conn,
            user.id,
            day,
            now,
            &store::NewAttempt {
                question_id: question.row.id,
                role_slug: &role_slug,
                question_text: &question_text,
                answer: &stored_answer,
                feedback_json: &json,
                points_covered: covered,
                points_total: total,
            },
        )
    })
    .await?;
    match recorded {
        Recorded::Given { attempt_id, after } => {
            let page = role_page_of(
                layout,
                parts,
                answer,
                Some(allowance_view(&after, zone, now)),
                None,
                Some(feedback_view(scored, attempt_id)),
            );
            render(StatusCode::OK, &page)
        }
        Recorded::LimitReached(standing) => {
            state.metrics.practice_gate_hits.inc();
            let allowance = allowance_view(&standing, zone, now);
            let retry_after = (tier::next_reset(zone, now) - now).num_seconds().max(1);
            let refusal = Refusal {
                heading: "You have used today's free answers".to_string(),
                message: format!(
                    "A free account gets feedback on {} answers a day. Your answer is still in the box below, not saved. {} {}",
                    tier::FREE_ANSWERS_PER_DAY,
                    allowance.resets.clone().unwrap_or_default(),
                    if allowance.can_trial {
                        format!(
                            "Or start your free {}-day trial below for unlimited feedback now.",
                            tier::TRIAL_DAYS
                        )
                    } else {
                        "The upgrade page says how to get unlimited feedback.".to_string()
                    }
                ),
            };
            let page = role_page_of(
                layout,
                parts,
                form.answer,
                Some(allowance),
                Some(refusal),
                None,
            );
            let mut response = render(StatusCode::TOO_MANY_REQUESTS, &page)?;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(retry_after));
            Ok(response)
        }
    }
}

/// Keeps a typed answer in the session until the page for its question is next shown.
fn keep_draft(
    session: &Session,
    role: &str,
    question: i32,
    answer: String,
) -> Result<(), AppError> {
    if answer.trim().is_empty() {
        return Ok(());
    }
    let draft = Draft {
        role: role.to_string(),
        question,
        answer,
    };
    session
        .insert(DRAFT_KEY, draft)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))
}

fn feedback_view(feedback: Feedback, attempt_id: i32) -> FeedbackView {
    let l = &feedback.length;
    let minutes = l.spoken_seconds / 60;
    let seconds = l.spoken_seconds % 60;
    let spoken = if minutes == 0 {
        format!("about {seconds} seconds")
    } else {
        format!("about {minutes} min {seconds:02} s")
    };
    let length_note = match l.verdict {
        feedback::LengthVerdict::Short => format!(
            "{} words, {spoken} spoken. That is short for this kind of question: aim for {}–{} words so there is room for the detail interviewers listen for.",
            l.words, l.min, l.max
        ),
        feedback::LengthVerdict::Fine => format!(
            "{} words, {spoken} spoken: within the {}–{} words that suit this kind of question.",
            l.words, l.min, l.max
        ),
        feedback::LengthVerdict::Long => format!(
            "{} words, {spoken} spoken. That is long for this kind of question: aim for {}–{} words and keep the part about what you did.",
            l.words, l.min, l.max
        ),
    };
    FeedbackView {
        covered_count: feedback.covered.len(),
        total: feedback.points_total(),
        length_note,
        attempt_id,
        feedback,
    }
}

/// The user's most recent saved move into this role, for the bridging check.
fn bridge_context(
    catalogue: &Catalogue,
    role: &Role,
    moving_from: &[String],
) -> Option<BridgeContext> {
    let from = moving_from.iter().find_map(|slug| catalogue.role(slug))?;
    let name = |slug: &str| catalogue.skill(slug).map(|s| s.name.clone());
    Some(BridgeContext {
        from_title: from.title.clone(),
        from_skills: from.skills.iter().filter_map(|s| name(&s.skill)).collect(),
        shared_skills: from
            .skills
            .iter()
            .filter(|s| role.has_skill(&s.skill).is_some())
            .filter_map(|s| name(&s.skill))
            .collect(),
    })
}

// ---- the trial and the upgrade page ----

#[post("/practice/trial")]
async fn start_trial(
    form: CsrfForm<TrialForm>,
    me: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = form.0;
    let user_id = me.user.id;
    let outcome = db::run(&state.pool, move |conn| {
        store::start_trial(conn, user_id, now())
    })
    .await?;
    let catalogue = state.content.catalogue();
    let back = match (catalogue.role(&form.role), form.question.parse::<i32>()) {
        (Some(role), Ok(q)) => {
            keep_draft(&me.session, &role.slug, q, form.answer)?;
            format!("{}#answer", practice_path(&role.slug, Some(q)))
        }
        (Some(role), Err(_)) => practice_path(&role.slug, None),
        _ => "/upgrade".to_string(),
    };
    let location = match outcome {
        store::TrialStart::Started { .. } | store::TrialStart::AlreadyPremium => back,
        store::TrialStart::AlreadyUsed => "/upgrade?trial=used".to_string(),
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UpgradeQuery {
    trial: Option<String>,
}

#[derive(Template)]
#[template(path = "practice/upgrade.html")]
struct UpgradePage {
    layout: Layout,
    allowance: Option<AllowanceView>,
    trial_used_notice: bool,
    free_per_day: u32,
    trial_days: i64,
}

#[get("/upgrade")]
async fn upgrade(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    query: web::Query<UpgradeQuery>,
) -> Result<HttpResponse, AppError> {
    let allowance = match &visitor.user {
        Some(user) => Some(allowance_for(&state, user).await?),
        None => None,
    };
    render(
        StatusCode::OK,
        &UpgradePage {
            layout: Layout::for_visitor(&req, &visitor),
            allowance,
            trial_used_notice: query.trial.as_deref() == Some("used"),
            free_per_day: tier::FREE_ANSWERS_PER_DAY,
            trial_days: tier::TRIAL_DAYS,
        },
    )
}

// ---- history ----

struct AttemptLine {
    id: i32,
    when: String,
    covered: i32,
    total: i32,
    /// "+2 points on the attempt before", for the second attempt on.
    change: Option<String>,
}

struct QuestionHistory {
    role_slug: String,
    role_title: String,
    question_id: Option<i32>,
    question_text: String,
    attempts: Vec<AttemptLine>,
}

#[derive(Template)]
#[template(path = "practice/history.html")]
struct HistoryPage {
    layout: Layout,
    questions: Vec<QuestionHistory>,
}

fn local_time(zone: Tz, at: NaiveDateTime) -> String {
    tier::reset_in_zone(zone, at)
        .format("%-d %b %Y, %H:%M")
        .to_string()
}

#[get("/practice/history")]
async fn history(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let user_id = me.user.id;
    let zone = me.user.zone();
    let attempts = db::run(&state.pool, move |conn| store::attempts_of(conn, user_id)).await?;
    let catalogue = state.content.catalogue();
    let mut questions: Vec<QuestionHistory> = Vec::new();
    // Oldest first within a question, so the change reads forwards.
    for a in attempts.iter().rev() {
        let key = (a.question_id, a.question_text.clone());
        let entry = match questions
            .iter_mut()
            .position(|q| (q.question_id, q.question_text.clone()) == key)
        {
            Some(i) => &mut questions[i],
            None => {
                questions.push(QuestionHistory {
                    role_slug: a.role_slug.clone(),
                    role_title: catalogue
                        .role(&a.role_slug)
                        .map_or_else(|| a.role_slug.clone(), |r| r.title.clone()),
                    question_id: a.question_id,
                    question_text: a.question_text.clone(),
                    attempts: Vec::new(),
                });
                questions.last_mut().expect("just pushed")
            }
        };
        let change = entry.attempts.last().map(|before| {
            let d = a.points_covered - before.covered;
            match d {
                0 => "same as the attempt before".to_string(),
                d if d > 0 => format!("{} more than the attempt before", points(d)),
                d => format!("{} fewer than the attempt before", points(-d)),
            }
        });
        entry.attempts.push(AttemptLine {
            id: a.id,
            when: local_time(zone, a.created_at),
            covered: a.points_covered,
            total: a.points_total,
            change,
        });
    }
    // Most recently practised question first.
    questions.reverse();
    render(
        StatusCode::OK,
        &HistoryPage {
            layout: Layout::for_visitor(&req, &me.visitor()),
            questions,
        },
    )
}

fn points(n: i32) -> String {
    text::count(usize::try_from(n).unwrap_or(0), "point", "points")
}

#[derive(Template)]
#[template(path = "practice/attempt.html")]
struct AttemptPage {
    layout: Layout,
    attempt: Attempt,
    role_title: String,
    when: String,
    result: FeedbackView,
}

#[get("/practice/history/{id}")]
async fn attempt_page(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let user_id = me.user.id;
    let id = id.into_inner();
    let Some(attempt) = db::run(&state.pool, move |conn| store::attempt(conn, user_id, id)).await?
    else {
        return Err(AppError::NotFound);
    };
    let feedback: Feedback = serde_json::from_str(&attempt.feedback)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored feedback {id}: {e}")))?;
    let catalogue = state.content.catalogue();
    let zone = me.user.zone();
    render(
        StatusCode::OK,
        &AttemptPage {
            layout: Layout::for_visitor(&req, &me.visitor()),
            role_title: catalogue
                .role(&attempt.role_slug)
                .map_or_else(|| attempt.role_slug.clone(), |r| r.title.clone()),
            when: local_time(zone, attempt.created_at),
            result: feedback_view(feedback, attempt.id),
            attempt,
        },
    )
}
