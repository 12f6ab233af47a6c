// @generated shape: matches migrations/ (kept by hand in the same form `diesel print-schema` writes).

diesel::table! {
    sectors (slug) {
        slug -> Text,
        name -> Text,
        position -> Integer,
    }
}

diesel::table! {
    skills (slug) {
        slug -> Text,
        name -> Text,
        category -> Text,
        learn_weeks -> Integer,
        evidence -> Text,
        position -> Integer,
    }
}

diesel::table! {
    roles (slug) {
        slug -> Text,
        title -> Text,
        sector -> Text,
        summary -> Text,
        appeal -> Text,
        challenges -> Text,
        interviewers_look_for -> Text,
        routes_in -> Text,
        salary_reviewed -> Date,
        entry_min -> BigInt,
        entry_max -> BigInt,
        mid_min -> BigInt,
        mid_max -> BigInt,
        senior_min -> BigInt,
        senior_max -> BigInt,
        qualification_name -> Nullable<Text>,
        qualification_route -> Nullable<Text>,
        qualification_months -> Nullable<Integer>,
        qualification_cost -> Nullable<Text>,
        updated_at -> Timestamp,
        pay_basis -> Text,
        qualification_applies_in -> Text,
        qualification_elsewhere -> Text,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    role_entry_routes (role_slug, position) {
        role_slug -> Text,
        position -> Integer,
        name -> Text,
        kind -> Text,
        months -> Integer,
        unpaid_months -> Integer,
        apply_min_months -> Integer,
        apply_max_months -> Integer,
        entry_requirements -> Text,
        cost -> Text,
        funding -> Text,
        degree_required -> Bool,
    }
}

diesel::table! {
    role_skill_timing (role_slug, skill_slug) {
        role_slug -> Text,
        skill_slug -> Text,
        timing -> Text,
    }
}

diesel::table! {
    skill_families (skill_slug) {
        skill_slug -> Text,
        family -> Text,
    }
}

diesel::table! {
    role_skills (role_slug, skill_slug) {
        role_slug -> Text,
        skill_slug -> Text,
        importance -> Text,
        usage -> Text,
        position -> Integer,
    }
}

diesel::table! {
    role_activities (role_slug, position) {
        role_slug -> Text,
        position -> Integer,
        title -> Text,
        description -> Text,
    }
}

diesel::table! {
    app_meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::joinable!(roles -> sectors (sector));
diesel::joinable!(role_skills -> roles (role_slug));
diesel::joinable!(role_skills -> skills (skill_slug));
diesel::joinable!(role_activities -> roles (role_slug));
diesel::joinable!(role_entry_routes -> roles (role_slug));
diesel::joinable!(skill_families -> skills (skill_slug));

diesel::allow_tables_to_appear_in_same_query!(
    sectors,
    skills,
    roles,
    role_skills,
    role_activities,
    role_entry_routes,
    role_skill_timing,
    skill_families,
    app_meta
);

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        password_hash -> Text,
        time_zone -> Text,
        email_verified_at -> Nullable<Timestamp>,
        is_admin -> Bool,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        disabled_reason -> Text,
        last_sign_in_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Nullable<Integer>,
        state -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        absolute_expires_at -> Timestamp,
    }
}

diesel::table! {
    email_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Integer,
        purpose -> Text,
        new_email -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sign_in_failures (id) {
        id -> Integer,
        email_hash -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    email_log (id) {
        id -> Integer,
        user_id -> Integer,
        kind -> Text,
        recipient_hash -> Text,
        delivered -> Bool,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(email_log -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    email_tokens,
    sign_in_failures,
    email_log
);

diesel::table! {
    mail_outbox (id) {
        id -> Integer,
        idempotency_key -> Text,
        message_id -> Text,
        user_id -> Nullable<Integer>,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        list_unsubscribe -> Nullable<Text>,
        milestone_id -> Nullable<Integer>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(mail_outbox -> users (user_id));

diesel::table! {
    reminder_settings (user_id) {
        user_id -> Integer,
        days_before -> Integer,
        on_overdue -> Bool,
        weekly_digest -> Bool,
        digest_weekday -> Integer,
        send_hour -> Integer,
        paused -> Bool,
        unsubscribe_token -> Text,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(reminder_settings -> users (user_id));

diesel::table! {
    saved_transitions (id) {
        id -> Integer,
        user_id -> Integer,
        from_slug -> Text,
        to_slug -> Text,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    plans (id) {
        id -> Integer,
        user_id -> Integer,
        saved_transition_id -> Integer,
        start_date -> Date,
        months -> Integer,
        hours_per_week -> Integer,
        status -> Text,
        calendar_token -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        skipped_skills -> Text,
    }
}

diesel::table! {
    milestones (id) {
        id -> Integer,
        plan_id -> Integer,
        position -> Integer,
        kind -> Text,
        title -> Text,
        detail -> Text,
        skill_slug -> Nullable<Text>,
        starts_on -> Nullable<Date>,
        due_on -> Nullable<Date>,
        status -> Text,
        notes -> Text,
        edited -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(saved_transitions -> users (user_id));
diesel::joinable!(plans -> users (user_id));
diesel::joinable!(plans -> saved_transitions (saved_transition_id));
diesel::joinable!(milestones -> plans (plan_id));

diesel::allow_tables_to_appear_in_same_query!(
    saved_transitions,
    plans,
    milestones,
    users,
    reminder_settings,
    mail_outbox
);

diesel::table! {
    practice_questions (id) {
        id -> Integer,
        role_slug -> Text,
        position -> Integer,
        kind -> Text,
        text -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    practice_points (id) {
        id -> Integer,
        question_id -> Integer,
        position -> Integer,
        point -> Text,
        signals -> Text,
    }
}

diesel::table! {
    practice_terms (role_slug, term) {
        role_slug -> Text,
        term -> Text,
    }
}

diesel::table! {
    practice_attempts (id) {
        id -> Integer,
        user_id -> Integer,
        question_id -> Nullable<Integer>,
        role_slug -> Text,
        question_text -> Text,
        answer -> Text,
        feedback -> Text,
        points_covered -> Integer,
        points_total -> Integer,
        local_day -> Date,
        counted -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    subscriptions (user_id) {
        user_id -> Integer,
        premium -> Bool,
        trial_started_at -> Nullable<Timestamp>,
        trial_ends_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(practice_points -> practice_questions (question_id));
diesel::joinable!(practice_attempts -> users (user_id));
diesel::joinable!(subscriptions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    practice_questions,
    practice_points,
    practice_attempts,
    subscriptions,
    users
);

diesel::table! {
    role_redirects (old_slug) {
        old_slug -> Text,
        new_slug -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    pair_notes (from_slug, to_slug) {
        from_slug -> Text,
        to_slug -> Text,
        note -> Text,
        faq -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    revisions (id) {
        id -> Integer,
        entity -> Text,
        entity_key -> Text,
        summary -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        admin_id -> Nullable<Integer>,
        admin_email -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        admin_id -> Nullable<Integer>,
        admin_email -> Text,
        action -> Text,
        target -> Text,
        detail -> Text,
        revision_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    skill_profiles (user_id) {
        user_id -> Integer,
        role_slug -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    profile_skills (user_id, skill_slug) {
        user_id -> Integer,
        skill_slug -> Text,
        level -> Text,
    }
}
