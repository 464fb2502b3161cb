"""A seeded simulator of questionnaire exports, written exactly in the project's data contract.

The per-participant answers of the four 2021 workshops were never published, so the project
ships a SYNTHETIC data set made by :func:`simulate`. Same seed, same bytes: every file, the
XLSX workbook included, is byte-identical between runs; nothing depends on the clock.

Model (Rasch type, on the logit scale)
--------------------------------------
* Ability ``theta_i ~ N(0, 1) + 0.02 * (years_of_service_i - 12)``.
* Item difficulty ``b_j``: fixed per item in :data:`ITEM_DIFFICULTY` (K09 and K18 are easy, so a
  ceiling item exists; K05 and K10 are hard); items not listed there are drawn ``N(0, 0.8)``.
* True gain per workshop ``g_w`` (:data:`TRUE_GAIN`: W1 0.9, W2 0.6, W3 1.1, W4 0.4; workshops
  beyond W4 draw ``g_w ~ N(0.75, 0.25)`` clipped to [0.1, 1.5]); each person's gain is
  ``g_w + N(0, 0.3)``.
* ``P(correct) = logistic(theta_i - b_j + gain_i * [post])``. A wrong answer is one of the
  three distractors, uniformly.
* Reaction items (post only): Likert 1-5, ``round(3.9 + 0.8 * s_i + offset_j + N(0, 0.6))``
  clipped to 1..5, with latent satisfaction ``s_i ~ N(0, 1)``; "time was sufficient" (R05) has
  offset -0.6.
* Demographics: gender ``M``/``F`` (about 22 % F), community mostly ``Shqiptar`` (more ``Serb``
  in Mitrovicë), years of service, rank (Polic, Rreshter, Toger, Kapiten), station of the
  directorate; ``submitted_at`` on the workshop date, pre 08:30-09:10, post 15:00-15:45.

Planted messes (a fixed handful per workshop, so they scale with the number of workshops;
slips scale with its size): one-character code slips between pre and post (``n_w // 10``, at
least one; every third one a dropped character), in W3 (and every fourth workshop) an
ambiguous slip that the linking rule must leave unlinked, case/space/dash/dot variants of codes,
one duplicate per workshop (cycling: more answered items wins; tie broken by later
``submitted_at``; tie on both broken by the last row read), incomplete questionnaires (6 or 9
of the knowledge items answered) and one with exactly half answered (kept), invalid answers
(``AB``, ``E``, ``?``, ``x``, reaction ``6``), blank answers, a participant who left early
(pre only) and one who missed the pre (post only), personal columns (``name``; ``emri``,
``mbiemri``, ``phone`` in the Windows-1250 file; ``shenime`` in the late file), Albanian phase
labels, workshops named by id, number and aliases, one Windows-1250 CSV with ``;``, one XLSX,
one UTF-8-with-BOM CSV, one lower-case item header, the rest UTF-8 CSV. Files: one per workshop
and phase plus ``late_submissions.csv`` (read last), which mixes workshops.

Generated codes of one workshop are pairwise at Levenshtein distance >= 3, so a planted slip
is the only distance-1 candidate on both sides, except the ambiguous slip planted on purpose.

Outputs under ``out_dir``: ``workshops.csv``, ``instrument/codebook.csv`` (copied from the
project), ``responses/*``, and ``synthetic/`` with ``truth.json``, ``participants.csv``,
``expected_flow.csv``, ``expected_questionnaires.csv`` and ``manifest.json`` (SHA-256 of every
file written). The expected tables come from applying the contract's rules to the generated
rows, and are checked against the planted counts.

Modules: :mod:`.registry` (the workshops and their sizes), :mod:`.model` (parameters, instrument,
planted roles), :mod:`.codes` (participant codes and their slips), :mod:`.people` (officers),
:mod:`.answers` (answers and answer messes), :mod:`.generate` (the whole draw), :mod:`.files`
(the file plan and CSV/XLSX bytes), :mod:`.expected` (expected tables and ``truth.json``),
:mod:`.write` (manifest, refusal rule, staged writing) and :mod:`.run` (:func:`simulate`).
"""

from __future__ import annotations

from .registry import REGISTRY
from .run import simulate

__all__ = ["REGISTRY", "simulate"]
