//! Interview practice: scoring an answer against a question's talking points, and the
//! rules of the free, trial and premium tiers. Pure code; the database and the pages live
//! in `db::practice` and `web::practice`.

pub mod feedback;
pub mod tier;
pub mod words;
