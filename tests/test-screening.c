/* test-screening.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of the screening rules: each row is a screening
 * (answers and dates relative to a fixed "today") and the findings it
 * must produce, in order.
 */
#include "config.h"

#include <string.h>

#include "derm-finding.h"
#include "derm-screening.h"
#include "derm-screening-rules.h"
#include "derm-validate.h"

#define TODAY "2026-11-24"

typedef struct
{
  DermQuestion question;
  DermAnswer   answer;
  const char  *date;      /* for questions with a date */
  const char  *details;
} Answer;

typedef struct
{
  const char *code;
  DermSeverity severity;
  const char *until;      /* NULL when the finding has no end date */
} Expected;

typedef struct
{
  const char *name;
  const char *screened_on;
  Answer      answers[6];
  Expected    expected[6];
} Case;

/* Every case answers "no" to what it does not list, and "yes" to consent,
 * so only the rule under test fires. */
static const Case cases[] = {
  { "clear", "2026-11-01", { { 0 } }, { { NULL } } },
  { "isotretinoin-2-months-ago", "2026-11-01",
    { { DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES, "2026-09-24", NULL } },
    { { "isotretinoin-recent", DERM_SEVERITY_CONTRAINDICATION, "2027-03-24" } } },
  { "isotretinoin-one-day-inside", "2026-11-01",
    { { DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES, "2026-05-25", NULL } },
    { { "isotretinoin-recent", DERM_SEVERITY_CONTRAINDICATION, "2026-11-25" } } },
  { "isotretinoin-exactly-6-months", "2026-11-01",
    { { DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES, "2026-05-24", NULL } },
    { { NULL } } },
  { "isotretinoin-month-end", "2026-11-01",
    /* 31 August + 6 months = 28 February (clamped), still ahead of today */
    { { DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES, "2026-08-31", NULL } },
    { { "isotretinoin-recent", DERM_SEVERITY_CONTRAINDICATION, "2027-02-28" } } },
  { "isotretinoin-no-date", "2026-11-01",
    { { DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES, NULL, NULL } },
    { { "isotretinoin-recent", DERM_SEVERITY_CONTRAINDICATION, NULL } } },
  { "isotretinoin-unanswered", "2026-11-01",
    { { DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_UNKNOWN, NULL, NULL } },
    { { "unanswered", DERM_SEVERITY_CAUTION, NULL } } },
  { "active-infection", "2026-11-01",
    { { DERM_QUESTION_ACTIVE_INFECTION, DERM_ANSWER_YES, NULL, "cold sore upper lip" } },
    { { "active-infection", DERM_SEVERITY_CONTRAINDICATION, NULL } } },
  { "open-wound", "2026-11-01",
    { { DERM_QUESTION_OPEN_WOUNDS, DERM_ANSWER_YES, NULL, NULL } },
    { { "open-wounds", DERM_SEVERITY_CONTRAINDICATION, NULL } } },
  { "inflamed", "2026-11-01",
    { { DERM_QUESTION_INFLAMED_SKIN, DERM_ANSWER_YES, NULL, NULL } },
    { { "inflamed-skin", DERM_SEVERITY_CONTRAINDICATION, NULL } } },
  { "retinoid-stopped-2-days-ago", "2026-11-01",
    { { DERM_QUESTION_TOPICAL_RETINOIDS, DERM_ANSWER_YES, "2026-11-22", NULL } },
    { { "retinoid-recent", DERM_SEVERITY_CAUTION, "2026-11-27" } } },
  { "retinoid-stopped-5-days-ago", "2026-11-01",
    { { DERM_QUESTION_TOPICAL_RETINOIDS, DERM_ANSWER_YES, "2026-11-19", NULL } },
    { { NULL } } },
  { "retinoid-in-use", "2026-11-01",
    { { DERM_QUESTION_TOPICAL_RETINOIDS, DERM_ANSWER_YES, NULL, NULL } },
    { { "retinoid-recent", DERM_SEVERITY_CAUTION, NULL } } },
  { "anticoagulants", "2026-11-01",
    { { DERM_QUESTION_ANTICOAGULANTS, DERM_ANSWER_YES, NULL, "warfarin" } },
    { { "anticoagulants", DERM_SEVERITY_CAUTION, NULL } } },
  { "keloid", "2026-11-01",
    { { DERM_QUESTION_KELOID_HISTORY, DERM_ANSWER_YES, NULL, NULL } },
    { { "keloid-history", DERM_SEVERITY_CAUTION, NULL } } },
  { "delayed-healing", "2026-11-01",
    { { DERM_QUESTION_DELAYED_HEALING, DERM_ANSWER_YES, NULL, NULL } },
    { { "delayed-healing", DERM_SEVERITY_CAUTION, NULL } } },
  { "pregnancy", "2026-11-01",
    { { DERM_QUESTION_PREGNANCY, DERM_ANSWER_YES, NULL, NULL } },
    { { "pregnancy", DERM_SEVERITY_CAUTION, NULL } } },
  { "other-medications", "2026-11-01",
    { { DERM_QUESTION_OTHER_MEDICATIONS, DERM_ANSWER_YES, NULL, "levothyroxine" } },
    { { "other-medications", DERM_SEVERITY_INFO, NULL } } },
  { "no-consent", "2026-11-01",
    { { DERM_QUESTION_CONSENT, DERM_ANSWER_NO, NULL, NULL } },
    { { "no-consent", DERM_SEVERITY_CAUTION, NULL } } },
  { "outdated-screening", "2026-05-24",
    { { 0 } },
    { { "rescreen-due", DERM_SEVERITY_CAUTION, NULL } } },
  { "screening-one-day-short-of-6-months", "2026-05-25",
    { { 0 } },
    { { NULL } } },
  { "severity-order", "2026-11-01",
    /* listed mildest first; findings come back most severe first */
    { { DERM_QUESTION_OTHER_MEDICATIONS, DERM_ANSWER_YES, NULL, NULL },
      { DERM_QUESTION_ANTICOAGULANTS, DERM_ANSWER_YES, NULL, NULL },
      { DERM_QUESTION_ACTIVE_INFECTION, DERM_ANSWER_YES, NULL, NULL } },
    { { "active-infection", DERM_SEVERITY_CONTRAINDICATION, NULL },
      { "anticoagulants", DERM_SEVERITY_CAUTION, NULL },
      { "other-medications", DERM_SEVERITY_INFO, NULL } } },
};

static DermScreening *
build_screening (const Case *c)
{
  DermScreening *s = derm_screening_new ();

  derm_screening_set_date (s, c->screened_on);
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    derm_screening_set_answer (s, q, q == DERM_QUESTION_CONSENT ? DERM_ANSWER_YES : DERM_ANSWER_NO);
  for (guint i = 0; i < G_N_ELEMENTS (c->answers); i++)
    {
      const Answer *a = &c->answers[i];
      if (a->answer == 0 && a->question == 0 && a->date == NULL && a->details == NULL)
        break;
      derm_screening_set_answer (s, a->question, a->answer);
      derm_screening_set_date_for (s, a->question, a->date);
      derm_screening_set_details (s, a->question, a->details);
    }
  return s;
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (DermScreening) s = build_screening (c);
  g_autoptr (GPtrArray) findings = NULL;
  GDate today;
  guint n_expected = 0;

  g_assert_true (derm_date_parse (TODAY, &today));
  findings = derm_screening_evaluate (s, &today);

  while (n_expected < G_N_ELEMENTS (c->expected) && c->expected[n_expected].code != NULL)
    n_expected++;

  for (guint i = 0; i < findings->len; i++)
    g_test_message ("finding %u: %s (%s)", i,
                    derm_finding_get_code (g_ptr_array_index (findings, i)),
                    derm_finding_get_reason (g_ptr_array_index (findings, i)));

  g_assert_cmpuint (findings->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    {
      DermFinding *f = g_ptr_array_index (findings, i);

      g_assert_cmpstr (derm_finding_get_code (f), ==, c->expected[i].code);
      g_assert_cmpint (derm_finding_get_severity (f), ==, c->expected[i].severity);
      g_assert_cmpstr (derm_finding_get_until (f), ==, c->expected[i].until);
      g_assert_true (derm_finding_get_reason (f) != NULL && strlen (derm_finding_get_reason (f)) > 10);
    }

  if (n_expected > 0)
    g_assert_cmpint (derm_findings_worst_severity (findings), ==, c->expected[0].severity);
  else
    g_assert_cmpint (derm_findings_worst_severity (findings), ==, -1);
}

static void
test_details_in_reason (void)
{
  g_autoptr (DermScreening) s = derm_screening_new ();
  g_autoptr (GPtrArray) findings = NULL;
  GDate today;

  derm_date_parse (TODAY, &today);
  derm_screening_set_date (s, "2026-11-20");
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    derm_screening_set_answer (s, q, DERM_ANSWER_NO);
  derm_screening_set_answer (s, DERM_QUESTION_CONSENT, DERM_ANSWER_YES);
  derm_screening_set_answer (s, DERM_QUESTION_ANTICOAGULANTS, DERM_ANSWER_YES);
  derm_screening_set_details (s, DERM_QUESTION_ANTICOAGULANTS, "apixaban 5 mg");

  findings = derm_screening_evaluate (s, &today);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_nonnull (strstr (derm_finding_get_reason (g_ptr_array_index (findings, 0)), "apixaban 5 mg"));
}

static void
test_never_screened (void)
{
  g_autoptr (GPtrArray) findings = derm_screening_evaluate (NULL, NULL);

  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_cmpstr (derm_finding_get_code (g_ptr_array_index (findings, 0)), ==, "no-screening");
  g_assert_cmpint (derm_finding_get_severity (g_ptr_array_index (findings, 0)), ==, DERM_SEVERITY_CAUTION);
}

static void
test_all_unknown (void)
{
  g_autoptr (DermScreening) s = derm_screening_new ();
  g_autoptr (GPtrArray) findings = NULL;
  GDate today;
  guint unanswered = 0;

  derm_date_parse (TODAY, &today);
  derm_screening_set_date (s, TODAY);
  findings = derm_screening_evaluate (s, &today);
  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (derm_finding_get_code (g_ptr_array_index (findings, i)), "unanswered"))
      unanswered++;
  /* infection, wounds, inflammation, isotretinoin must be asked; consent missing too */
  g_assert_cmpuint (unanswered, ==, 4);
  g_assert_cmpstr (derm_finding_get_code (g_ptr_array_index (findings, findings->len - 1)), ==, "no-consent");
}

static void
test_thresholds_table (void)
{
  const DermScreeningThresholds *t = derm_screening_thresholds ();

  g_assert_cmpuint (t->isotretinoin_months, ==, 6);
  g_assert_cmpuint (t->retinoid_stop_days, ==, 5);
  g_assert_cmpuint (t->rescreen_months, ==, 6);
}

/* The first contraindication's reason, as the client page shows it */
static char *
full_rules_do_not_treat (DermScreening *screening,
                         const GDate   *today)
{
  g_autoptr (GPtrArray) findings = derm_screening_evaluate (screening, today);

  for (guint i = 0; i < findings->len; i++)
    if (derm_finding_get_severity (g_ptr_array_index (findings, i)) == DERM_SEVERITY_CONTRAINDICATION)
      return g_strdup (derm_finding_get_reason (g_ptr_array_index (findings, i)));
  return NULL;
}

/* A date @days from @today, or NULL */
static char *
date_from (const GDate *today,
           int          days)
{
  GDate d = *today;

  if (days >= 0)
    g_date_add_days (&d, (guint) days);
  else
    g_date_subtract_days (&d, (guint) -days);
  return derm_date_format (&d);
}

/* The list's badge (derm_screening_do_not_treat(), which looks only at the
 * contraindication questions) says what the full rules say, with the same
 * text, over screenings that vary every answer, date and detail: windows
 * from inside to outside by a day, missing and unreadable dates, several
 * contraindications at once, unanswered questions, old screenings. */
static void
test_do_not_treat_matches_full_rules (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261124);
  const int offsets[] = { -400, -200, -184, -183, -182, -181, -150, -30, -6, -5, -4, -1, 0, 1, 30 };
  const char *odd_dates[] = { NULL, "", "not a date", "2026-02-30" };
  const char *details[] = { NULL, "", "cold sore upper lip", "“quoted” & <marked>" };
  guint n_with = 0, n_without = 0;
  GDate today;

  g_assert_true (derm_date_parse (TODAY, &today));
  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr (DermScreening) s = derm_screening_new ();
      g_autofree char *screened = date_from (&today, -g_rand_int_range (rand, 0, 400));
      g_autofree char *full = NULL;
      g_autofree char *fast = NULL;

      derm_screening_set_date (s, screened);
      for (guint q = 0; q < DERM_N_QUESTIONS; q++)
        {
          /* "yes" often enough that several contraindications meet */
          guint pick = (guint) g_rand_int_range (rand, 0, 10);
          DermAnswer answer = pick < 3 ? DERM_ANSWER_YES : pick < 8 ? DERM_ANSWER_NO : DERM_ANSWER_UNKNOWN;
          g_autofree char *date = NULL;

          derm_screening_set_answer (s, q, answer);
          derm_screening_set_details (s, q, details[g_rand_int_range (rand, 0, G_N_ELEMENTS (details))]);
          if (!derm_question_has_date (q))
            continue;
          if (g_rand_int_range (rand, 0, 5) == 0)
            derm_screening_set_date_for (s, q, odd_dates[g_rand_int_range (rand, 0, G_N_ELEMENTS (odd_dates))]);
          else
            {
              date = date_from (&today, offsets[g_rand_int_range (rand, 0, G_N_ELEMENTS (offsets))]);
              derm_screening_set_date_for (s, q, date);
            }
        }

      full = full_rules_do_not_treat (s, &today);
      fast = derm_screening_do_not_treat (s, &today);
      g_assert_cmpstr (fast, ==, full);
      if (full != NULL)
        n_with++;
      else
        n_without++;
    }
  /* Both answers were exercised, many times */
  g_assert_cmpuint (n_with, >, 500);
  g_assert_cmpuint (n_without, >, 500);

  {
    g_autofree char *never = full_rules_do_not_treat (NULL, &today);
    g_autofree char *fast = derm_screening_do_not_treat (NULL, &today);

    g_assert_null (never);
    g_assert_null (fast);
  }
}

/* The questions the store loads for the badge are exactly those whose
 * "yes" alone rules treatment out */
static void
test_contraindication_questions (void)
{
  guint n = 0;
  const DermQuestion *questions = derm_screening_contraindication_questions (&n);
  GDate today;

  g_assert_true (derm_date_parse (TODAY, &today));
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      g_autoptr (DermScreening) s = derm_screening_new ();
      g_autofree char *reason = NULL;
      gboolean listed = FALSE;

      derm_screening_set_date (s, TODAY);
      derm_screening_set_answer (s, q, DERM_ANSWER_YES);
      reason = full_rules_do_not_treat (s, &today);
      for (guint i = 0; i < n; i++)
        listed = listed || questions[i] == q;
      g_assert_cmpint (listed, ==, reason != NULL);
    }
  g_assert_cmpuint (n, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/screening/rules/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/screening/rules/details-in-reason", test_details_in_reason);
  g_test_add_func ("/screening/rules/never-screened", test_never_screened);
  g_test_add_func ("/screening/rules/all-unknown", test_all_unknown);
  g_test_add_func ("/screening/thresholds", test_thresholds_table);
  g_test_add_func ("/screening/do-not-treat/matches-full-rules", test_do_not_treat_matches_full_rules);
  g_test_add_func ("/screening/do-not-treat/questions", test_contraindication_questions);

  return g_test_run ();
}
