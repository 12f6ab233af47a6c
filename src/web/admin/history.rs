//! `/admin/revisions` and `/admin/audit`: every content edit with a readable diff and a
//! way back, and every admin action.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::questions::QuestionVersion;
use super::{Fields, publish, see_other, to_json};
use crate::db::admin::{AuditEntry, Entity, NewRevision, Revision, Write};
use crate::domain::catalogue::{Catalogue, Skill};
use crate::domain::editing::{Edit, PairNoteVersion, RoleVersion, apply};
use crate::domain::revision::{LineChange, diff};

use crate::error::AppError;
use crate::web::AppState;
use crate::web::layout::{Layout, render};
use crate::web::visitor::{Admin, AdminForm};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(show)
        .service(restore)
        .service(audit);
}

#[derive(Deserialize)]
struct IndexQuery {
    entity: Option<String>,
    key: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/revisions.html")]
struct IndexPage {
    layout: Layout,
    revisions: Vec<Revision>,
    filtered: bool,
}

impl IndexPage {
    fn label(&self, r: &Revision) -> &'static str {
        r.entity().map_or("Content", Entity::label)
    }
}

#[get("/admin/revisions")]
async fn index(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<IndexQuery>,
) -> Result<HttpResponse, AppError> {
    let of = match (query.entity.as_deref().and_then(Entity::parse), &query.key) {
        (Some(e), Some(k)) => Some((e, k.clone())),
        _ => None,
    };
    let filtered = of.is_some();
    let revisions = crate::db::run(&state.pool, move |conn| {
        crate::db::admin::revisions(conn, of.as_ref().map(|(e, k)| (*e, k.as_str())), 200)
    })
    .await?;
    render(
        StatusCode::OK,
        &IndexPage {
            layout: super::layout(&req, &admin),
            revisions,
            filtered,
        },
    )
}

#[derive(Template)]
#[template(path = "admin/revision.html")]
struct ShowPage {
    layout: Layout,
    revision: Revision,
    label: &'static str,
    /// Only the fields that changed.
    lines: Vec<LineChange>,
    unchanged: usize,
    /// What the restore button says, or None when there is nothing to restore.
    restore: Option<&'static str>,
    history_href: String,
}

#[get("/admin/revisions/{id}")]
async fn show(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let revision = crate::db::run(&state.pool, move |conn| {
        crate::db::admin::revision(conn, id)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let all = diff(
        revision.before_json.as_deref(),
        revision.after_json.as_deref(),
    );
    let unchanged = all
        .iter()
        .filter(|l| matches!(l, LineChange::Same(_)))
        .count();
    let lines = all
        .into_iter()
        .filter(|l| !matches!(l, LineChange::Same(_)))
        .collect();
    let restore_label = match (&revision.before_json, &revision.after_json) {
        (_, Some(_)) => Some("Restore this version"),
        (Some(_), None) => Some("Bring back what this edit removed"),
        (None, None) => None,
    };
    render(
        StatusCode::OK,
        &ShowPage {
            layout: super::layout(&req, &admin),
            label: revision.entity().map_or("Content", Entity::label),
            history_href: format!(
                "/admin/revisions?entity={}&key={}",
                revision.entity,
                crate::web::urlencode(&revision.entity_key)
            ),
            revision,
            lines,
            unchanged,
            restore: restore_label,
        },
    )
}

/// Puts back the version a revision recorded, as a new revision (so a restore can itself be
/// undone). It must still pass today's rules: a role whose skill has since been merged
/// away, say, is refused with the reason.
#[post("/admin/revisions/{id}/restore")]
async fn restore(
    AdminForm { who: admin, .. }: AdminForm<Fields>,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let revision = crate::db::run(&state.pool, move |conn| {
        crate::db::admin::revision(conn, id)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let Some(json) = revision.after_json.clone().or(revision.before_json.clone()) else {
        return Err(AppError::BadRequest(
            "This revision has nothing to restore.".into(),
        ));
    };
    let catalogue = state.content.catalogue();
    let summary = format!("Restored revision {id}: {}", revision.summary);
    let bad = |e: serde_json::Error| AppError::Internal(anyhow::anyhow!("revision {id}: {e}"));
    let refused = |e: crate::domain::catalogue::CatalogueError| {
        AppError::BadRequest(format!(
            "Revision {id} cannot be restored as it stands today: {e}"
        ))
    };
    let entity = revision.entity().ok_or(AppError::NotFound)?;
    let back =
        match entity {
            Entity::Role => {
                let version: RoleVersion = serde_json::from_str(&json).map_err(bad)?;
                restore_role(&state, &admin, &catalogue, version, summary).await?
            }
            Entity::Skill => {
                let skill: Skill = serde_json::from_str(&json).map_err(bad)?;
                apply(&catalogue, &Edit::SaveSkill(skill.clone())).map_err(refused)?;
                let before = catalogue.skill(&skill.slug).map(to_json).transpose()?;
                let after = to_json(&skill)?;
                let position = catalogue.skills.len();
                let back = format!("/admin/skills/{}?published=1", skill.slug);
                publish(&state, &admin, move |conn, actor, now| {
                    crate::db::admin::publish(
                        conn,
                        actor,
                        &[Write::Skill {
                            skill: &skill,
                            position,
                        }],
                        vec![NewRevision {
                            entity: Entity::Skill,
                            key: skill.slug.clone(),
                            summary,
                            before,
                            after: Some(after),
                        }],
                        "restored revision",
                        &skill.slug,
                        now,
                    )
                })
                .await?;
                back
            }
            Entity::PairNote => {
                let version: PairNoteVersion = serde_json::from_str(&json).map_err(bad)?;
                let edit = Edit::SavePairNote {
                    from: version.from.clone(),
                    to: version.to.clone(),
                    note: version.note.clone(),
                };
                apply(&catalogue, &edit).map_err(refused)?;
                let before = catalogue
                    .pair_note(&version.from, &version.to)
                    .map(|n| {
                        to_json(&PairNoteVersion {
                            note: n.clone(),
                            ..version.clone()
                        })
                    })
                    .transpose()?;
                let after = to_json(&version)?;
                let back = format!("/admin/notes/{}/{}?published=1", version.from, version.to);
                let key = format!("{}>{}", version.from, version.to);
                publish(&state, &admin, move |conn, actor, now| {
                    crate::db::admin::publish(
                        conn,
                        actor,
                        &[Write::PairNote {
                            from: &version.from,
                            to: &version.to,
                            note: &version.note,
                        }],
                        vec![NewRevision {
                            entity: Entity::PairNote,
                            key: key.clone(),
                            summary,
                            before,
                            after: Some(after),
                        }],
                        "restored revision",
                        &key,
                        now,
                    )
                })
                .await?;
                back
            }
            Entity::Question => {
                let version: QuestionVersion = serde_json::from_str(&json).map_err(bad)?;
                let role = catalogue
                .any_role(&version.role)
                .or_else(|| catalogue.renamed(&version.role).and_then(|s| catalogue.any_role(s)))
                .ok_or_else(|| {
                    AppError::BadRequest(format!(
                        "Revision {id} cannot be restored: its role is no longer in the catalogue."
                    ))
                })?
                .slug
                .clone();
                let existing: Option<i32> = revision.entity_key.parse().ok();
                let current = match existing {
                    Some(qid) => {
                        crate::db::run(&state.pool, move |conn| {
                            crate::db::practice::question_by_id(conn, qid)
                        })
                        .await?
                    }
                    None => None,
                };
                let before = current
                    .as_ref()
                    .map(|q| {
                        to_json(&QuestionVersion {
                            role: q.row.role_slug.clone(),
                            kind: q.row.kind(),
                            text: q.row.text.clone(),
                            points: q.points.clone(),
                        })
                    })
                    .transpose()?;
                let role_slug = role.clone();
                let version = QuestionVersion { role, ..version };
                let after = to_json(&version)?;
                let still_there = current.map(|q| q.row.id);
                let published = publish(&state, &admin, move |conn, actor, now| {
                    let write = match still_there {
                        Some(qid) => Write::Question {
                            id: qid,
                            kind: version.kind,
                            text: &version.text,
                            points: &version.points,
                        },
                        None => Write::NewQuestion {
                            role: &version.role,
                            kind: version.kind,
                            text: &version.text,
                            points: &version.points,
                        },
                    };
                    crate::db::admin::publish(
                        conn,
                        actor,
                        &[write],
                        vec![NewRevision {
                            entity: Entity::Question,
                            key: still_there.map(|i| i.to_string()).unwrap_or_default(),
                            summary,
                            before,
                            after: Some(after),
                        }],
                        "restored revision",
                        &version.role,
                        now,
                    )
                })
                .await?;
                let qid = still_there.or(published.new_question).unwrap_or_default();
                format!("/admin/questions/{role_slug}/{qid}?published=1")
            }
        };
    Ok(see_other(&back))
}

async fn restore_role(
    state: &AppState,
    admin: &Admin,
    catalogue: &Catalogue,
    version: RoleVersion,
    summary: String,
) -> Result<String, AppError> {
    let slug = version.role.slug.clone();
    // The role as it is now: under the same slug, or under the slug it was renamed to.
    let current = catalogue.role_version(&slug).or_else(|| {
        catalogue
            .renamed(&slug)
            .and_then(|s| catalogue.role_version(s))
    });
    let original = current.as_ref().map(|c| c.role.slug.clone());
    let refused = |e: crate::domain::catalogue::CatalogueError| {
        AppError::BadRequest(format!(
            "This version cannot be restored as it stands today: {e}"
        ))
    };
    let saved = apply(
        catalogue,
        &Edit::SaveRole {
            original: original.clone(),
            role: Box::new(version.role.clone()),
        },
    )
    .map_err(refused)?;
    let now_retired = saved.retired_role(&slug).is_some();
    if now_retired != version.retired {
        apply(
            &saved,
            &Edit::SetRetired {
                slug: slug.clone(),
                retired: version.retired,
            },
        )
        .map_err(refused)?;
    }
    let before = current.as_ref().map(to_json).transpose()?;
    let after = to_json(&version)?;
    let change_retired = now_retired != version.retired;
    publish(state, admin, move |conn, actor, now| {
        let mut writes = vec![Write::Role {
            original: original.as_deref(),
            role: &version.role,
        }];
        if change_retired {
            writes.push(Write::Retired {
                slug: &version.role.slug,
                retired: version.retired,
            });
        }
        crate::db::admin::publish(
            conn,
            actor,
            &writes,
            vec![NewRevision {
                entity: Entity::Role,
                key: version.role.slug.clone(),
                summary,
                before,
                after: Some(after),
            }],
            "restored revision",
            &version.role.slug,
            now,
        )
    })
    .await?;
    Ok(format!("/admin/roles/{slug}?published=1"))
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    recent: Vec<AuditEntry>,
}

#[get("/admin/audit")]
async fn audit(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let recent = crate::db::run(&state.pool, |conn| crate::db::admin::audit_log(conn, 500)).await?;
    render(
        StatusCode::OK,
        &AuditPage {
            layout: super::layout(&req, &admin),
            recent,
        },
    )
}
