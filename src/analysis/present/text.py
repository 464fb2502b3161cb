"""One translation table for every word a report, figure or index shows, and number formats.

English (``en``) and Albanian (``sq``). Albanian writes the decimal comma (``12,5``) and drops
the leading zero of p-values the same way English does (``p < ,001``).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from ..config import LANGS

TEXT: dict[str, dict[str, str]] = {
    "synthetic_banner": {
        "en": "SYNTHETIC DATA: these numbers come from simulated questionnaires, not from the "
        "officers who attended. They show what the analysis does, not what the workshops achieved.",
        "sq": "TË DHËNA SINTETIKE: këto shifra vijnë nga pyetësorë të simuluar, jo nga zyrtarët që "
        "morën pjesë. Ato tregojnë çfarë bën analiza, jo çfarë arritën punëtoritë.",
    },
    "index_title": {
        "en": "Workshops on public trust and satisfaction with police work, March 2021: "
        "knowledge gain",
        "sq": "Punëtoritë për besueshmërinë dhe kënaqshmërinë e publikut me punën policore, "
        "mars 2021: rritja e njohurive",
    },
    "index_intro": {
        "en": "Kosovo Police, Directorate of Community Policing and Prevention, with the OSCE "
        "Mission in Kosovo. Pre-test and post-test of the same knowledge questionnaire; "
        "gain in percentage points among participants with both tests. The workshops differ in "
        "trainer, group and region at once: the table is not a ranking of directorates.",
        "sq": "Policia e Kosovës, Drejtoria e Policisë në Bashkësi dhe Parandalim, me Misionin e "
        "OSBE-së në Kosovë. Paratesti dhe pastesti me të njëjtin pyetësor njohurish; rritja në "
        "pikë përqindjeje te pjesëmarrësit me të dy testet. Punëtoritë dallojnë njëkohësisht për "
        "nga trajneri, grupi dhe rajoni: tabela nuk është renditje e drejtorive.",
    },
    "index_other_language": {"en": "Shqip", "sq": "English"},
    "index_pooled_link": {
        "en": "All workshops together (pooled report)",
        "sq": "Të gjitha punëtoritë së bashku (raporti i përbashkët)",
    },
    "col_workshop": {"en": "Workshop", "sq": "Punëtoria"},
    "col_directorate": {"en": "Regional directorate, date", "sq": "Drejtoria rajonale, data"},
    "col_gain_ci": {
        "en": "Mean gain, points [95% CI]",
        "sq": "Rritja mesatare, pikë [95% IB]",
    },
    # figures (src/analysis/figures.py)
    "fig_pre": {"en": "Pre-test", "sq": "Paratesti"},
    "fig_post": {"en": "Post-test", "sq": "Pastesti"},
    "fig_test": {"en": "Test", "sq": "Testi"},
    "fig_phase_n": {"en": "{phase}\n(n = {n})", "sq": "{phase}\n(n = {n})"},
    "fig_score_axis": {"en": "Score (% correct)", "sq": "Rezultati (% të sakta)"},
    "fig_change_axis": {
        "en": "Change (percentage points)",
        "sq": "Ndryshimi (pikë përqindjeje)",
    },
    "fig_empty": {
        "en": "Not enough data to show this figure",
        "sq": "Nuk ka të dhëna të mjaftueshme për këtë figurë",
    },
    "fig_suppressed": {
        "en": "Fewer than 5 participants: not shown",
        "sq": "Më pak se 5 pjesëmarrës: nuk shfaqet",
    },
    "fig_flow_title": {"en": "Participant flow", "sq": "Rrjedha e pjesëmarrësve"},
    "fig_flow_received": {"en": "Received: {n}", "sq": "Të pranuar: {n}"},
    "fig_flow_duplicates": {"en": "Duplicates removed: {n}", "sq": "Dublikata të hequra: {n}"},
    "fig_flow_excluded": {"en": "Excluded: {n}", "sq": "Të përjashtuar: {n}"},
    "fig_flow_scored": {"en": "Scored: {n}", "sq": "Të vlerësuar: {n}"},
    "fig_flow_paired": {
        "en": "Paired (both tests): {n}",
        "sq": "Të çiftuar (të dy testet): {n}",
    },
    "fig_flow_unmatched": {"en": "Without a match: {n}", "sq": "Pa çift: {n}"},
    "fig_slopes_title": {
        "en": "Individual scores, pre-test to post-test",
        "sq": "Rezultatet individuale, nga paratesti te pastesti",
    },
    "fig_improved": {"en": "Improved", "sq": "Përmirësim"},
    "fig_unchanged": {"en": "Unchanged", "sq": "Pa ndryshim"},
    "fig_declined": {"en": "Declined", "sq": "Rënie"},
    "fig_mean": {"en": "Mean", "sq": "Mesatarja"},
    "fig_dist_title": {
        "en": "Scores of all scored questionnaires",
        "sq": "Rezultatet e të gjithë pyetësorëve të vlerësuar",
    },
    "fig_topic": {"en": "Topic", "sq": "Tema"},
    "fig_topic_title": {
        "en": "Change by topic (95% CI)",
        "sq": "Ndryshimi sipas temës (95% IB)",
    },
    "fig_holm_sig": {"en": "Holm-adjusted p < .05", "sq": "p e korrigjuar (Holm) < ,05"},
    "fig_holm_ns": {"en": "Holm-adjusted p ≥ .05", "sq": "p e korrigjuar (Holm) ≥ ,05"},
    "fig_item": {"en": "Item", "sq": "Pyetja"},
    "fig_item_title": {
        "en": "Correct answers per item, paired participants",
        "sq": "Përgjigjet e sakta për pyetje, pjesëmarrësit e çiftuar",
    },
    "fig_item_axis": {"en": "Correct answers (%)", "sq": "Përgjigje të sakta (%)"},
    "fig_post_sig": {"en": "Post-test, Holm p < .05", "sq": "Pastesti, p (Holm) < ,05"},
    "fig_post_ns": {"en": "Post-test, Holm p ≥ .05", "sq": "Pastesti, p (Holm) ≥ ,05"},
    "fig_flag_ceiling": {
        "en": "† ceiling: ≥ 90% correct at pre-test",
        "sq": "† tavan: ≥ 90% të sakta në paratest",
    },
    "fig_flag_negdisc": {
        "en": "‡ negative discrimination (check the key)",
        "sq": "‡ diskriminim negativ (kontrolloni çelësin)",
    },
    "fig_statement": {"en": "Statement", "sq": "Pohimi"},
    "fig_reaction_title": {
        "en": "Reactions to the workshop (post-test)",
        "sq": "Reagimet ndaj punëtorisë (pastesti)",
    },
    "fig_reaction_axis": {"en": "Respondents (%)", "sq": "Të anketuarit (%)"},
    "fig_likert_1": {"en": "Strongly disagree", "sq": "Aspak dakord"},
    "fig_likert_2": {"en": "Disagree", "sq": "Nuk jam dakord"},
    "fig_likert_3": {"en": "Neither agree nor disagree", "sq": "As dakord, as jo dakord"},
    "fig_likert_4": {"en": "Agree", "sq": "Dakord"},
    "fig_likert_5": {"en": "Strongly agree", "sq": "Plotësisht dakord"},
    "fig_workshop": {"en": "Workshop", "sq": "Punëtoria"},
    "fig_pooled": {"en": "All workshops", "sq": "Të gjitha punëtoritë"},
    "fig_forest_title": {
        "en": "Mean change per workshop (95% CI)",
        "sq": "Ndryshimi mesatar sipas punëtorisë (95% IB)",
    },
    "fig_forest_label": {"en": "g_av = {g}, n = {n}", "sq": "g_av = {g}; n = {n}"},
    "fig_means_title": {
        "en": "Mean score per workshop (95% CI)",
        "sq": "Rezultati mesatar sipas punëtorisë (95% IB)",
    },
    # report prose and tables (src/analysis/reporting.py and the notebooks)
    "report_title": {
        "en": "Workshop {number}, {directorate}: knowledge gain",
        "sq": "Punëtoria {number}, {directorate}: rritja e njohurive",
    },
    "report_facts": {
        "en": "One-day workshop on public trust and satisfaction with police work, held on "
        "{date} for officers of the police-station sectors of the regional police directorate "
        "{directorate}. {n_pre} pre-tests and {n_post} post-tests were scored; {n_paired} "
        "participants took both and are linked.",
        "sq": "Punëtori njëditore për besueshmërinë dhe kënaqshmërinë e publikut me punën "
        "policore, mbajtur më {date} për zyrtarët e sektorëve të stacioneve policore të "
        "drejtorisë rajonale {directorate}. U vlerësuan {n_pre} parateste dhe {n_post} pasteste; "
        "{n_paired} pjesëmarrës i plotësuan të dyja dhe janë të lidhur.",
    },
    "pooled_title": {
        "en": "All four workshops together: knowledge gain",
        "sq": "Të katër punëtoritë së bashku: rritja e njohurive",
    },
    "pooled_facts": {
        "en": "{n_workshops} workshops, {n_scored} scored questionnaires, {n_paired} participants "
        "with both tests.",
        "sq": "{n_workshops} punëtori, {n_scored} pyetësorë të vlerësuar, {n_paired} pjesëmarrës "
        "me të dy testet.",
    },
    "h_flow": {"en": "Participant flow", "sq": "Rrjedha e pjesëmarrësve"},
    "h_result": {"en": "Knowledge gain", "sq": "Rritja e njohurive"},
    "h_topics": {"en": "Topics", "sq": "Temat"},
    "h_items": {"en": "Items", "sq": "Pyetjet"},
    "h_reliability": {"en": "Reliability", "sq": "Besueshmëria e testit"},
    "h_reaction": {
        "en": "Reaction to the workshop (level 1)",
        "sq": "Reagimi ndaj punëtorisë (niveli 1)",
    },
    "h_subgroups": {"en": "Subgroups", "sq": "Nëngrupet"},
    "h_sensitivity": {
        "en": "Sensitivity",
        "sq": "Analiza e ndjeshmërisë",
    },
    "h_limitations": {"en": "Limitations", "sq": "Kufizimet"},
    "h_methods": {"en": "Methods", "sq": "Metodat"},
    "h_provenance": {"en": "Provenance", "sq": "Prejardhja e të dhënave"},
    "h_forest": {"en": "Gain per workshop", "sq": "Rritja sipas punëtorive"},
    "h_compare": {"en": "Comparison between workshops", "sq": "Krahasimi ndërmjet punëtorive"},
    "h_models": {"en": "Models over all workshops", "sq": "Modelet për të gjitha punëtoritë"},
    "h_warnings": {"en": "Model diagnostics", "sq": "Diagnostikimi i modeleve"},
    "flow_text": {
        "en": "Pre-test / post-test questionnaires received: {received_pre} / {received_post}; "
        "dropped as duplicates: {duplicates_pre} / {duplicates_post}; excluded as "
        "incomplete (fewer than half of the items answered) or without a code: "
        "{excluded_pre} / {excluded_post}; scored: {scored_pre} / {scored_post}; without a "
        "match: {unmatched_pre} / {unmatched_post} (these count only in the per-phase "
        "numbers). Paired: {paired} participants, {fuzzy_links} of them across a "
        "one-character slip in the code.",
        "sq": "Pyetësorë paratest / pastest të pranuar: {received_pre} / {received_post}; të "
        "hequr si dublikata: {duplicates_pre} / {duplicates_post}; të përjashtuar si të "
        "paplotë (me përgjigje në më pak se gjysmën e pyetjeve) ose pa kod: {excluded_pre} / "
        "{excluded_post}; të vlerësuar: {scored_pre} / {scored_post}; pa çift: "
        "{unmatched_pre} / {unmatched_post} (këta llogariten vetëm në numrat për secilën "
        "fazë). Të çiftuar: {paired} pjesëmarrës, {fuzzy_links} prej tyre me një gabim "
        "shtypi në një shenjë të kodit.",
    },
    "headline_up": {
        "en": "Among the {n} participants with both tests the mean score rose from {pre}% to "
        "{post}%, a gain of {diff} percentage points (95% CI {ci}); {apa}. "
        "{wilcoxon_sentence} Effect size g_av = {g_av}; normalized gain g = {hake}; mean "
        "normalized change c = {c}. Of the participants, {improved}% improved, {unchanged}% "
        "scored the same and {declined}% scored lower.",
        "sq": "Te {n} pjesëmarrësit me të dy testet rezultati mesatar u rrit nga {pre}% në "
        "{post}%, një rritje prej {diff} pikë përqindjeje (95% IB {ci}); {apa}. "
        "{wilcoxon_sentence} Madhësia e efektit g_av = {g_av}; rritja e normalizuar g = "
        "{hake}; ndryshimi mesatar i normalizuar c = {c}. Nga pjesëmarrësit, {improved}% u "
        "përmirësuan, {unchanged}% kishin të njëjtin rezultat dhe {declined}% rezultat më "
        "të ulët.",
    },
    "headline_down": {
        "en": "Among the {n} participants with both tests the mean score fell from {pre}% to "
        "{post}%, a loss of {diff} percentage points (95% CI {ci}); {apa}. "
        "{wilcoxon_sentence} Effect size g_av = {g_av}; normalized gain g = {hake}; mean "
        "normalized change c = {c}. Of the participants, {improved}% improved, {unchanged}% "
        "scored the same and {declined}% scored lower.",
        "sq": "Te {n} pjesëmarrësit me të dy testet rezultati mesatar ra nga {pre}% në {post}%, "
        "një rënie prej {diff} pikë përqindjeje (95% IB {ci}); {apa}. {wilcoxon_sentence} "
        "Madhësia e efektit g_av = {g_av}; rritja e normalizuar g = {hake}; ndryshimi "
        "mesatar i normalizuar c = {c}. Nga pjesëmarrësit, {improved}% u përmirësuan, "
        "{unchanged}% kishin të njëjtin rezultat dhe {declined}% rezultat më të ulët.",
    },
    "headline_too_few": {
        "en": "Only {n} participant(s) have both tests: too few for paired statistics.",
        "sq": "Vetëm {n} pjesëmarrës kanë të dy testet: shumë pak për statistika të çiftuara.",
    },
    "apa_undefined": {
        "en": "the paired t-test is undefined here (n = {n} or no variation in the gains)",
        "sq": "testi t i çiftuar nuk përcaktohet këtu (n = {n} ose rritjet nuk ndryshojnë fare)",
    },
    "ci95": {"en": "95% CI", "sq": "95% IB"},
    "topics_text": {
        "en": "Paired statistics per topic sub-score among the linked participants; p-values "
        "Holm-adjusted across the {k} topics. Largest gain: {best} ({best_diff} points).",
        "sq": "Statistika të çiftuara për nënrezultatin e secilës temë te pjesëmarrësit e "
        "lidhur; vlerat p të korrigjuara me metodën Holm ndërmjet {k} temave. Rritja më e madhe: "
        "{best} ({best_diff} pikë).",
    },
    "items_text": {
        "en": "{n_sig} of {k} items changed significantly (exact McNemar test, Holm-adjusted, p < "
        ".05). Percent correct pre and post is over the {n} paired participants; difficulty "
        "and discrimination over all scored questionnaires of each phase. Fell by 20 points "
        "or more: {fell}. At ceiling before the workshop (at least 90% correct in the "
        "pre-test): {ceiling}. Negative discrimination (an item-total correlation below 0) "
        "in at least one phase: {negative}; negative in both phases points to a wrong key{chance}.",
        "sq": "{n_sig} nga {k} pyetje ndryshuan në mënyrë domethënëse (testi i saktë McNemar, "
        "korrigjimi Holm, p < ,05). Përqindja e përgjigjeve të sakta para dhe pas "
        "llogaritet te {n} pjesëmarrësit e çiftuar; vështirësia dhe diskriminimi te të "
        "gjithë pyetësorët e vlerësuar të secilës fazë. Ranë me 20 pikë ose më shumë: "
        "{fell}. Në tavan para punëtorisë (të paktën 90% përgjigje të sakta në paratest): "
        "{ceiling}. Diskriminim negativ (korrelacion pyetje-total nën 0) në të paktën një "
        "fazë: {negative}; negativ në të dyja fazat tregon për çelës të gabuar{chance}.",
    },
    "none": {"en": "none", "sq": "asnjë"},
    "negative_chance": {
        "en": ", in one phase alone it may be chance in a group this small",
        "sq": ", në vetëm një fazë mund të jetë rastësi në një grup kaq të vogël",
    },
    "both_phases": {"en": "both phases", "sq": "të dyja fazat"},
    "reliability_text": {
        "en": "KR-20 (Cronbach's alpha of the {k} right/wrong items) is {pre} in the pre-test and "
        "{post} in the post-test. Values below .70 mean the total score carries much "
        "measurement noise, and topic and item results even more.",
        "sq": "KR-20 (alfa e Cronbach-ut për të {k} pyetjet me vlerësim saktë/gabim) është {pre} "
        "në paratest "
        "dhe {post} në pastest. Vlerat nën ,70 tregojnë se rezultati total mbart shumë zhurmë "
        "matjeje, e rezultatet sipas temave dhe pyetjeve edhe më shumë.",
    },
    "reaction_text": {
        "en": "Answers of {n} post-test questionnaires on a five-point scale (1 = strongly "
        "disagree, 5 = strongly agree). Highest agreement: {best} ({best_pct}% agree).",
        "sq": "Përgjigjet e {n} pastesteve në një shkallë me pesë pikë (1 = aspak dakord, 5 = "
        "plotësisht dakord). Pajtimi më i lartë: {best} ({best_pct}% dakord).",
    },
    "subgroups_text": {
        "en": "Mean gain (percentage points) with its 95% CI per group. To protect identities, "
        "groups with fewer than 5 participants are never named: they are pooled into one "
        "group 'other'; if that is still under 5 it is shown as <5 without statistics, and further "
        "groups are hidden (marked *) until the hidden ones cannot be worked out from the total. "
        "The groups are described, not compared: no test is made, and groups this small differ by "
        "chance.",
        "sq": "Rritja mesatare (pikë përqindjeje) me 95% IB për çdo grup. Për të mbrojtur "
        "identitetin, grupet me më pak se 5 pjesëmarrës nuk emërtohen kurrë: bashkohen në grupin "
        "„të tjerë”; nëse ai mbetet nën 5, shfaqet si <5 pa statistika, dhe fshihen edhe grupe të "
        "tjera (shënuar me *) derisa grupet e fshehura të mos mund të nxirren nga totali. Grupet "
        "përshkruhen, nuk krahasohen: nuk bëhet asnjë test, dhe grupe kaq të vogla ndryshojnë "
        "rastësisht.",
    },
    "sensitivity_text": {
        "en": "With {n} linked participants, a two-sided paired t-test at α = .05 has 80% power "
        "only for effects of d_z ≥ {mde}. {verdict}",
        "sq": "Me {n} pjesëmarrës të lidhur, testi t i çiftuar dykahësh në α = ,05 ka fuqi 80% "
        "vetëm për efekte d_z ≥ {mde}. {verdict}",
    },
    "limitations_text": {
        "en": "- **No control group.** A one-group pre/post design cannot separate the workshop "
        "from anything else that happened between the two tests.\n- **Testing effect.** The "
        "same questionnaire was answered twice on the same day; familiarity with the "
        "questions alone can raise the post-test score.\n- **Regression to the mean.** Officers "
        "were not selected on their pre-test score, so regression to the mean does not bias the "
        "group's mean gain; it does make individual gains look larger for low pre-test scores and "
        "smaller for high ones. The correlation of pre-test score and gain, r = {r_pre_gain}, is "
        "expected to be negative even without any effect; the pre-post correlation is r = "
        "{r_pre_post}.\n- **Ceiling.** {n_ceiling} of {k} "
        "items were answered correctly by at least 90% before the workshop and leave little "
        "room to improve.\n- **Attrition.** {paired} of {received} participants with a "
        "pre-test could be paired with a post-test ({attrition}% not paired); if those who "
        "were lost differ, the gain is biased.\n- **Knowledge is not practice.** The test "
        "measures knowledge at the end of the day (Kirkpatrick level 2): it says nothing "
        "about behaviour on duty or public trust (levels 3 and 4), nor about how long the "
        "knowledge lasts.\n- **Reaction.** The reaction items were answered on the coded "
        "post-test right after the workshop, which invites favourable answers; “I will "
        "apply” is an intention, not use.",
        "sq": "- **Pa grup kontrolli.** Një plan me një grup para/pas nuk mund ta ndajë "
        "punëtorinë nga gjithçka tjetër që ndodhi ndërmjet dy testeve.\n- **Efekti i "
        "testimit.** I njëjti pyetësor u plotësua dy herë në të njëjtën ditë; vetëm njohja "
        "e pyetjeve mund ta rrisë rezultatin e pastestit.\n- **Kthimi drejt mesatares.** Zyrtarët "
        "nuk u zgjodhën sipas rezultatit të paratestit, prandaj kthimi drejt mesatares nuk e "
        "shtrembëron rritjen mesatare të grupit; por i bën rritjet individuale të duken më të "
        "mëdha për rezultatet e ulëta të paratestit dhe më të vogla për ato të larta. Korrelacioni "
        "ndërmjet rezultatit të paratestit dhe rritjes, r = {r_pre_gain}, pritet të jetë negativ "
        "edhe pa asnjë efekt; korrelacioni para–pas është r = {r_pre_post}.\n- **Tavani.** "
        "{n_ceiling} nga {k} pyetje morën përgjigje të sakta nga të "
        "paktën 90% e pjesëmarrësve para punëtorisë dhe lënë pak hapësirë për përmirësim.\n- "
        "**Humbja e "
        "pjesëmarrësve.** {paired} nga {received} pjesëmarrës me paratest u çiftuan me një "
        "pastest ({attrition}% të paçiftuar); nëse ata që nuk u çiftuan dallojnë nga të tjerët, "
        "rritja është e "
        "njëanshme.\n- **Njohuria nuk është praktikë.** Testi mat njohuritë në fund të "
        "ditës (niveli 2 sipas Kirkpatrick): nuk thotë asgjë për sjelljen në detyrë apo "
        "besimin e publikut (nivelet 3 dhe 4), as për sa kohë mbahen njohuritë.\n- "
        "**Reagimi.** Pyetjet e reagimit u plotësuan në pastestin me kod menjëherë pas "
        "punëtorisë, gjë që nxit përgjigje të favorshme; „do ta zbatoj” është synim, jo "
        "zbatim.",
    },
    "limitations_synthetic": {
        "en": "- **Synthetic data.** Every number above comes from simulated questionnaires.",
        "sq": "- **Të dhëna sintetike.** Çdo numër më sipër vjen nga pyetësorë të simuluar.",
    },
    "methods_text": {
        "en": "Scores are percent correct over all {k} knowledge items (blank and invalid "
        "answers count as wrong). Per workshop, among participants with both tests: paired "
        "t-test and the 95% CI of the mean gain; Wilcoxon signed-rank test on the numbers "
        "correct with the matched-pairs rank-biserial correlation (Kerby, 2014); d_z = mean "
        "gain / SD of the gains with its exact noncentral-t interval (Steiger & Fouladi, 1997); "
        "g_av, the gain over the mean of the two SDs with Hedges' correction (Lakens, 2013); "
        "the class-average normalized gain (Hake, 1998) and the mean normalized change (Marx & "
        "Cummings, 2007); KR-20 per phase. The paired t-test on the gain in points is the primary "
        "analysis and the Wilcoxon test a check of it; d_z (gain / SD of the gains) depends on how "
        "closely pre and post scores correlate, g_av (gain / mean SD) does not, so the two can "
        "differ. Pre and post questionnaires were linked by participant code: exact matches first, "
        "then codes one character apart when each was the other's only candidate; unlinked "
        "questionnaires count only in the per-test numbers. Topics and items: Holm-adjusted "
        "p-values (Holm, 1979); exact McNemar tests per item; topic and item results are "
        "exploratory. Sensitivity: statsmodels TTestPower. Level 1 "
        "and 2 of Kirkpatrick & Kirkpatrick (2006).",
        "sq": "Rezultatet janë përqindja e përgjigjeve të sakta në të {k} pyetjet e njohurive "
        "(përgjigjet bosh dhe të pavlefshme llogariten të gabuara). Për çdo punëtori, te "
        "pjesëmarrësit me të dy testet: testi t i çiftuar dhe 95% IB i rritjes mesatare; testi "
        "Wilcoxon i rangjeve me shenjë mbi numrin e përgjigjeve të sakta me korrelacionin "
        "rang-biserial të çifteve (Kerby, 2014); d_z = rritja mesatare / devijimi standard i "
        "rritjeve me intervalin e saktë t jo-qendror (Steiger & Fouladi, 1997); g_av, rritja e "
        "pjesëtuar me mesataren e dy devijimeve standarde me korrigjimin e Hedges-it (Lakens, "
        "2013); "
        "rritja e normalizuar mesatare e grupit (Hake, 1998) dhe ndryshimi mesatar i "
        "normalizuar (Marx & Cummings, 2007); KR-20 për secilën fazë. Testi t i çiftuar mbi "
        "rritjen në pikë është analiza kryesore dhe testi Wilcoxon një kontroll i saj; d_z (rritja "
        "/ devijimi standard i rritjeve) varet nga sa ngushtë korrelojnë rezultatet para dhe pas, "
        "ndërsa g_av (rritja / devijimi standard mesatar) jo, prandaj të dy mund të ndryshojnë. "
        "Pyetësorët para dhe pas u lidhën sipas kodit të pjesëmarrësit: së pari përputhjet e "
        "sakta, pastaj kodet që ndryshojnë me një shenjë kur secili ishte kandidati i vetëm i "
        "tjetrit; pyetësorët e palidhur llogariten vetëm në numrat për secilin test. Temat dhe "
        "pyetjet: vlera p të korrigjuara me Holm (Holm, 1979); teste të sakta McNemar për çdo "
        "pyetje; rezultatet sipas temave dhe pyetjeve janë eksploruese. "
        "Ndjeshmëria: TTestPower i statsmodels. Nivelet 1 dhe 2 sipas Kirkpatrick & Kirkpatrick "
        "(2006).",
    },
    "methods_pooled_text": {
        "en": "Linear mixed model score ~ phase + workshop with a random intercept per "
        "participant (REML, statsmodels MixedLM) on every scored questionnaire, linked or not; "
        "the post-test coefficient with its Wald 95% CI. Likelihood-ratio test (ML fits) of "
        "adding phase × workshop. ANCOVA of the post-test score on the pre-test score and "
        "workshop (type II F-test). Item-level logistic GEE (correct ~ phase + topic, "
        "participant clusters, exchangeable correlation) as a sensitivity check.",
        "sq": "Model linear i përzier rezultati ~ faza + punëtoria me një konstante të "
        "rastësishme për çdo pjesëmarrës (REML, statsmodels MixedLM) mbi çdo pyetësor të "
        "vlerësuar, të lidhur ose jo; koeficienti i pastestit me 95% IB të Wald-it. Testi i "
        "raportit të përgjasimit (përshtatje ML) për shtimin e ndërveprimit faza × punëtoria. "
        "ANCOVA e "
        "rezultatit të pastestit mbi rezultatin e paratestit dhe punëtorinë (testi F i tipit "
        "II). GEE logjistik në nivel pyetjeje (e saktë ~ faza + tema, grupime sipas "
        "pjesëmarrësit, korrelacion i këmbyeshëm) si kontroll i ndjeshmërisë.",
    },
    "references": {
        "en": "**References.** Hake, R. R. (1998). *Am. J. Phys.* 66, 64. · Holm, S. (1979). "
        "*Scand. J. Stat.* 6, 65–70. · Kerby, D. S. (2014). *Comprehensive Psychology* 3. · "
        "Kirkpatrick, D. L., & Kirkpatrick, J. D. (2006). *Evaluating Training Programs* (3rd "
        "ed.). · Lakens, D. (2013). *Front. Psychol.* 4, 863. · Marx, J. D., & Cummings, K. "
        "(2007). *Am. J. Phys.* 75, 87. · Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality "
        "interval estimation.",
        "sq": "**Referencat.** Hake, R. R. (1998). *Am. J. Phys.* 66, 64. · Holm, S. (1979). "
        "*Scand. J. Stat.* 6, 65–70. · Kerby, D. S. (2014). *Comprehensive Psychology* 3. · "
        "Kirkpatrick, D. L., & Kirkpatrick, J. D. (2006). *Evaluating Training Programs* "
        "(botimi i 3-të). · Lakens, D. (2013). *Front. Psychol.* 4, 863. · Marx, J. D., & "
        "Cummings, K. (2007). *Am. J. Phys.* 75, 87. · Steiger, J. H., & Fouladi, R. T. (1997). "
        "Noncentrality interval estimation.",
    },
    "provenance_text": {
        "en": "Cleaned from the raw files below (SHA-256), with the code at commit {commit}.",
        "sq": "Të pastruara nga skedarët burimorë më poshtë (SHA-256), me kodin në versionin "
        "{commit}.",
    },
    "lmm_text": {
        "en": "Mixed model over all scored questionnaires ({n_obs} questionnaires of {n_groups} "
        "participants, a questionnaire that could not be linked counting as a participant of "
        "its own): the post-test scores {effect} points higher than the pre-test, 95% CI "
        "{ci}. Phase × workshop interaction: likelihood-ratio χ²({df}) = {lr}, {p_int}. "
        "ANCOVA, post-test on pre-test and workshop: workshop {p_ancova}. Item-level GEE: "
        "odds ratio of a correct answer post vs pre {or_} (95% CI {or_ci}), {p_gee}.",
        "sq": "Modeli i përzier mbi të gjithë pyetësorët e vlerësuar ({n_obs} pyetësorë nga "
        "{n_groups} pjesëmarrës, ku një pyetësor që nuk u lidh llogaritet si pjesëmarrës më "
        "vete): pastesti del {effect} pikë më lart se paratesti, 95% IB {ci}. "
        "Ndërveprimi faza × punëtoria: testi i raportit të përgjasimit χ²({df}) = {lr}, "
        "{p_int}. ANCOVA, pastesti mbi paratestin dhe punëtorinë: punëtoria {p_ancova}. GEE në "
        "nivel pyetjeje: raporti i shanseve për përgjigje të saktë pas/para {or_} (95% IB "
        "{or_ci}), {p_gee}.",
    },
    "warnings_none": {
        "en": "The models converged without warnings; the mixed model's fixed effects agree with "
        "ordinary least squares (largest difference {diff} OLS standard errors).",
        "sq": "Modelet konvergjuan pa paralajmërime; efektet fikse të modelit të përzier "
        "përputhen me vlerësimet e metodës së katrorëve më të vegjël të zakonshëm, OLS (ndryshimi "
        "më i madh {diff} gabime "
        "standarde të OLS).",
    },
    "warnings_some": {
        "en": "The model fits reported the following; read the pooled estimates with care:",
        "sq": "Përshtatjet e modeleve raportuan sa vijon; lexojini me kujdes vlerësimet e "
        "përbashkëta:",
    },
    "topic_trust": {
        "en": "Community policing and trust",
        "sq": "Policia në bashkësi dhe besimi i publikut",
    },
    "topic_problem_solving": {
        "en": "Identifying and addressing problems",
        "sq": "Identifikimi dhe adresimi i problemeve",
    },
    "topic_communication": {"en": "Communication", "sq": "Komunikimi"},
    "topic_victims": {"en": "Treatment of crime victims", "sq": "Trajtimi i viktimave të krimit"},
    "topic_communities": {
        "en": "Relations with all communities",
        "sq": "Marrëdhëniet me të gjitha komunitetet",
    },
    "var_gender": {"en": "Gender", "sq": "Gjinia"},
    "var_community": {"en": "Community", "sq": "Komuniteti"},
    "var_years_of_service": {"en": "Years of service", "sq": "Vitet e shërbimit"},
    "group_missing": {"en": "not stated", "sq": "pa përgjigje"},
    "col_stage": {"en": "Stage", "sq": "Faza e përpunimit"},
    "col_pre": {"en": "Pre-test", "sq": "Paratesti"},
    "col_post": {"en": "Post-test", "sq": "Pastesti"},
    "col_topic": {"en": "Topic", "sq": "Tema"},
    "col_item": {"en": "Item", "sq": "Pyetja"},
    "col_n": {"en": "n", "sq": "n"},
    "col_pre_mean": {"en": "Pre mean (%)", "sq": "Mesatarja para (%)"},
    "col_post_mean": {"en": "Post mean (%)", "sq": "Mesatarja pas (%)"},
    "col_gain": {"en": "Gain (points)", "sq": "Rritja (pikë)"},
    "col_ci": {"en": "95% CI", "sq": "95% IB"},
    "col_d_z": {"en": "d_z", "sq": "d_z"},
    "col_p_holm": {"en": "p (Holm)", "sq": "p (Holm)"},
    "col_pre_correct": {"en": "Correct pre (%)", "sq": "Të sakta para (%)"},
    "col_post_correct": {"en": "Correct post (%)", "sq": "Të sakta pas (%)"},
    "col_gained_lost": {"en": "Gained / lost", "sq": "Fituan / humbën"},
    "col_difficulty": {"en": "Difficulty pre / post", "sq": "Vështirësia para / pas"},
    "col_discrimination": {"en": "Discrimination pre / post", "sq": "Diskriminimi para / pas"},
    "col_flags": {"en": "Flags", "sq": "Shënime"},
    "flag_ceiling": {"en": "ceiling", "sq": "tavan"},
    "flag_negative": {"en": "negative discrimination", "sq": "diskriminim negativ"},
    "col_statement": {"en": "Statement", "sq": "Pohimi"},
    "col_agree": {"en": "Agree (%)", "sq": "Dakord (%)"},
    "col_median": {"en": "Median", "sq": "Mediana"},
    "col_variable": {"en": "Characteristic", "sq": "Karakteristika"},
    "col_group": {"en": "Group", "sq": "Grupi"},
    "col_file": {"en": "File", "sq": "Skedari"},
    "col_package": {"en": "Package", "sq": "Paketa"},
    "col_version": {"en": "Version", "sq": "Versioni"},
    "col_statistic": {"en": "Statistic", "sq": "Treguesi"},
    "col_value": {"en": "Value", "sq": "Vlera"},
    "col_term": {"en": "Term", "sq": "Termi"},
    "col_estimate": {"en": "Estimate", "sq": "Vlerësimi"},
    "col_p": {"en": "p", "sq": "p"},
    "col_t_df": {"en": "t (df)", "sq": "t (shkallë lirie)"},
    "col_wilcoxon_p": {"en": "Wilcoxon p", "sq": "p e Wilcoxon-it"},
    "col_wilcoxon_p_holm": {"en": "Wilcoxon p (Holm)", "sq": "p e Wilcoxon-it (Holm)"},
    "col_rank_biserial": {"en": "Rank-biserial r", "sq": "r rang-biserial"},
    "col_d_z_ci": {"en": "d_z 95% CI", "sq": "d_z 95% IB"},
    "col_g_av": {"en": "g_av", "sq": "g_av"},
    "col_hake_g": {"en": "Hake's g", "sq": "g e Hake-ut"},
    "col_norm_change": {"en": "Mean normalized change", "sq": "Ndryshimi mesatar i normalizuar"},
    "col_improved": {
        "en": "Improved / unchanged / declined (%)",
        "sq": "U përmirësuan / pa ndryshim / u përkeqësuan (%)",
    },
    "sens_n": {"en": "Linked participants (n)", "sq": "Pjesëmarrës të lidhur (n)"},
    "sens_alpha": {
        "en": "Significance level α (two-sided)",
        "sq": "Niveli i rëndësisë α (dykahësh)",
    },
    "sens_power": {"en": "Power", "sq": "Fuqia"},
    "sens_mde": {"en": "Minimal detectable d_z", "sq": "d_z minimal i diktueshëm"},
    "sens_observed": {"en": "Observed d_z (95% CI)", "sq": "d_z i vëzhguar (95% IB)"},
    "topic_tests_text": {
        "en": "Every paired statistic per topic: t-test (p and Holm-adjusted p across the "
        "topics), Wilcoxon signed-rank test on the numbers correct, rank-biserial r, d_z with "
        "its exact interval, g_av, Hake's g, the mean normalized change, and the shares who "
        "improved, stayed the same or declined.",
        "sq": "Çdo tregues i çiftuar sipas temës: testi t (p dhe p e korrigjuar me Holm "
        "ndërmjet temave), testi Wilcoxon i rangjeve me shenjë mbi numrin e përgjigjeve të "
        "sakta, r rang-biserial, d_z me intervalin e tij të saktë, g_av, g e Hake-ut, "
        "ndryshimi mesatar i normalizuar dhe përqindjet e pjesëmarrësve që u përmirësuan, mbetën "
        "njëlloj ose u përkeqësuan.",
    },
    "stage_received": {
        "en": "Received",
        "sq": "Të pranuar",
    },
    "stage_duplicates": {
        "en": "Duplicates dropped",
        "sq": "Dublikata të hequra",
    },
    "stage_excluded": {
        "en": "Excluded (incomplete or no code)",
        "sq": "Të përjashtuar (të paplotë ose pa kod)",
    },
    "stage_scored": {
        "en": "Scored",
        "sq": "Të vlerësuar",
    },
    "stage_unmatched": {
        "en": "Without a match",
        "sq": "Pa çift",
    },
    "stage_paired": {
        "en": "Paired (both tests)",
        "sq": "Të çiftuar (të dy testet)",
    },
    "stage_fuzzy": {
        "en": "of them paired across a one-character slip",
        "sq": "prej tyre të çiftuar me gabim në një shenjë",
    },
    "term_lmm_phase_effect": {"en": "LMM: post − pre (points)", "sq": "LMM: pas − para (pikë)"},
    "term_lmm_interaction_lr": {
        "en": "LMM: phase × workshop (LR χ²)",
        "sq": "LMM: faza × punëtoria (RP χ²)",
    },
    "term_ancova_workshop_F": {"en": "ANCOVA: workshop (F)", "sq": "ANCOVA: punëtoria (F)"},
    "term_gee_odds_ratio": {
        "en": "GEE: odds ratio post / pre",
        "sq": "GEE: raporti i shanseve pas / para",
    },
    "sensitivity_significant": {
        "en": "This gain is significant; the 95% CI of d_z, {ci}, shows the effect sizes the "
        "data are compatible with. The minimal detectable effect describes the design, not "
        "this result.",
        "sq": "Kjo rritje është domethënëse; 95% IB i d_z, {ci}, tregon madhësitë e efektit që "
        "përputhen me të dhënat. Efekti minimal i diktueshëm përshkruan planin e studimit, jo "
        "këtë rezultat.",
    },
    "sensitivity_not_significant": {
        "en": "This gain is not significant, and with this many participants that is no "
        "evidence that the workshop had no effect: the 95% CI of d_z, {ci}, still includes "
        "effects as large as {high}.",
        "sq": "Kjo rritje nuk është domethënëse, dhe me kaq pjesëmarrës kjo nuk dëshmon se "
        "punëtoria nuk pati efekt: 95% IB i d_z, {ci}, përfshin ende efekte deri në {high}.",
    },
    "wilcoxon_agrees": {
        "en": "The Wilcoxon signed-rank test agrees ({wilcoxon}; rank-biserial r = {rb}).",
        "sq": "Testi Wilcoxon i rangjeve me shenjë përputhet ({wilcoxon}; r rang-biserial = {rb}).",
    },
    "wilcoxon_differs": {
        "en": "The Wilcoxon signed-rank test does not agree ({wilcoxon}; rank-biserial r = {rb}); "
        "read the result with care.",
        "sq": "Testi Wilcoxon i rangjeve me shenjë nuk përputhet ({wilcoxon}; r rang-biserial = "
        "{rb}); lexojeni rezultatin me kujdes.",
    },
    "reliability_low_both": {
        "en": "Here KR-20 falls below .70 in both tests.",
        "sq": "Këtu KR-20 bie nën ,70 në të dy testet.",
    },
    "reliability_low": {
        "en": "Here the {phases} falls below .70.",
        "sq": "Këtu {phases} bie nën ,70.",
    },
    "cell_hidden": {
        "en": "hidden*",
        "sq": "fshehur*",
    },
    "group_other": {
        "en": "other (groups under 5)",
        "sq": "të tjerë (grupe nën 5)",
    },
    "value_M": {
        "en": "Men",
        "sq": "Burra",
    },
    "value_F": {
        "en": "Women",
        "sq": "Gra",
    },
    "value_Shqiptar": {
        "en": "Albanian",
        "sq": "shqiptar",
    },
    "value_Serb": {
        "en": "Serb",
        "sq": "serb",
    },
    "value_Turk": {
        "en": "Turkish",
        "sq": "turk",
    },
    "value_Boshnjak": {
        "en": "Bosniak",
        "sq": "boshnjak",
    },
    "value_Rom": {
        "en": "Roma",
        "sq": "rom",
    },
    "value_Ashkali": {
        "en": "Ashkali",
        "sq": "ashkali",
    },
    "value_Egjiptian": {
        "en": "Egyptian",
        "sq": "egjiptian",
    },
    "value_Goran": {
        "en": "Gorani",
        "sq": "goran",
    },
    "limitations_pooled_numbers": {
        "en": "- **Attrition.** {paired} of {scored_pre} officers with a scored pre-test were "
        "paired with a post-test ({attrition}% not paired); if those not paired differ, the "
        "pooled gain is biased. The mixed model uses the unpaired questionnaires too, assuming "
        "they are missing at random.\n- **Reliability.** KR-20 ranges from {kr_min} to {kr_max} "
        "over the workshops and tests; {n_low} of {n_kr} values are below .70. Topic and item "
        "results rest on fewer items and are less reliable still.\n- **Ceiling and regression "
        "to the mean** apply as in each workshop's report.",
        "sq": "- **Humbja e pjesëmarrësve.** {paired} nga {scored_pre} zyrtarë me paratest të "
        "vlerësuar u çiftuan me një pastest ({attrition}% të paçiftuar); nëse ata që nuk u "
        "çiftuan dallojnë nga të tjerët, rritja e përbashkët është e njëanshme. Modeli i "
        "përzier përdor edhe pyetësorët e paçiftuar, duke supozuar se mungojnë rastësisht.\n- "
        "**Besueshmëria.** KR-20 shkon nga {kr_min} deri në {kr_max} ndërmjet punëtorive dhe "
        "testeve; {n_low} nga {n_kr} vlera janë nën ,70. Rezultatet sipas temave dhe pyetjeve "
        "mbështeten në më pak pyetje dhe janë edhe më pak të besueshme.\n- **Tavani dhe kthimi "
        "drejt mesatares** vlejnë si në raportin e secilës punëtori.",
    },
    "limitations_pooled": {
        "en": "- **No control group** and **the same test twice**, in every workshop: the gains "
        "likely overstate what the workshops caused and cannot be attributed to them "
        "alone.\n- **Workshops are not comparable "
        "units.** Each differs in trainer, group and region at once; differences between "
        "workshops must not be read as a ranking of directorates, and four workshops are "
        "too few to explain them.\n- **Knowledge is not practice.** Nothing here measures "
        "behaviour on duty or public trust.",
        "sq": "- **Pa grup kontrolli** dhe **i njëjti test dy herë**, në çdo punëtori: rritjet ka "
        "të ngjarë ta tejkalojnë atë që shkaktuan punëtoritë dhe nuk mund t'u atribuohen "
        "vetëm atyre.\n- **Punëtoritë nuk janë "
        "njësi të krahasueshme.** Secila dallon njëkohësisht për nga trajneri, grupi dhe rajoni; "
        "ndryshimet ndërmjet punëtorive nuk duhet të lexohen si renditje e "
        "drejtorive, dhe katër punëtori janë shumë pak për t'i shpjeguar.\n- **Njohuria nuk "
        "është praktikë.** Asgjë këtu nuk mat sjelljen në detyrë apo besimin e publikut.",
    },
    "overall_note": {
        "en": "The headline gain above ({simple} points) is the mean of all paired participants' "
        "gains. The mixed model below ({lmm} points) uses every scored questionnaire, "
        "paired or not, and compares the phases within workshops, so the two differ "
        "slightly.",
        "sq": "Rritja kryesore më sipër ({simple} pikë) është mesatarja e rritjeve të të gjithë "
        "pjesëmarrësve të çiftuar. Modeli i përzier më poshtë ({lmm} pikë) përdor çdo "
        "pyetësor të vlerësuar, të çiftuar ose jo, dhe i krahason fazat brenda punëtorive, "
        "prandaj të dyja ndryshojnë pak.",
    },
    "compare_text": {
        "en": "Mean score of the paired participants per workshop and test, with the 95% CI of "
        "each mean. Overlapping intervals do not mean that a workshop had no effect: the "
        "paired analysis compares each participant with themselves and is more sensitive.",
        "sq": "Rezultati mesatar i pjesëmarrësve të çiftuar sipas punëtorisë dhe testit, me 95% "
        "IB të secilës mesatare. Mbivendosja e intervaleve nuk do të thotë se punëtoria nuk "
        "pati efekt: analiza e çiftuar e krahason secilin pjesëmarrës me veten dhe është më "
        "e ndjeshme.",
    },
    "models_reading": {
        "en": "Reading: the interaction test asks whether the gain differs between workshops "
        "({p_int}); ANCOVA asks whether post-test scores differ between workshops at equal "
        "pre-test scores ({p_ancova}). With four small workshops both have little power, "
        "and neither identifies why workshops differ.",
        "sq": "Leximi: testi i ndërveprimit pyet nëse rritja ndryshon ndërmjet punëtorive "
        "({p_int}); ANCOVA pyet nëse rezultatet e pastestit ndryshojnë ndërmjet punëtorive "
        "me të njëjtin rezultat në paratest ({p_ancova}). Me katër punëtori të vogla të dy "
        "testet kanë fuqi të ulët, dhe asnjëri nuk tregon pse ndryshojnë punëtoritë.",
    },
    "fig_alt": {
        "en": "Figure of the report",
        "sq": "Figurë e raportit",
    },
    "nav_index": {
        "en": "All reports",
        "sq": "Të gjitha raportet",
    },
    "synthetic_mark": {
        "en": "SYNTHETIC DATA",
        "sq": "TË DHËNA SINTETIKE",
    },
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def fmt_num(x: float | None, lang: str = "en", digits: int = 1) -> str:
    """Format a number with ``digits`` decimals, halves rounded away from zero.

    ``12.5`` in English, ``12,5`` in Albanian; a dash for a missing value.

    >>> fmt_num(12.345, "sq", 1), fmt_num(-0.5, "en", 2), fmt_num(12.5, "en", 0)
    ('12,3', '-0.50', '13')
    >>> fmt_num(float("nan"))
    '–'
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    step = Decimal(1).scaleb(-digits)
    text = str(Decimal(repr(float(x))).quantize(step, rounding=ROUND_HALF_UP))
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    return text.replace(".", ",") if lang == "sq" else text


MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def fmt_date(iso: str, lang: str = "en") -> str:
    """A date (``YYYY-MM-DD``) as written in the report's language, whatever the locale.

    >>> fmt_date("2021-03-16"), fmt_date("2021-03-16", "sq")
    ('16 March 2021', '16.03.2021')
    """
    year, month, day = (int(x) for x in str(iso)[:10].split("-"))
    if lang == "sq":
        return f"{day:02d}.{month:02d}.{year}"
    return f"{day} {MONTHS_EN[month - 1]} {year}"


def fmt_ci(low: float, high: float, lang: str = "en", digits: int = 1) -> str:
    """An interval: ``[6.5, 26.4]``; in Albanian ``[6,5; 26,4]`` (the comma is the decimal mark).

    >>> fmt_ci(6.46, 26.39), fmt_ci(6.46, 26.39, "sq")
    ('[6.5, 26.4]', '[6,5; 26,4]')
    """
    sep = "; " if lang == "sq" else ", "
    return f"[{fmt_num(low, lang, digits)}{sep}{fmt_num(high, lang, digits)}]"


def fmt_p(p: float, lang: str = "en") -> str:
    """APA-style p-value: ``p = .034``, ``p < .001`` (``p = ,034``, ``p < ,001`` in Albanian).

    >>> fmt_p(0.0342), fmt_p(0.00001, "sq"), fmt_p(0.5)
    ('p = .034', 'p < ,001', 'p = .500')
    """
    if p is None or math.isnan(p):
        return "p = –"
    text = "p < .001" if p < 0.001 else "p = " + f"{p:.3f}".removeprefix("0")
    return text.replace(".", ",") if lang == "sq" else text
