//! `/admin/questions`: each role's interview questions and the talking points feedback
//! listens for.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use super::{Fields, FormErrors, publish, see_other, to_json};
use crate::db::admin::{Entity, NewRevision, Write};
use crate::db::practice::QuestionRow;
use crate::domain::catalogue::Role;
use crate::domain::practice::feedback::{QuestionKind, TalkingPoint};
use crate::error::AppError;
use crate::web::AppState;
use crate::web::layout::{Layout, render};
use crate::web::visitor::{Admin, AdminForm};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(role_questions)
        .service(new_form)
        .service(create)
        .service(delete)
        .service(edit_form)
        .service(update);
}

const SPARE_POINTS: usize = 2;
const MAX_QUESTION_CHARS: usize = 500;
const MAX_POINTS: usize = 10;

/// What a question revision stores.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionVersion {
    pub role: String,
    pub kind: QuestionKind,
    pub text: String,
    pub points: Vec<TalkingPoint>,
}

#[derive(Template)]
#[template(path = "admin/questions.html")]
struct IndexPage<'a> {
    layout: Layout,
    roles: Vec<(&'a Role, i64)>,
}

#[get("/admin/questions")]
async fn index(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let counts = crate::db::run(&state.pool, crate::db::practice::question_counts).await?;
    let roles = catalogue
        .roles
        .iter()
        .map(|r| {
            let n = counts
                .iter()
                .find(|(slug, _)| *slug == r.slug)
                .map_or(0, |(_, n)| *n);
            (r, n)
        })
        .collect();
    render(
        StatusCode::OK,
        &IndexPage {
            layout: super::layout(&req, &admin),
            roles,
        },
    )
}

#[derive(Template)]
#[template(path = "admin/role_questions.html")]
struct RoleQuestionsPage<'a> {
    layout: Layout,
    role: &'a Role,
    questions: Vec<QuestionRow>,
}

#[get("/admin/questions/{role}")]
async fn role_questions(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    role: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let role = catalogue.any_role(&role).ok_or(AppError::NotFound)?;
    let slug = role.slug.clone();
    let questions = crate::db::run(&state.pool, move |conn| {
        crate::db::practice::questions_for(conn, &slug)
    })
    .await?;
    render(
        StatusCode::OK,
        &RoleQuestionsPage {
            layout: super::layout(&req, &admin),
            role,
            questions,
        },
    )
}

#[derive(Debug, Clone, Default)]
struct PointDraft {
    point: String,
    signals: String,
}

#[derive(Debug, Clone, Default)]
struct QuestionDraft {
    kind: String,
    text: String,
    points: Vec<PointDraft>,
}

impl QuestionDraft {
    fn from_version(v: &QuestionVersion) -> Self {
        Self {
            kind: v.kind.as_str().to_owned(),
            text: v.text.clone(),
            points: v
                .points
                .iter()
                .map(|p| PointDraft {
                    point: p.point.clone(),
                    signals: p.signals.join(", "),
                })
                .collect(),
        }
    }

    fn from_fields(f: &Fields) -> Self {
        Self {
            kind: f.get("kind").to_owned(),
            text: f.get("text").trim().to_owned(),
            points: (0..f.rows("point"))
                .map(|i| PointDraft {
                    point: f.row("point", i).trim().to_owned(),
                    signals: f.row("signals", i).trim().to_owned(),
                })
                .collect(),
        }
    }

    fn with_spare_rows(mut self) -> Self {
        self.points
            .retain(|p| !p.point.is_empty() || !p.signals.is_empty());
        self.points
            .extend((0..SPARE_POINTS).map(|_| PointDraft::default()));
        self
    }

    fn parse(&self) -> Result<(QuestionKind, Vec<TalkingPoint>), FormErrors> {
        let mut e = FormErrors::default();
        let kind = QuestionKind::parse(&self.kind);
        if kind.is_none() {
            e.field("kind", "Kind: choose one from the list.");
        }
        if self.text.is_empty() || self.text.chars().count() > MAX_QUESTION_CHARS {
            e.field(
                "text",
                format!("Question: write it in 1 to {MAX_QUESTION_CHARS} characters."),
            );
        }
        let mut points = Vec::new();
        for (i, p) in self.points.iter().enumerate() {
            if p.point.is_empty() && p.signals.is_empty() {
                continue;
            }
            let signals: Vec<String> = p
                .signals
                .split([',', '\n'])
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect();
            if p.point.is_empty() || signals.is_empty() {
                e.field(
                    format!("point_{i}"),
                    format!(
                        "Talking point {}: give the point and at least one word or phrase that shows it, separated by commas.",
                        i + 1
                    ),
                );
                continue;
            }
            points.push(TalkingPoint {
                point: p.point.clone(),
                signals,
            });
        }
        if points.is_empty() && e.fields.keys().all(|k| !k.starts_with("point_")) {
            e.field(
                "points",
                "Talking points: give at least one, so the feedback has something to listen for.",
            );
        }
        if points.len() > MAX_POINTS {
            e.field("points", format!("Talking points: at most {MAX_POINTS}."));
        }
        match kind {
            Some(kind) if e.is_empty() => Ok((kind, points)),
            _ => Err(e),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/question_form.html")]
struct FormPage<'a> {
    layout: Layout,
    role: &'a Role,
    /// None for a new question.
    id: Option<i32>,
    draft: QuestionDraft,
    errors: FormErrors,
    kinds: [QuestionKind; 4],
}

impl FormPage<'_> {
    fn err(&self, name: &str) -> Option<&str> {
        self.errors.get(name)
    }
}

fn form_page<'a>(
    req: &HttpRequest,
    admin: &Admin,
    role: &'a Role,
    id: Option<i32>,
    draft: QuestionDraft,
    errors: FormErrors,
) -> FormPage<'a> {
    FormPage {
        layout: super::layout(req, admin),
        role,
        id,
        draft: draft.with_spare_rows(),
        errors,
        kinds: QuestionKind::ALL,
    }
}

async fn stored(state: &AppState, role: &str, id: i32) -> Result<QuestionVersion, AppError> {
    let role = role.to_owned();
    let q = crate::db::run(&state.pool, move |conn| {
        crate::db::practice::question(conn, &role, id)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(QuestionVersion {
        role: q.row.role_slug.clone(),
        kind: q.row.kind(),
        text: q.row.text.clone(),
        points: q.points,
    })
}

#[get("/admin/questions/{role}/new")]
async fn new_form(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    role: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let role = catalogue.any_role(&role).ok_or(AppError::NotFound)?;
    let draft = QuestionDraft {
        kind: QuestionKind::Behavioural.as_str().to_owned(),
        ..QuestionDraft::default()
    };
    render(
        StatusCode::OK,
        &form_page(&req, &admin, role, None, draft, FormErrors::default()),
    )
}

#[get("/admin/questions/{role}/{id}")]
async fn edit_form(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, AppError> {
    let (role, id) = path.into_inner();
    let catalogue = state.content.catalogue();
    let role = catalogue.any_role(&role).ok_or(AppError::NotFound)?;
    let version = stored(&state, &role.slug, id).await?;
    render(
        StatusCode::OK,
        &form_page(
            &req,
            &admin,
            role,
            Some(id),
            QuestionDraft::from_version(&version),
            FormErrors::default(),
        ),
    )
}

#[post("/admin/questions/{role}/new")]
async fn create(
    req: HttpRequest,
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
    role: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let role = catalogue.any_role(&role).ok_or(AppError::NotFound)?;
    save(
        &req,
        &admin,
        &state,
        role,
        None,
        QuestionDraft::from_fields(&form),
    )
    .await
}

#[post("/admin/questions/{role}/{id}")]
async fn update(
    req: HttpRequest,
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, AppError> {
    let (role, id) = path.into_inner();
    let catalogue = state.content.catalogue();
    let role = catalogue.any_role(&role).ok_or(AppError::NotFound)?;
    save(
        &req,
        &admin,
        &state,
        role,
        Some(id),
        QuestionDraft::from_fields(&form),
    )
    .await
}

async fn save(
    req: &HttpRequest,
    admin: &Admin,
    state: &AppState,
    role: &Role,
    id: Option<i32>,
    draft: QuestionDraft,
) -> Result<HttpResponse, AppError> {
    let before = match id {
        Some(id) => Some(stored(state, &role.slug, id).await?),
        None => None,
    };
    let (kind, points) = match draft.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(req, admin, role, id, draft, errors),
            );
        }
    };
    let after = QuestionVersion {
        role: role.slug.clone(),
        kind,
        text: draft.text.clone(),
        points,
    };
    let revision = NewRevision {
        entity: Entity::Question,
        key: id.map(|i| i.to_string()).unwrap_or_default(),
        summary: format!(
            "{} question for {}: {}",
            if id.is_some() { "Edited" } else { "Added" },
            role.title,
            crate::domain::text::truncate_words(&after.text, 60)
        ),
        before: before.as_ref().map(to_json).transpose()?,
        after: Some(to_json(&after)?),
    };
    let published = publish(state, admin, move |conn, actor, now| {
        let write = match id {
            Some(id) => Write::Question {
                id,
                kind: after.kind,
                text: &after.text,
                points: &after.points,
            },
            None => Write::NewQuestion {
                role: &after.role,
                kind: after.kind,
                text: &after.text,
                points: &after.points,
            },
        };
        let action = if id.is_some() {
            "edited question"
        } else {
            "added question"
        };
        crate::db::admin::publish(
            conn,
            actor,
            &[write],
            vec![revision],
            action,
            &after.role,
            now,
        )
    })
    .await?;
    let id = id.or(published.new_question).unwrap_or_default();
    Ok(see_other(&format!(
        "/admin/questions/{}/{id}?published=1",
        role.slug
    )))
}

#[post("/admin/questions/{role}/{id}/delete")]
async fn delete(
    AdminForm { who: admin, .. }: AdminForm<Fields>,
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, AppError> {
    let (role, id) = path.into_inner();
    let before = stored(&state, &role, id).await?;
    let revision = NewRevision {
        entity: Entity::Question,
        key: id.to_string(),
        summary: format!(
            "Removed question for {}: {}",
            role,
            crate::domain::text::truncate_words(&before.text, 60)
        ),
        before: Some(to_json(&before)?),
        after: None,
    };
    let target = role.clone();
    publish(&state, &admin, move |conn, actor, now| {
        crate::db::admin::publish(
            conn,
            actor,
            &[Write::DeleteQuestion { id }],
            vec![revision],
            "removed question",
            &target,
            now,
        )
    })
    .await?;
    Ok(see_other(&format!("/admin/questions/{role}?done=1")))
}
