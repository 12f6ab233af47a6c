//! `/admin/skills`: edit a skill's name, category, learning time and evidence hint; add a
//! skill; merge a duplicate into the skill it repeats.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;

use super::{Fields, FormErrors, publish, see_other, to_json};
use crate::db::admin::{Entity, NewRevision, Write};
use crate::domain::catalogue::{Catalogue, Role, Skill, SkillCategory};
use crate::domain::editing::{Edit, RoleVersion, apply, merged_roles};
use crate::domain::slug::Slug;
use crate::error::AppError;
use crate::web::AppState;
use crate::web::layout::{Layout, render};
use crate::web::visitor::{Admin, AdminForm};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(merge_form)
        .service(merge)
        .service(new_form)
        .service(create)
        .service(edit_form)
        .service(update);
}

const CATEGORIES: [(&str, &str); 3] = [
    ("technical", "Technical"),
    ("professional", "Professional"),
    ("domain", "Domain knowledge"),
];

#[derive(Template)]
#[template(path = "admin/skills.html")]
struct IndexPage<'a> {
    layout: Layout,
    skills: Vec<(&'a Skill, usize)>,
}

#[get("/admin/skills")]
async fn index(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let skills = catalogue
        .skills
        .iter()
        .map(|s| (s, users_of(&catalogue, &s.slug).len()))
        .collect();
    render(
        StatusCode::OK,
        &IndexPage {
            layout: super::layout(&req, &admin),
            skills,
        },
    )
}

/// Live roles that list the skill.
fn users_of<'a>(catalogue: &'a Catalogue, slug: &str) -> Vec<&'a Role> {
    catalogue
        .roles
        .iter()
        .filter(|r| r.has_skill(slug).is_some())
        .collect()
}

#[derive(Debug, Clone, Default)]
struct SkillDraft {
    slug: String,
    name: String,
    category: String,
    learn_weeks: String,
    evidence: String,
    family: String,
}

impl SkillDraft {
    fn from_skill(s: &Skill) -> Self {
        Self {
            slug: s.slug.clone(),
            name: s.name.clone(),
            category: s.category.as_str().to_owned(),
            learn_weeks: s.learn_weeks.to_string(),
            evidence: s.evidence.clone(),
            family: s.family.clone().unwrap_or_default(),
        }
    }

    fn from_fields(f: &Fields) -> Self {
        Self {
            slug: f.get("slug").trim().to_owned(),
            name: f.get("name").trim().to_owned(),
            category: f.get("category").to_owned(),
            learn_weeks: f.get("learn_weeks").trim().to_owned(),
            evidence: f.get("evidence").trim().to_owned(),
            family: f.get("family").trim().to_owned(),
        }
    }

    fn parse(&self) -> Result<Skill, FormErrors> {
        let mut e = FormErrors::default();
        if let Err(err) = Slug::parse(&self.slug) {
            e.field("slug", format!("Slug: {err}."));
        }
        if self.name.is_empty() || self.name.chars().count() > 80 {
            e.field("name", "Name: enter 1 to 80 characters.");
        }
        let category = SkillCategory::parse(&self.category);
        if category.is_none() {
            e.field("category", "Category: choose one from the list.");
        }
        let weeks = self
            .learn_weeks
            .parse::<u32>()
            .ok()
            .filter(|w| (1..=260).contains(w));
        if weeks.is_none() {
            e.field(
                "learn_weeks",
                "Learning time: enter a whole number of weeks from 1 to 260.",
            );
        }
        if self.evidence.is_empty() || self.evidence.chars().count() > 1000 {
            e.field(
                "evidence",
                "Evidence hint: say in up to 1,000 characters what shows an employer the skill.",
            );
        }
        if !self.family.is_empty() && Slug::parse(&self.family).is_err() {
            e.field(
                "family",
                "Family: use lowercase letters, digits and hyphens, or leave it empty.",
            );
        }
        match (category, weeks) {
            (Some(category), Some(learn_weeks)) if e.is_empty() => Ok(Skill {
                slug: self.slug.clone(),
                name: self.name.clone(),
                category,
                learn_weeks,
                evidence: self.evidence.clone(),
                family: (!self.family.is_empty()).then(|| self.family.clone()),
            }),
            _ => Err(e),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/skill_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    is_new: bool,
    draft: SkillDraft,
    errors: FormErrors,
    used_by: Vec<(String, String)>,
    categories: [(&'static str, &'static str); 3],
}

impl FormPage {
    fn err(&self, name: &str) -> Option<&str> {
        self.errors.get(name)
    }
}

fn form_page(
    req: &HttpRequest,
    admin: &Admin,
    catalogue: &Catalogue,
    draft: SkillDraft,
    is_new: bool,
    errors: FormErrors,
) -> FormPage {
    let used_by = users_of(catalogue, &draft.slug)
        .into_iter()
        .map(|r| (r.slug.clone(), r.title.clone()))
        .collect();
    FormPage {
        layout: super::layout(req, admin),
        heading: if is_new {
            "Add a skill".to_owned()
        } else {
            format!("Edit {}", draft.name)
        },
        action: if is_new {
            "/admin/skills/new".to_owned()
        } else {
            format!("/admin/skills/{}", draft.slug)
        },
        is_new,
        draft,
        errors,
        used_by: if is_new { Vec::new() } else { used_by },
        categories: CATEGORIES,
    }
}

#[get("/admin/skills/new")]
async fn new_form(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let draft = SkillDraft {
        category: "technical".into(),
        ..SkillDraft::default()
    };
    render(
        StatusCode::OK,
        &form_page(&req, &admin, &catalogue, draft, true, FormErrors::default()),
    )
}

#[get("/admin/skills/{slug}")]
async fn edit_form(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let skill = catalogue.skill(&slug).ok_or(AppError::NotFound)?;
    render(
        StatusCode::OK,
        &form_page(
            &req,
            &admin,
            &catalogue,
            SkillDraft::from_skill(skill),
            false,
            FormErrors::default(),
        ),
    )
}

#[post("/admin/skills/new")]
async fn create(
    req: HttpRequest,
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let draft = SkillDraft::from_fields(&form);
    save(&req, &admin, &state, draft, true).await
}

#[post("/admin/skills/{slug}")]
async fn update(
    req: HttpRequest,
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if state.content.catalogue().skill(&slug).is_none() {
        return Err(AppError::NotFound);
    }
    let mut draft = SkillDraft::from_fields(&form);
    // A skill keeps its slug: roles and plans refer to it.
    draft.slug = slug.into_inner();
    save(&req, &admin, &state, draft, false).await
}

async fn save(
    req: &HttpRequest,
    admin: &Admin,
    state: &AppState,
    draft: SkillDraft,
    is_new: bool,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let invalid = |draft: SkillDraft, errors: FormErrors| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(req, admin, &catalogue, draft, is_new, errors),
        )
    };
    let skill = match draft.parse() {
        Ok(skill) => skill,
        Err(errors) => return invalid(draft, errors),
    };
    if is_new && catalogue.skill(&skill.slug).is_some() {
        let mut errors = FormErrors::default();
        errors.field("slug", "Slug: a skill with this slug already exists.");
        return invalid(draft, errors);
    }
    let before = catalogue.skill(&skill.slug).cloned();
    if let Err(problems) = apply(&catalogue, &Edit::SaveSkill(skill.clone())) {
        return invalid(
            draft,
            FormErrors {
                general: problems.problems,
                ..FormErrors::default()
            },
        );
    }
    let before_json = before.as_ref().map(to_json).transpose()?;
    let after_json = to_json(&skill)?;
    let summary = if is_new {
        format!("Added skill {}", skill.name)
    } else {
        format!("Edited skill {}", skill.name)
    };
    let position = catalogue.skills.len();
    let slug = skill.slug.clone();
    publish(state, admin, move |conn, actor, now| {
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
                before: before_json,
                after: Some(after_json),
            }],
            if is_new {
                "added skill"
            } else {
                "edited skill"
            },
            &skill.slug,
            now,
        )
    })
    .await?;
    Ok(see_other(&format!("/admin/skills/{slug}?published=1")))
}

#[derive(Template)]
#[template(path = "admin/merge.html")]
struct MergePage<'a> {
    layout: Layout,
    skills: &'a [Skill],
    from: String,
    into: String,
    errors: FormErrors,
    /// Roles the merge would rewrite, once both skills are chosen.
    affected: Vec<String>,
}

impl MergePage<'_> {
    fn err(&self, name: &str) -> Option<&str> {
        self.errors.get(name)
    }
}

#[get("/admin/skills/merge")]
async fn merge_form(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    render(
        StatusCode::OK,
        &MergePage {
            layout: super::layout(&req, &admin),
            skills: &catalogue.skills,
            from: String::new(),
            into: String::new(),
            errors: FormErrors::default(),
            affected: Vec::new(),
        },
    )
}

/// Folds one skill into another. "Preview" lists the roles it rewrites; "Merge" does it,
/// with a revision for each rewritten role and one for the skill that goes.
#[post("/admin/skills/merge")]
async fn merge(
    req: HttpRequest,
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let from = form.get("from").to_owned();
    let into = form.get("into").to_owned();
    let mut page = MergePage {
        layout: super::layout(&req, &admin),
        skills: &catalogue.skills,
        from: from.clone(),
        into: into.clone(),
        errors: FormErrors::default(),
        affected: Vec::new(),
    };
    if catalogue.skill(&from).is_none() {
        page.errors.field("from", "Choose the skill to merge away.");
    }
    if catalogue.skill(&into).is_none() {
        page.errors.field("into", "Choose the skill to keep.");
    }
    if page.errors.is_empty() && from == into {
        page.errors
            .field("into", "Choose a different skill to keep.");
    }
    if !page.errors.is_empty() {
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let rewritten = merged_roles(&catalogue, &from, &into);
    page.affected = rewritten.iter().map(|r| r.title.clone()).collect();
    let edit = Edit::MergeSkills {
        from: from.clone(),
        into: into.clone(),
    };
    if let Err(problems) = apply(&catalogue, &edit) {
        page.errors.general = problems.problems;
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    if form.previewing() {
        return render(StatusCode::OK, &page);
    }
    let mut revisions = Vec::new();
    for role in &rewritten {
        let before = catalogue
            .role_version(&role.slug)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("merged role vanished")))?;
        revisions.push(NewRevision {
            entity: Entity::Role,
            key: role.slug.clone(),
            summary: format!("Merged skill {from} into {into} on {}", role.title),
            after: Some(to_json(&RoleVersion {
                role: role.clone(),
                retired: before.retired,
            })?),
            before: Some(to_json(&before)?),
        });
    }
    let gone = catalogue.skill(&from).cloned().ok_or(AppError::NotFound)?;
    revisions.insert(
        0,
        NewRevision {
            entity: Entity::Skill,
            key: from.clone(),
            summary: format!("Merged skill {} into {into}", gone.name),
            before: Some(to_json(&gone)?),
            after: None,
        },
    );
    let target = format!("{from} → {into}");
    publish(&state, &admin, move |conn, actor, now| {
        let mut writes: Vec<Write<'_>> = rewritten
            .iter()
            .map(|role| Write::Role {
                original: Some(&role.slug),
                role,
            })
            .collect();
        writes.push(Write::RemoveMergedSkill {
            from: &from,
            into: &into,
        });
        crate::db::admin::publish(
            conn,
            actor,
            &writes,
            revisions,
            "merged skills",
            &target,
            now,
        )
    })
    .await?;
    Ok(see_other("/admin/skills?published=1"))
}
