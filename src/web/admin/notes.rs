//! `/admin/notes`: extra text and FAQ entries for one particular transition, previewed on
//! the guide before they go live.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Fields, FormErrors, publish, see_other, to_json};
use crate::db::admin::{Entity, NewRevision, Write};
use crate::domain::catalogue::{Catalogue, FaqEntry, PairNote, Role};
use crate::domain::editing::{Edit, PairNoteVersion, apply};
use crate::domain::guide::guide_path;
use crate::error::AppError;
use crate::web::AppState;
use crate::web::layout::{Layout, render};
use crate::web::visitor::{Admin, AdminForm};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(open)
        .service(edit_form)
        .service(save);
}

const SPARE_FAQ_ROWS: usize = 2;
const MAX_NOTE_CHARS: usize = 8000;
const MAX_FAQ: usize = 10;

pub struct NoteLine {
    pub href: String,
    pub title: String,
    pub entries: usize,
}

#[derive(Template)]
#[template(path = "admin/notes.html")]
struct IndexPage<'a> {
    layout: Layout,
    notes: Vec<NoteLine>,
    roles: &'a [Role],
    error: Option<&'static str>,
}

fn note_lines(catalogue: &Catalogue) -> Vec<NoteLine> {
    let mut notes: Vec<NoteLine> = catalogue
        .pair_notes
        .iter()
        .filter_map(|((from, to), note)| {
            let (f, t) = (catalogue.role(from)?, catalogue.role(to)?);
            Some(NoteLine {
                href: format!("/admin/notes/{from}/{to}"),
                title: format!("{} to {}", f.title, t.title),
                entries: note.faq.len(),
            })
        })
        .collect();
    notes.sort_by(|a, b| a.title.cmp(&b.title));
    notes
}

#[get("/admin/notes")]
async fn index(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    render(
        StatusCode::OK,
        &IndexPage {
            layout: super::layout(&req, &admin),
            notes: note_lines(&catalogue),
            roles: &catalogue.roles,
            error: None,
        },
    )
}

#[derive(Deserialize)]
struct OpenQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The pair picker submits here by GET.
#[get("/admin/notes/open")]
async fn open(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<OpenQuery>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let from = query.from.clone().unwrap_or_default();
    let to = query.to.clone().unwrap_or_default();
    if from != to && catalogue.role(&from).is_some() && catalogue.role(&to).is_some() {
        return Ok(see_other(&format!("/admin/notes/{from}/{to}")));
    }
    render(
        StatusCode::BAD_REQUEST,
        &IndexPage {
            layout: super::layout(&req, &admin),
            notes: note_lines(&catalogue),
            roles: &catalogue.roles,
            error: Some("Choose two different roles."),
        },
    )
}

#[derive(Debug, Clone, Default)]
struct FaqDraft {
    question: String,
    answer: String,
}

#[derive(Template)]
#[template(path = "admin/note_form.html")]
struct FormPage {
    layout: Layout,
    from: Role,
    to: Role,
    note: String,
    faq: Vec<FaqDraft>,
    errors: FormErrors,
    preview: Option<String>,
    guide_href: String,
}

impl FormPage {
    fn err(&self, name: &str) -> Option<&str> {
        self.errors.get(name)
    }
}

fn pair(catalogue: &Catalogue, from: &str, to: &str) -> Result<(Role, Role), AppError> {
    match (catalogue.role(from), catalogue.role(to)) {
        (Some(f), Some(t)) if f.slug != t.slug => Ok((f.clone(), t.clone())),
        _ => Err(AppError::NotFound),
    }
}

fn form_page(
    req: &HttpRequest,
    admin: &Admin,
    (from, to): (Role, Role),
    note: String,
    mut faq: Vec<FaqDraft>,
    errors: FormErrors,
) -> FormPage {
    faq.retain(|f| !f.question.is_empty() || !f.answer.is_empty());
    faq.extend((0..SPARE_FAQ_ROWS).map(|_| FaqDraft::default()));
    FormPage {
        layout: super::layout(req, admin),
        guide_href: guide_path(&from.slug, &to.slug),
        from,
        to,
        note,
        faq,
        errors,
        preview: None,
    }
}

#[get("/admin/notes/{from}/{to}")]
async fn edit_form(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (from, to) = path.into_inner();
    let catalogue = state.content.catalogue();
    let roles = pair(&catalogue, &from, &to)?;
    let stored = catalogue.pair_note(&from, &to).cloned().unwrap_or_default();
    let faq = stored
        .faq
        .iter()
        .map(|e| FaqDraft {
            question: e.question.clone(),
            answer: e.answer.clone(),
        })
        .collect();
    render(
        StatusCode::OK,
        &form_page(&req, &admin, roles, stored.note, faq, FormErrors::default()),
    )
}

fn parse(note: &str, faq: &[FaqDraft]) -> Result<PairNote, FormErrors> {
    let mut e = FormErrors::default();
    if note.chars().count() > MAX_NOTE_CHARS {
        e.field(
            "note",
            format!("Note: at most {MAX_NOTE_CHARS} characters."),
        );
    }
    let mut entries = Vec::new();
    for (i, f) in faq.iter().enumerate() {
        match (f.question.is_empty(), f.answer.is_empty()) {
            (true, true) => {}
            (false, false)
                if f.question.chars().count() <= 300 && f.answer.chars().count() <= 3000 =>
            {
                entries.push(FaqEntry {
                    question: f.question.clone(),
                    answer: f.answer.clone(),
                })
            }
            (false, false) => e.field(
                format!("faq_{i}"),
                format!(
                    "Question {}: at most 300 characters, and its answer at most 3,000.",
                    i + 1
                ),
            ),
            _ => e.field(
                format!("faq_{i}"),
                format!("Question {}: give both the question and its answer.", i + 1),
            ),
        }
    }
    if entries.len() > MAX_FAQ {
        e.field("faq", format!("Questions: at most {MAX_FAQ}."));
    }
    if e.is_empty() {
        Ok(PairNote {
            note: note.to_owned(),
            faq: entries,
        })
    } else {
        Err(e)
    }
}

/// Previews or publishes. An empty note with no questions removes the note.
#[post("/admin/notes/{from}/{to}")]
async fn save(
    req: HttpRequest,
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (from, to) = path.into_inner();
    let catalogue = state.content.catalogue();
    let roles = pair(&catalogue, &from, &to)?;
    let f = &form;
    let note = f.get("note").trim().to_owned();
    let faq: Vec<FaqDraft> = (0..f.rows("question").max(f.rows("answer")))
        .map(|i| FaqDraft {
            question: f.row("question", i).trim().to_owned(),
            answer: f.row("answer", i).trim().to_owned(),
        })
        .collect();
    let parsed = match parse(&note, &faq) {
        Ok(p) => p,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&req, &admin, roles, note, faq, errors),
            );
        }
    };
    let edit = Edit::SavePairNote {
        from: from.clone(),
        to: to.clone(),
        note: parsed.clone(),
    };
    let candidate = apply(&catalogue, &edit).map_err(|e| AppError::BadRequest(e.to_string()))?;
    if f.previewing() {
        let body =
            crate::web::guides::render_guide(&candidate, &from, &to, state.content.base_url())?
                .map(|p| p.body);
        let mut page = form_page(&req, &admin, roles, note, faq, FormErrors::default());
        page.preview = body;
        return render(StatusCode::OK, &page);
    }
    let version = |note: PairNote| PairNoteVersion {
        from: from.clone(),
        to: to.clone(),
        note,
    };
    let before = catalogue
        .pair_note(&from, &to)
        .cloned()
        .map(|n| to_json(&version(n)))
        .transpose()?;
    let after = (!parsed.is_empty())
        .then(|| to_json(&version(parsed.clone())))
        .transpose()?;
    let title = format!("{} to {}", roles.0.title, roles.1.title);
    let summary = match (&before, &after) {
        (None, _) => format!("Added a note to {title}"),
        (Some(_), None) => format!("Removed the note from {title}"),
        (Some(_), Some(_)) => format!("Edited the note on {title}"),
    };
    let key = format!("{from}>{to}");
    let (f2, t2) = (from.clone(), to.clone());
    publish(&state, &admin, move |conn, actor, now| {
        crate::db::admin::publish(
            conn,
            actor,
            &[Write::PairNote {
                from: &f2,
                to: &t2,
                note: &parsed,
            }],
            vec![NewRevision {
                entity: Entity::PairNote,
                key: key.clone(),
                summary,
                before,
                after,
            }],
            "edited transition note",
            &key,
            now,
        )
    })
    .await?;
    Ok(see_other(&format!("/admin/notes/{from}/{to}?published=1")))
}
