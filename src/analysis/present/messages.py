"""The English source of every message a report, figure, table, index or form shows.

Each message is one entry: ``N_(key, text)``, or ``Np_(key, count, singular, plural)`` for a
sentence whose words follow a number (``count`` names the placeholder holding it). ``key`` is the
message's context (``msgctxt``) in the catalogs and the name the code asks for
(:func:`analysis.present.locale.t`); the English text is the message id a translator sees.
Placeholders in braces (``{n}``) are filled by the code and must be kept by every translation.

``make translations`` extracts these entries with Babel into ``locales/analysis.pot`` (keywords
``N_:1c,2`` and ``Np_:1c,3,4``), updates each language's ``locales/<lang>/LC_MESSAGES/analysis.po``
and compiles the ``.mo`` files the reports read. English is this file itself: it has no catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["N_", "Np_", "MESSAGES"]


@dataclass(frozen=True)
class _Message:
    """One message: its key (the gettext context), its English text and, for a plural message,
    the English plural and the placeholder holding the count."""

    key: str
    text: str
    plural: str | None = None
    count: str | None = None


def N_(key: str, text: str) -> _Message:
    """Mark a message for extraction (``N_:1c,2``) and define it."""
    return _Message(key, text)


def Np_(key: str, count: str, singular: str, plural: str) -> _Message:
    """Mark a plural message for extraction (``Np_:1c,3,4``) and define it."""
    return _Message(key, singular, plural, count)


#: Every message by key, in the order of the catalogs.
MESSAGES: dict[str, _Message] = {
    m.key: m
    for m in (
        N_(
            "synthetic_banner",
            "SYNTHETIC DATA: these numbers come from simulated questionnaires, not from the "
            "officers who attended. They show what the analysis does, not what the "
            "workshops achieved.",
        ),
        N_(
            "index_title",
            "Workshops on public trust and satisfaction with police work, March 2021: "
            "knowledge gain",
        ),
        N_(
            "index_intro",
            "Kosovo Police, Directorate of Community Policing and Prevention, with the OSCE "
            "Mission in Kosovo. Pre-test and post-test of the same knowledge questionnaire; "
            "gain in percentage points among participants with both tests. The workshops "
            "differ in trainer, group and region at once: the table is not a ranking of "
            "directorates.",
        ),
        Np_(
            "index_pooled_link",
            "n_workshops",
            "{n_workshops} workshop together (pooled report)",
            "{n_workshops} workshops together (pooled report)",
        ),
        N_("index_no_questionnaires", "no questionnaires"),
        N_(
            "index_pooled_none",
            "No pooled report: it needs participants with both tests in at least {n_min} "
            "workshops (workshops above with such participants: {n_linked}).",
        ),
        N_("col_workshop", "Workshop"),
        N_("col_directorate", "Regional directorate, date"),
        N_("col_gain_ci", "Mean gain, points [95% CI]"),
        # figures (src/analysis/present/figures/)
        N_("fig_pre", "Pre-test"),
        N_("fig_post", "Post-test"),
        N_("fig_test", "Test"),
        N_(
            "fig_phase_n",
            "{phase}\n(n = {n})",
        ),
        N_("fig_score_axis", "Score (% correct)"),
        N_("fig_change_axis", "Change (percentage points)"),
        N_("fig_empty", "Not enough data to show this figure"),
        N_("fig_suppressed", "Fewer than 5 participants: not shown"),
        N_("fig_flow_title", "Participant flow"),
        N_("fig_flow_received", "Received: {n}"),
        N_("fig_flow_duplicates", "Duplicates removed: {n}"),
        N_("fig_flow_excluded", "Excluded: {n}"),
        N_("fig_flow_scored", "Scored: {n}"),
        N_("fig_flow_paired", "Paired (both tests): {n}"),
        N_("fig_flow_unmatched", "Without a match: {n}"),
        N_("fig_slopes_title", "Individual scores, pre-test to post-test"),
        N_("fig_improved", "Improved"),
        N_("fig_unchanged", "Unchanged"),
        N_("fig_declined", "Declined"),
        N_("fig_mean", "Mean"),
        N_("fig_dist_title", "Scores of all scored questionnaires"),
        N_("fig_topic", "Topic"),
        N_("fig_topic_title", "Change by topic (95% CI)"),
        N_("fig_holm_sig", "Holm-adjusted p < .05"),
        N_("fig_holm_ns", "Holm-adjusted p ≥ .05"),
        N_("fig_item", "Item"),
        N_("fig_item_title", "Correct answers per item, paired participants"),
        N_("fig_item_axis", "Correct answers (%)"),
        N_("fig_post_sig", "Post-test, Holm p < .05"),
        N_("fig_post_ns", "Post-test, Holm p ≥ .05"),
        N_("fig_flag_ceiling", "† ceiling: ≥ 90% correct at pre-test"),
        N_("fig_flag_negdisc", "‡ negative discrimination (check the key)"),
        N_("fig_statement", "Statement"),
        N_("fig_reaction_title", "Reactions to the workshop (post-test)"),
        N_("fig_reaction_axis", "Respondents (%)"),
        N_("fig_likert_1", "Strongly disagree"),
        N_("fig_likert_2", "Disagree"),
        N_("fig_likert_3", "Neither agree nor disagree"),
        N_("fig_likert_4", "Agree"),
        N_("fig_likert_5", "Strongly agree"),
        N_("fig_workshop", "Workshop"),
        N_("fig_pooled", "Together"),
        N_("fig_forest_title", "Mean change per workshop (95% CI)"),
        N_("fig_forest_label", "g_av = {g}, n = {n}"),
        N_("fig_means_title", "Mean score per workshop (95% CI)"),
        # report prose and tables (src/analysis/present/ and the notebooks)
        N_("report_title", "Workshop {number}, {directorate}: knowledge gain"),
        Np_(
            "report_facts",
            "n_paired",
            "One-day workshop on public trust and satisfaction with police work, held on "
            "{date} for officers of the police-station sectors of the regional police "
            "directorate {directorate}. {n_pre} pre-tests and {n_post} post-tests were "
            "scored; {n_paired} participant took both and is linked.",
            "One-day workshop on public trust and satisfaction with police work, held on "
            "{date} for officers of the police-station sectors of the regional police "
            "directorate {directorate}. {n_pre} pre-tests and {n_post} post-tests were "
            "scored; {n_paired} participants took both and are linked.",
        ),
        Np_(
            "pooled_title",
            "n_workshops",
            "{n_workshops} workshop together: knowledge gain",
            "{n_workshops} workshops together: knowledge gain",
        ),
        Np_(
            "pooled_facts",
            "n_workshops",
            "{n_workshops} workshop ({workshops}), {n_scored} scored questionnaires, "
            "{n_paired} participants with both tests.",
            "{n_workshops} workshops ({workshops}), {n_scored} scored questionnaires, "
            "{n_paired} participants with both tests.",
        ),
        N_("h_flow", "Participant flow"),
        N_("h_result", "Knowledge gain"),
        N_("h_topics", "Topics"),
        N_("h_items", "Items"),
        N_("h_reliability", "Reliability"),
        N_("h_reaction", "Reaction to the workshop (level 1)"),
        N_("h_subgroups", "Subgroups"),
        N_("h_sensitivity", "Sensitivity"),
        N_("h_limitations", "Limitations"),
        N_("h_methods", "Methods"),
        N_("h_provenance", "Provenance"),
        N_("h_forest", "Gain per workshop"),
        N_("h_compare", "Comparison between workshops"),
        N_("h_models", "Models over all workshops"),
        N_("h_warnings", "Model diagnostics"),
        N_(
            "flow_text",
            "Pre-test / post-test questionnaires received: {received_pre} / "
            "{received_post}; dropped as duplicates: {duplicates_pre} / {duplicates_post}; "
            "excluded as incomplete (fewer than half of the items answered) or without a "
            "code: {excluded_pre} / {excluded_post}; scored: {scored_pre} / {scored_post}; "
            "without a match: {unmatched_pre} / {unmatched_post} (these count only in the "
            "per-phase numbers). Paired: {paired} participants, {fuzzy_links} of them "
            "across a one-character slip in the code.",
        ),
        N_(
            "headline_up",
            "Among the {n} participants with both tests the mean score rose from {pre}% to "
            "{post}%, a gain of {diff} percentage points (95% CI {ci}); {apa}.",
        ),
        N_(
            "headline_down",
            "Among the {n} participants with both tests the mean score fell from {pre}% to "
            "{post}%, a loss of {diff} percentage points (95% CI {ci}); {apa}.",
        ),
        N_(
            "headline_effects",
            "Effect size g_av = {g_av}; normalized gain g = {hake}; mean normalized change "
            "c = {c}. Of the participants, {improved}% improved, {unchanged}% scored the "
            "same and {declined}% scored lower.",
        ),
        Np_(
            "headline_too_few",
            "n",
            "Only {n} participant has both tests: too few for paired statistics.",
            "Only {n} participants have both tests: too few for paired statistics.",
        ),
        N_(
            "apa_undefined",
            "the paired t-test is undefined here (n = {n} or no variation in the gains)",
        ),
        N_("ci95", "95% CI"),
        N_(
            "topics_text",
            "Paired statistics per topic sub-score among the linked participants; p-values "
            "Holm-adjusted across the {k} topics. Largest gain: {best} ({best_diff} points).",
        ),
        Np_(
            "items_text",
            "n_sig",
            "{n_sig} of {k} items changed significantly (exact McNemar test, Holm-adjusted, "
            "p < .05). Percent correct pre and post is over the {n} paired participants; "
            "difficulty and discrimination over all scored questionnaires of each phase. "
            "Fell by 20 points or more: {fell}. At ceiling before the workshop (at least "
            "90% correct in the pre-test): {ceiling}. Negative discrimination (an "
            "item-total correlation below 0) in at least one phase: {negative}; negative in "
            "both phases points to a wrong key{chance}.",
            "{n_sig} of {k} items changed significantly (exact McNemar test, Holm-adjusted, "
            "p < .05). Percent correct pre and post is over the {n} paired participants; "
            "difficulty and discrimination over all scored questionnaires of each phase. "
            "Fell by 20 points or more: {fell}. At ceiling before the workshop (at least "
            "90% correct in the pre-test): {ceiling}. Negative discrimination (an "
            "item-total correlation below 0) in at least one phase: {negative}; negative in "
            "both phases points to a wrong key{chance}.",
        ),
        N_("none", "none"),
        N_("negative_chance", ", in one phase alone it may be chance in a group this small"),
        N_("both_phases", "both phases"),
        N_(
            "reliability_text",
            "KR-20 (Cronbach's alpha of the {k} right/wrong items) is {pre} in the pre-test "
            "and {post} in the post-test. Values below .70 mean the total score carries "
            "much measurement noise, and topic and item results even more.",
        ),
        Np_(
            "reaction_text",
            "n",
            "Answers of {n} post-test questionnaire on a five-point scale (1 = strongly "
            "disagree, 5 = strongly agree). Highest agreement: {best} ({best_pct}% agree).",
            "Answers of {n} post-test questionnaires on a five-point scale (1 = strongly "
            "disagree, 5 = strongly agree). Highest agreement: {best} ({best_pct}% agree).",
        ),
        N_(
            "subgroups_text",
            "Mean gain (percentage points) with its 95% CI per group. To protect "
            "identities, groups with fewer than 5 participants are never named: they are "
            "pooled into one group 'other'; if that is still under 5 it is shown as <5 "
            "without statistics, and further groups are hidden (marked *) until the hidden "
            "ones cannot be worked out from the total. The groups are described, not "
            "compared: no test is made, and groups this small differ by chance.",
        ),
        N_(
            "sensitivity_text",
            "With {n} linked participants, a two-sided paired t-test at α = .05 has 80% "
            "power only for effects of d_z ≥ {mde}. {verdict}",
        ),
        N_(
            "limitations_text",
            "- **No control group.** A one-group pre/post design cannot separate the "
            "workshop from anything else that happened between the two tests.\n"
            "- **Testing effect.** The same questionnaire was answered twice on the same "
            "day; familiarity with the questions alone can raise the post-test score.\n"
            "- **Regression to the mean.** Officers were not selected on their pre-test "
            "score, so regression to the mean does not bias the group's mean gain; it does "
            "make individual gains look larger for low pre-test scores and smaller for high "
            "ones. The correlation of pre-test score and gain, r = {r_pre_gain}, is "
            "expected to be negative even without any effect; the pre-post correlation is r "
            "= {r_pre_post}.\n"
            "- **Ceiling.** {n_ceiling} of {k} items were answered correctly by at least "
            "90% before the workshop and leave little room to improve.\n"
            "- **Attrition.** {paired} of {received} participants with a pre-test could be "
            "paired with a post-test ({attrition}% not paired); if those who were lost "
            "differ, the gain is biased.\n"
            "- **Knowledge is not practice.** The test measures knowledge at the end of the "
            "day (Kirkpatrick level 2): it says nothing about behaviour on duty or public "
            "trust (levels 3 and 4), nor about how long the knowledge lasts.\n"
            "- **Reaction.** The reaction items were answered on the coded post-test right "
            "after the workshop, which invites favourable answers; “I will apply” is an "
            "intention, not use.",
        ),
        N_(
            "limitations_synthetic",
            "- **Synthetic data.** Every number above comes from simulated questionnaires.",
        ),
        N_(
            "methods_text",
            "Scores are percent correct over all {k} knowledge items (blank and invalid "
            "answers count as wrong). Per workshop, among participants with both tests: "
            "paired t-test and the 95% CI of the mean gain; Wilcoxon signed-rank test on "
            "the numbers correct with the matched-pairs rank-biserial correlation (Kerby, "
            "2014); d_z = mean gain / SD of the gains with its exact noncentral-t interval "
            "(Steiger & Fouladi, 1997); g_av, the gain over the mean of the two SDs with "
            "Hedges' correction (Lakens, 2013); the class-average normalized gain (Hake, "
            "1998) and the mean normalized change (Marx & Cummings, 2007); KR-20 per phase. "
            "The paired t-test on the gain in points is the primary analysis and the "
            "Wilcoxon test a check of it; d_z (gain / SD of the gains) depends on how "
            "closely pre and post scores correlate, g_av (gain / mean SD) does not, so the "
            "two can differ. Pre and post questionnaires were linked by participant code: "
            "exact matches first, then codes one character apart when each was the other's "
            "only candidate; unlinked questionnaires count only in the per-test numbers. "
            "Topics and items: Holm-adjusted p-values (Holm, 1979); exact McNemar tests per "
            "item; topic and item results are exploratory. Sensitivity: statsmodels "
            "TTestPower. Level 1 and 2 of Kirkpatrick & Kirkpatrick (2006).",
        ),
        N_(
            "methods_pooled_text",
            "Linear mixed model score ~ phase + workshop with a random intercept per "
            "participant (REML, statsmodels MixedLM) on every scored questionnaire, linked "
            "or not; the post-test coefficient with its Wald 95% CI. Likelihood-ratio test "
            "(ML fits) of adding phase × workshop. ANCOVA of the post-test score on the "
            "pre-test score and workshop (type II F-test). Item-level logistic GEE (correct "
            "~ phase + topic, participant clusters, exchangeable correlation) as a "
            "sensitivity check.",
        ),
        N_(
            "references",
            "**References.** Hake, R. R. (1998). *Am. J. Phys.* 66, 64. · Holm, S. (1979). "
            "*Scand. J. Stat.* 6, 65–70. · Kerby, D. S. (2014). *Comprehensive Psychology* "
            "3. · Kirkpatrick, D. L., & Kirkpatrick, J. D. (2006). *Evaluating Training "
            "Programs* (3rd ed.). · Lakens, D. (2013). *Front. Psychol.* 4, 863. · Marx, J. "
            "D., & Cummings, K. (2007). *Am. J. Phys.* 75, 87. · Steiger, J. H., & Fouladi, "
            "R. T. (1997). Noncentrality interval estimation.",
        ),
        N_(
            "provenance_text",
            "Cleaned from the raw files below (SHA-256), with the code at commit {commit}.",
        ),
        N_(
            "lmm_text",
            "Mixed model over all scored questionnaires ({n_obs} questionnaires of "
            "{n_groups} participants, a questionnaire that could not be linked counting as "
            "a participant of its own): the post-test scores {effect} points higher than "
            "the pre-test, 95% CI {ci}. {interaction} ANCOVA, post-test on pre-test and "
            "workshop: workshop {p_ancova}. Item-level GEE: odds ratio of a correct answer "
            "post vs pre {or_} (95% CI {or_ci}), {p_gee}.",
        ),
        N_(
            "interaction_test",
            "Phase × workshop interaction: likelihood-ratio χ²({df}) = {lr}, {p_int}.",
        ),
        N_(
            "interaction_one_workshop",
            "Phase × workshop interaction: not testable with one workshop.",
        ),
        N_(
            "interaction_no_df",
            "Phase × workshop interaction: not testable (the data leave the interaction no "
            "degree of freedom).",
        ),
        N_(
            "warnings_none",
            "The models converged without warnings; the mixed model's fixed effects agree "
            "with ordinary least squares (largest difference {diff} OLS standard errors).",
        ),
        N_(
            "warnings_some",
            "The model fits reported the following; read the pooled estimates with care:",
        ),
        N_("topic_trust", "Community policing and trust"),
        N_("topic_problem_solving", "Identifying and addressing problems"),
        N_("topic_communication", "Communication"),
        N_("topic_victims", "Treatment of crime victims"),
        N_("topic_communities", "Relations with all communities"),
        N_("var_gender", "Gender"),
        N_("var_community", "Community"),
        N_("var_years_of_service", "Years of service"),
        N_("group_missing", "not stated"),
        N_("col_stage", "Stage"),
        N_("col_pre", "Pre-test"),
        N_("col_post", "Post-test"),
        N_("col_topic", "Topic"),
        N_("col_item", "Item"),
        N_("col_n", "n"),
        N_("col_pre_mean", "Pre mean (%)"),
        N_("col_post_mean", "Post mean (%)"),
        N_("col_gain", "Gain (points)"),
        N_("col_ci", "95% CI"),
        N_("col_d_z", "d_z"),
        N_("col_p_holm", "p (Holm)"),
        N_("col_pre_correct", "Correct pre (%)"),
        N_("col_post_correct", "Correct post (%)"),
        N_("col_gained_lost", "Gained / lost"),
        N_("col_difficulty", "Difficulty pre / post"),
        N_("col_discrimination", "Discrimination pre / post"),
        N_("col_flags", "Flags"),
        N_("flag_ceiling", "ceiling"),
        N_("flag_negative", "negative discrimination"),
        N_("col_statement", "Statement"),
        N_("col_agree", "Agree (%)"),
        N_("col_median", "Median"),
        N_("col_variable", "Characteristic"),
        N_("col_group", "Group"),
        N_("col_file", "File"),
        N_("col_package", "Package"),
        N_("col_version", "Version"),
        N_("col_statistic", "Statistic"),
        N_("col_value", "Value"),
        N_("col_term", "Term"),
        N_("col_estimate", "Estimate"),
        N_("col_p", "p"),
        N_("col_wilcoxon_p", "Wilcoxon p"),
        N_("col_wilcoxon_p_holm", "Wilcoxon p (Holm)"),
        N_("col_rank_biserial", "Rank-biserial r"),
        N_("col_d_z_ci", "d_z 95% CI"),
        N_("col_g_av", "g_av"),
        N_("col_hake_g", "Hake's g"),
        N_("col_norm_change", "Mean normalized change"),
        N_("col_improved", "Improved / unchanged / declined (%)"),
        N_("sens_n", "Linked participants (n)"),
        N_("sens_alpha", "Significance level α (two-sided)"),
        N_("sens_power", "Power"),
        N_("sens_mde", "Minimal detectable d_z"),
        N_("sens_observed", "Observed d_z (95% CI)"),
        N_(
            "tests_per_topic_text",
            "Every paired statistic per topic: t-test (p and Holm-adjusted p across the "
            "topics), Wilcoxon signed-rank test on the numbers correct, rank-biserial r, "
            "d_z with its exact interval, g_av, Hake's g, the mean normalized change, and "
            "the shares who improved, stayed the same or declined.",
        ),
        N_("stage_received", "Received"),
        N_("stage_duplicates", "Duplicates dropped"),
        N_("stage_excluded", "Excluded (incomplete or no code)"),
        N_("stage_scored", "Scored"),
        N_("stage_unmatched", "Without a match"),
        N_("stage_paired", "Paired (both tests)"),
        N_("stage_fuzzy", "of them paired across a one-character slip"),
        N_("term_lmm_phase_effect", "LMM: post − pre (points)"),
        N_("term_lmm_interaction_lr", "LMM: phase × workshop (LR χ²)"),
        N_("term_ancova_workshop_F", "ANCOVA: workshop (F)"),
        N_("term_gee_odds_ratio", "GEE: odds ratio post / pre"),
        N_(
            "sensitivity_significant",
            "This gain is significant; the 95% CI of d_z, {ci}, shows the effect sizes the "
            "data are compatible with. The minimal detectable effect describes the design, "
            "not this result.",
        ),
        N_(
            "sensitivity_not_significant",
            "This gain is not significant, and with this many participants that is no "
            "evidence that the workshop had no effect: the 95% CI of d_z, {ci}, still "
            "includes effects as large as {high}.",
        ),
        N_(
            "wilcoxon_agrees",
            "The Wilcoxon signed-rank test agrees ({wilcoxon}; rank-biserial r = {rb}).",
        ),
        N_(
            "wilcoxon_differs",
            "The Wilcoxon signed-rank test does not agree ({wilcoxon}; rank-biserial r = "
            "{rb}); read the result with care.",
        ),
        N_("reliability_low_both", "Here KR-20 falls below .70 in both tests."),
        N_("reliability_low", "Here the {phases} falls below .70."),
        N_("cell_hidden", "hidden*"),
        N_("group_other", "other (groups under 5)"),
        N_("value_M", "Men"),
        N_("value_F", "Women"),
        N_("value_Shqiptar", "Albanian"),
        N_("value_Serb", "Serb"),
        N_("value_Turk", "Turkish"),
        N_("value_Boshnjak", "Bosniak"),
        N_("value_Rom", "Roma"),
        N_("value_Ashkali", "Ashkali"),
        N_("value_Egjiptian", "Egyptian"),
        N_("value_Goran", "Gorani"),
        N_(
            "limitations_pooled_numbers",
            "- **Attrition.** {paired} of {scored_pre} officers with a scored pre-test were "
            "paired with a post-test ({attrition}% not paired); if those not paired differ, "
            "the pooled gain is biased. The mixed model uses the unpaired questionnaires "
            "too, assuming they are missing at random.\n"
            "- **Reliability.** KR-20 ranges from {kr_min} to {kr_max} over the workshops "
            "and tests; {n_low} of {n_kr} values are below .70. Topic and item results rest "
            "on fewer items and are less reliable still.\n"
            "- **Ceiling and regression to the mean** apply as in each workshop's report.",
        ),
        N_(
            "limitations_pooled",
            "- **No control group** and **the same test twice**, in every workshop: the "
            "gains likely overstate what the workshops caused and cannot be attributed to "
            "them alone.\n"
            "- **Workshops are not comparable units.** Each differs in trainer, group and "
            "region at once; differences between workshops must not be read as a ranking of "
            "directorates, and {n_workshops} workshops are too few to explain them.\n"
            "- **Knowledge is not practice.** Nothing here measures behaviour on duty or "
            "public trust.",
        ),
        N_(
            "overall_note",
            "The headline gain above ({simple} points) is the mean of all paired "
            "participants' gains. The mixed model below ({lmm} points) uses every scored "
            "questionnaire, paired or not, and compares the phases within workshops, so the "
            "two differ slightly.",
        ),
        N_(
            "compare_text",
            "Mean score of the paired participants per workshop and test, with the 95% CI "
            "of each mean. Overlapping intervals do not mean that a workshop had no effect: "
            "the paired analysis compares each participant with themselves and is more "
            "sensitive.",
        ),
        N_(
            "models_reading",
            "Reading: the interaction test asks whether the gain differs between workshops "
            "({p_int}); ANCOVA asks whether post-test scores differ between workshops at "
            "equal pre-test scores ({p_ancova}). With {n_workshops} small workshops both "
            "have little power, and neither identifies why workshops differ.",
        ),
        N_("fig_alt", "Figure of the report"),
        N_("nav_index", "All reports"),
        N_("synthetic_mark", "SYNTHETIC DATA"),
        # the XLSForm of the questionnaire (src/analysis/form/, python -m analysis xlsform)
        N_(
            "form_title",
            "Workshop on public trust and satisfaction with police work: questionnaire",
        ),
        N_("form_code_label", "Your participant code"),
        N_(
            "form_code_hint",
            "Make it yourself, the same on the pre-test and the post-test: the first two "
            "letters of your mother's first name, the two digits of the day of the month "
            "you were born, and the first two letters of your place of birth (for example "
            "DR07PR). Do not write your name.",
        ),
        N_("form_workshop_label", "Workshop"),
        N_("form_workshop_choice", "{directorate}"),
        N_("form_phase_label", "Test"),
        N_("form_phase_pre", "Pre-test"),
        N_("form_phase_post", "Post-test"),
        N_("form_group_knowledge", "Knowledge questions: choose one answer"),
        N_("form_group_reaction", "Your opinion of the workshop"),
        N_("form_group_about", "About you (optional)"),
        N_("form_gender_F", "Woman"),
        N_("form_gender_M", "Man"),
        N_("form_rank", "Rank"),
        N_("form_rank_Polic", "Police officer"),
        N_("form_rank_Rreshter", "Sergeant"),
        N_("form_rank_Toger", "Lieutenant"),
        N_("form_rank_Kapiten", "Captain"),
        N_("form_station", "Police station"),
        # the language versions of the questionnaire (src/analysis/present/versions.py)
        N_("h_item_languages", "Language versions of the questionnaire"),
        N_(
            "item_languages_text",
            "Percent correct per item in each language version the officers answered "
            "({versions}), per test, with the number of questionnaires behind each; flagged "
            "(⚑) where the versions differ by more than {margin} points in both tests and "
            "in the same direction, which can point to a question or an option that reads "
            "differently in translation. Descriptive: no test is made, the versions differ "
            "in who answered them as well, and a version with fewer than 5 questionnaires "
            "in a test is not shown. Flagged: {flagged}.",
        ),
        N_(
            "item_languages_none",
            "The questionnaires were answered in one language version only, or a second "
            "version has fewer than 5 questionnaires in a test: the versions are not "
            "compared.",
        ),
        N_("col_version_pct", "{test}, {language}: % correct (n)"),
        N_("flag_language", "⚑ versions differ"),
        N_(
            "index_pooled_model",
            "Mixed model over the {n_workshops} workshops: a gain of {effect} percentage "
            "points, 95% CI {ci}.",
        ),
        N_("index_col_flags", "Read with care"),
        N_("index_col_reports", "Reports"),
        N_("index_flag_few", "only {n} linked (fewer than {few})"),
        N_("index_flag_kr20", "KR-20 {phase} {kr20} (below {low})"),
        N_("index_pdf", "PDF ({name})"),
        N_("fig_ci_excludes", "95% CI excludes 0"),
        N_("fig_ci_includes", "95% CI includes 0"),
        N_(
            "fig_topic_rule",
            "Lines: unadjusted 95% CI; marker filled where the interval excludes 0.\n"
            "At the right: p Holm-adjusted across the {k} topics, as in the table.",
        ),
        N_("fig_n_linked", "n = {n} officers with both tests"),
        N_("fig_slopes_count", "×{k}"),
        # key findings (src/analysis/present/findings.py)
        N_("findings_title", "Key findings"),
        N_(
            "findings_rose",
            "Knowledge rose by {diff} percentage points, from {pre}% to {post}% correct",
        ),
        N_(
            "findings_fell",
            "Knowledge fell by {diff} percentage points, from {pre}% to {post}% correct",
        ),
        N_(
            "findings_same",
            "Knowledge stayed at {pre}% correct ({post}% after the workshop, a change of "
            "{diff} points)",
        ),
        N_("findings_improved", "; {improved} of {n} officers scored higher"),
        N_("findings_rci", ", {rci} of them beyond measurement error"),
        N_("findings_rci_none", ", none of them beyond measurement error"),
        N_("findings_test", "Paired t-test: {apa}."),
        N_("findings_caveat", "Caveat: {caveat}"),
        N_(
            "findings_caveat_n",
            "only {n} officers took both tests (fewer than {few}): the interval is wide and "
            "one person moves the mean.",
        ),
        N_(
            "findings_caveat_reliability",
            "the questionnaire's reliability is low (KR-20 {kr20}, below {low}): the scores "
            "measure knowledge only roughly, so read the topic and item results with care.",
        ),
        N_(
            "findings_caveat_design",
            "one group tested before and after, without a comparison group: the gain shows "
            "what the officers knew after the workshop, not that the workshop alone caused "
            "it.",
        ),
        # issue 16: deeper evidence
        N_("h_distractors", "Wrong answers and how they moved"),
        N_("h_reliable_change", "Reliable change"),
        N_("h_attrition", "What attrition could hide"),
        N_("h_design", "What this design can claim"),
        N_(
            "reliability_ci_text",
            "With their 95% intervals (Feldt, 1965): KR-20 is {pre} {ci_pre} in the "
            "pre-test (n = {n_pre}) and {post} {ci_post} in the post-test (n = {n_post}). "
            "The standard error of measurement of the pre-test is {sem} points: an "
            "officer's score is known to within about ±{sem2} points. {verdict}",
        ),
        N_(
            "reliability_enough",
            "The lower bound of both intervals reaches .70: the test is reliable enough to "
            "read the topic and item results (with the caution their small numbers need).",
        ),
        N_(
            "reliability_not_enough",
            "The lower bound of the interval falls below .70 in {phases}: the test is not "
            "shown to be reliable enough to read topic and item results one by one; read "
            "them as leads, not findings.",
        ),
        N_("reliability_phase_pre", "the pre-test"),
        N_("reliability_phase_post", "the post-test"),
        N_("reliability_phase_both", "both tests"),
        N_("col_kr20", "KR-20"),
        N_("col_sd", "SD (points)"),
        N_("col_sem", "SEM (points)"),
        N_("col_test", "Test"),
        N_(
            "distractors_text",
            "Per item, among the {n} linked participants: who kept the right answer, "
            "learned it, forgot it, moved from one wrong answer to another, or stayed on "
            "the same wrong answer (figure); and the share choosing each option, pre-test → "
            "post-test (table; ✓ marks the right answer). Wrong options chosen by more "
            "participants after the workshop than before, by the most: {increased}.",
        ),
        N_(
            "distractors_flagged",
            "Chosen significantly more often after the workshop (exact McNemar test on that "
            "option, Holm across all {m} wrong options): {flagged}. These may be "
            "misconceptions the workshop reinforced: trainers should check how the material "
            "presents these points.",
        ),
        N_(
            "distractors_none_flagged",
            "None of these increases is significant after the Holm adjustment across all "
            "{m} wrong options (exact McNemar test on each option); in groups this small "
            "they are leads for the trainers to check, not findings.",
        ),
        N_("distractor_option", "{item}, option {letter} “{text}” ({pre} → {post})"),
        N_("col_blank", "Blank"),
        N_("col_invalid", "Invalid"),
        N_("fig_migration_title", "How each answer moved from the pre-test to the post-test"),
        N_("fig_migration_axis", "Linked participants"),
        N_("fig_migration_stayed_correct", "right both times"),
        N_("fig_migration_learned", "learned"),
        N_("fig_migration_forgot", "forgot"),
        N_("fig_migration_wrong_moved", "another wrong answer"),
        N_("fig_migration_wrong_same", "the same wrong answer"),
        N_(
            "rci_text",
            "A change is reliable when it is larger than measurement error alone would make "
            "it (Jacobson & Truax, 1991): with the pre-test's KR-20 of {kr20} and SD of "
            "{sd} points, a gain or loss of more than {threshold} points (1.96 × √2 × SEM). "
            "Of {n} linked officers, {improved} improved beyond measurement error, "
            "{unchanged} did not change reliably and {declined} declined beyond it.",
        ),
        N_(
            "rci_undefined",
            "The reliable change index is not defined here: the pre-test has no reliability "
            "or no spread to measure it with.",
        ),
        N_("rci_improved", "Improved reliably"),
        N_("rci_unchanged", "No reliable change"),
        N_("rci_declined", "Declined reliably"),
        N_("col_share", "Share (%)"),
        N_("col_category", "Category"),
        N_(
            "attrition_text",
            "{dropouts} of the {n_pre} officers with a scored pre-test have no linked "
            "post-test. {comparison} The mean gain of the {paired} linked officers is {cc} "
            "points {cc_ci}; with the missing post-tests imputed {m} times from the "
            "pre-test score (normal model, Rubin's rules) it is {mi} points {mi_ci}; had "
            "every missing post-test shown no change, it would be {bound} points {bound_ci}.",
        ),
        N_(
            "attrition_compare",
            "Their pre-test scores averaged {dropout_mean}%, against {completer_mean}% for "
            "those who stayed (difference {diff} points, 95% CI {ci}, Welch test).",
        ),
        N_(
            "attrition_compare_small",
            "They are fewer than 5, so their pre-test scores are not shown (no group under "
            "5 is published).",
        ),
        N_(
            "attrition_none",
            "Every officer with a scored pre-test has a linked post-test: attrition cannot "
            "bias the gain.",
        ),
        N_("att_complete_case", "Linked participants (complete case)"),
        N_("att_mi", "Missing post-tests imputed (m = {m})"),
        N_("att_bound", "No change where the post-test is missing"),
        N_("att_completers", "Pre-test score: with a post-test"),
        N_("att_dropouts", "Pre-test score: without a post-test"),
        N_("att_difference", "Difference of the pre-test scores (Welch)"),
        N_("col_analysis", "Analysis"),
        N_("col_points", "Mean (points or %)"),
        N_(
            "limitations_attrition",
            "- **Attrition, in numbers.** With the missing post-tests imputed the gain is "
            "{mi} points {mi_ci}, against {cc} points for the linked officers; if the "
            "officers lost had not changed at all it would be {bound} points {bound_ci}. "
            "{verdict}",
        ),
        N_(
            "attrition_robust",
            "Even this bound stays above zero: attrition does not explain the gain away.",
        ),
        N_(
            "attrition_fragile",
            "This bound's interval reaches zero: if the officers lost learned nothing, a "
            "gain is not shown.",
        ),
        N_("apa_bf", "BF₁₀ = {bf}"),
        N_(
            "bayes_text",
            "Bayes factor (default JZS prior, Cauchy scale √2/2; Rouder et al., 2009): BF₁₀ "
            "= {bf}, {category} (categories of Lee & Wagenmakers, 2013).",
        ),
        N_("bf_extreme_h1", "extreme evidence for a change in the mean score"),
        N_("bf_very_strong_h1", "very strong evidence for a change in the mean score"),
        N_("bf_strong_h1", "strong evidence for a change in the mean score"),
        N_("bf_moderate_h1", "moderate evidence for a change in the mean score"),
        N_("bf_anecdotal_h1", "only anecdotal evidence for a change in the mean score"),
        N_("bf_anecdotal_h0", "only anecdotal evidence for no change"),
        N_("bf_moderate_h0", "moderate evidence for no change in the mean score"),
        N_("bf_strong_h0", "strong evidence for no change in the mean score"),
        N_("bf_very_strong_h0", "very strong evidence for no change in the mean score"),
        N_("bf_extreme_h0", "extreme evidence for no change in the mean score"),
        N_("bf_undefined", "not defined here"),
        N_(
            "design_box",
            "> *Filled from this run, following the items of the TREND statement for "
            "non-randomized evaluations (Des Jarlais et al., 2004).*\n"
            ">\n"
            "> - **Design:** one group, tested before and after the workshop on the same "
            "day; no comparison group.\n"
            "> - **Allocation and blinding:** none; the officers were sent to the workshop, "
            "not allocated at random, and knew they were being tested.\n"
            "> - **Participants:** {n_pre} scored pre-tests and {n_post} post-tests, "
            "{paired} linked ({attrition}% of the pre-tests without a linked post-test).\n"
            "> - **Measure:** {k} right/wrong knowledge items; KR-20 of the pre-test "
            "{kr20_pre} (95% CI {kr20_ci}), standard error of measurement {sem} points.\n"
            "> - **Threats that apply:** *testing*: the same questions twice on one day can "
            "raise the post-test by familiarity alone (not measurable here); *regression to "
            "the mean*: the pre-test score and the gain correlate r = {r_pre_gain}; "
            "*history and maturation*: small within one day, but nothing else that happened "
            "in between is ruled out; *instrumentation*: the same questionnaire both times, "
            "KR-20 {kr20_pre} before and {kr20_post} after; *attrition*: {dropouts} of "
            "{n_pre} lost, gain {cc} points for the linked, {mi} under multiple imputation, "
            "{bound} if the officers lost had not changed.\n"
            "> - **What it can claim:** the knowledge score of these officers changed by "
            "{gain} points {gain_ci} between the two tests ({bf_words}; {improved} of "
            "{paired} beyond measurement error); not that the workshop alone caused it, nor "
            "that it lasts.\n"
            "> - **A stronger next round would add:** a comparison group of officers not "
            "yet trained, tested at the same times (for example those trained in the next "
            "round), and a retention test some weeks later; a parallel form of the "
            "questionnaire would also reduce the testing effect.",
        ),
        N_(
            "references_evidence",
            "**References (evidence).** Des Jarlais, D. C., Lyles, C., Crepaz, N., & the "
            "TREND Group (2004). *Am. J. Public Health* 94, 361–366. · Feldt, L. S. (1965). "
            "*Psychometrika* 30, 357–370. · Jacobson, N. S., & Truax, P. (1991). *J. "
            "Consult. Clin. Psychol.* 59, 12–19. · Lee, M. D., & Wagenmakers, E.-J. (2013). "
            "*Bayesian Cognitive Modeling*. · Rouder, J. N., et al. (2009). *Psychon. Bull. "
            "Rev.* 16, 225–237. · Rubin, D. B. (1987). *Multiple Imputation for Nonresponse "
            "in Surveys*.",
        ),
        N_("h_bayes", "Bayes factor"),
        N_(
            "rci_pooled_text",
            "Each officer measured against the measurement error of their own workshop's "
            "pre-test (Jacobson & Truax, 1991): of {n} linked officers, {improved} improved "
            "beyond measurement error, {unchanged} did not change reliably and {declined} "
            "declined beyond it.",
        ),
        N_("col_t", "t"),
        N_("col_df", "df"),
        # the data dictionary of tables/ (described by src/analysis/present/columns.py)
        N_("dict_in_language", "language: {language}"),
        N_("dict_stage", "stage of the participant flow"),
        N_("dict_label", "the row's name as the report shows it"),
        N_("dict_variable_label", "the characteristic's name as the report shows it"),
        N_("dict_group_label", "the group's name as the report shows it"),
        N_(
            "dict_flow_pre",
            "questionnaires of the pre-test at this stage (people for the paired stages)",
        ),
        N_(
            "dict_flow_post",
            "questionnaires of the post-test at this stage (people for the paired stages)",
        ),
        N_("dict_topic", "topic id of the codebook"),
        N_("dict_item_id", "question id of the codebook"),
        N_("dict_workshop_id", "workshop id of the registry"),
        N_("dict_variable", "characteristic of the participants"),
        N_("dict_group", "group as the data has it (other: the small groups together)"),
        N_("dict_term", "term of the pooled models"),
        N_("dict_n_items", "questions in the topic"),
        N_("dict_n", "participants with both tests (answers for the reaction items)"),
        N_("dict_n_pre", "scored questionnaires of the pre-test"),
        N_("dict_n_post", "scored questionnaires of the post-test"),
        N_("dict_pre_mean", "mean score of the pre-test, percent correct"),
        N_("dict_pre_sd", "standard deviation of the pre-test score"),
        N_("dict_post_mean", "mean score of the post-test, percent correct"),
        N_("dict_post_sd", "standard deviation of the post-test score"),
        N_(
            "dict_estimate",
            "the estimate: mean gain, post minus pre, in percentage points; for a model "
            "term as its label says (odds ratio for the GEE)",
        ),
        N_("dict_sd", "standard deviation of the gain"),
        N_("dict_ci_low", "lower limit of the 95% confidence interval of the estimate"),
        N_("dict_ci_high", "upper limit of the 95% confidence interval of the estimate"),
        N_("dict_test", "the test: t (paired t-test), chi2 (likelihood-ratio test), F (ANCOVA)"),
        N_("dict_statistic", "value of the test statistic"),
        N_("dict_df", "degrees of freedom of the test (the numerator's for F)"),
        N_("dict_df_den", "denominator degrees of freedom of F"),
        N_("dict_p", "p-value, two-sided, unadjusted"),
        N_("dict_p_holm", "p-value, Holm-adjusted over the rows of the table"),
        N_("dict_wilcoxon_p", "p-value of the Wilcoxon signed-rank test"),
        N_("dict_wilcoxon_p_holm", "p-value of the Wilcoxon test, Holm-adjusted"),
        N_("dict_rank_biserial", "matched-pairs rank-biserial correlation"),
        N_("dict_d_z", "standardized mean gain d_z (mean gain / SD of the gains)"),
        N_("dict_d_z_ci_low", "lower limit of the 95% CI of d_z (noncentral t)"),
        N_("dict_d_z_ci_high", "upper limit of the 95% CI of d_z (noncentral t)"),
        N_("dict_g_av", "Hedges' g_av (mean gain / mean of the two SDs, corrected)"),
        N_("dict_hake_g", "Hake's class-average normalized gain"),
        N_("dict_mean_norm_change", "mean normalized change per person (Marx & Cummings)"),
        N_("dict_pct_improved", "share of participants who improved"),
        N_("dict_pct_unchanged", "share of participants with the same score"),
        N_("dict_pct_declined", "share of participants who declined"),
        N_("dict_pre_pct_correct", "share correct in the pre-test"),
        N_("dict_post_pct_correct", "share correct in the post-test"),
        N_("dict_change_pct", "change of the share correct, post minus pre"),
        N_("dict_n_gained", "participants wrong before and right after"),
        N_("dict_n_lost", "participants right before and wrong after"),
        N_("dict_difficulty_pre", "item difficulty in the pre-test (share correct, 0-1)"),
        N_("dict_difficulty_post", "item difficulty in the post-test (share correct, 0-1)"),
        N_(
            "dict_discrimination_pre",
            "item discrimination in the pre-test (corrected item-total correlation)",
        ),
        N_(
            "dict_discrimination_post",
            "item discrimination in the post-test (corrected item-total correlation)",
        ),
        N_("dict_ceiling", "ceiling: nearly everyone right in the pre-test"),
        N_("dict_negative_discrimination", "negative discrimination in a test"),
        N_("dict_n_missing", "participants who did not answer"),
        N_("dict_n_answer", "answers with this value of the 1-5 scale (the column's number)"),
        N_(
            "dict_pct_answer",
            "share of answers with this value of the 1-5 scale (the column's number)",
        ),
        N_("dict_pct_agree", "share of answers 4 or 5 (agree)"),
        N_("dict_median", "median answer on the 1-5 scale"),
        N_("dict_suppressed", "true when the group's numbers are not published (empty cells)"),
        N_(
            "dict_suppression",
            "why: under_5 (fewer than 5 people), complementary (could be worked out from "
            "the other rows)",
        ),
        N_("dict_alpha", "significance level, two-sided"),
        N_("dict_power", "power of the paired t-test"),
        N_("dict_mde_d_z", "minimal detectable d_z at this n, alpha and power"),
        N_("dict_kr20_pre", "KR-20 reliability of the pre-test"),
        N_("dict_kr20_post", "KR-20 reliability of the post-test"),
        # tidy tables of the newer report tables
        N_("dict_version_label", "the language version's name as the report shows it"),
        N_(
            "dict_choice",
            "the answer chosen: an option letter A-D, blank (no answer) or invalid (any "
            "other mark)",
        ),
        N_("dict_is_key", "true for the keyed (right) answer"),
        N_(
            "dict_n_chose_pre",
            "pre-tests with this answer (options: linked participants; options_all: all "
            "scored questionnaires)",
        ),
        N_(
            "dict_pct_chose_pre",
            "share of the pre-tests with this answer (options: linked participants; "
            "options_all: all scored questionnaires)",
        ),
        N_(
            "dict_n_chose_post",
            "post-tests with this answer (options: linked participants; options_all: all "
            "scored questionnaires)",
        ),
        N_(
            "dict_pct_chose_post",
            "share of the post-tests with this answer (options: linked participants; "
            "options_all: all scored questionnaires)",
        ),
        N_("dict_n_stayed_correct", "linked participants right in both tests"),
        N_(
            "dict_n_learned", "linked participants wrong in the pre-test and right in the post-test"
        ),
        N_("dict_n_forgot", "linked participants right in the pre-test and wrong in the post-test"),
        N_(
            "dict_n_wrong_moved",
            "linked participants wrong in both tests, with another wrong answer",
        ),
        N_(
            "dict_n_wrong_same",
            "linked participants wrong in both tests, with the same wrong answer",
        ),
        N_("dict_phase", "the test: pre (pre-test) or post (post-test)"),
        N_("dict_n_scored", "scored questionnaires of the test"),
        N_("dict_k", "knowledge questions of the test"),
        N_("dict_kr20", "KR-20 reliability of the test"),
        N_("dict_kr20_ci_low", "lower limit of the 95% CI of KR-20 (Feldt)"),
        N_("dict_kr20_ci_high", "upper limit of the 95% CI of KR-20 (Feldt)"),
        N_("dict_sd_score", "standard deviation of the test score"),
        N_("dict_sem", "standard error of measurement of the test score (SD × √(1 − KR-20))"),
        N_(
            "dict_category",
            "reliable change (Jacobson & Truax): improved, unchanged or declined beyond "
            "measurement error",
        ),
        N_("dict_n_category", "linked participants in the category"),
        N_("dict_pct_category", "share of the linked participants in the category"),
        N_("dict_rci_improved", "linked participants who improved beyond measurement error"),
        N_("dict_rci_unchanged", "linked participants without a reliable change"),
        N_("dict_rci_declined", "linked participants who declined beyond measurement error"),
        N_(
            "dict_analysis",
            "the analysis: complete_case (linked participants), mi (missing post-tests "
            "imputed), bound (no change where the post-test is missing), completers and "
            "dropouts (pre-test score with and without a post-test), difference (completers "
            "minus dropouts, Welch)",
        ),
        N_("dict_n_people", "people the row's number is computed from"),
        N_(
            "dict_points",
            "the row's number: mean gain in percentage points (complete_case, mi, bound), "
            "mean pre-test score in percent correct (completers, dropouts), their "
            "difference in percentage points",
        ),
        N_("dict_points_ci_low", "lower limit of the 95% confidence interval of points"),
        N_("dict_points_ci_high", "upper limit of the 95% confidence interval of points"),
        N_(
            "dict_version",
            "language version of the questionnaire (the language it was answered in)",
        ),
        N_("dict_n_version_pre", "scored pre-tests of this language version"),
        N_("dict_pct_version_pre", "share correct in the pre-tests of this language version"),
        N_("dict_n_version_post", "scored post-tests of this language version"),
        N_("dict_pct_version_post", "share correct in the post-tests of this language version"),
        N_(
            "dict_diff_pre",
            "difference of the versions' share correct in the pre-test (first minus second "
            "version; with more than two, highest minus lowest)",
        ),
        N_(
            "dict_diff_post",
            "difference of the versions' share correct in the post-test (first minus second "
            "version; with more than two, highest minus lowest)",
        ),
        N_(
            "dict_versions_differ",
            "true when the versions differ by more than the margin in both tests, in the "
            "same direction",
        ),
    )
}
