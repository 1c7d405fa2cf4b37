/* derm-screening-rules.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The screening rules are data: one row per question says what a "yes"
 * means. Questions with a date (isotretinoin last dose, retinoid stop
 * date) have a time window instead of a fixed answer; the thresholds of
 * those windows are in one struct so the README and the tests quote the
 * same numbers.
 */
#define G_LOG_DOMAIN "derm-screening-rules"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-finding.h"
#include "derm-screening.h"
#include "derm-screening-rules.h"
#include "derm-treatment.h"
#include "derm-validate.h"

static const DermScreeningThresholds thresholds = {
  .isotretinoin_months = 6,
  .retinoid_stop_days = 5,
  .rescreen_months = 6,
};

typedef enum
{
  WINDOW_NONE,        /* "yes" alone decides */
  WINDOW_MONTHS,      /* "yes" matters until date + N months */
  WINDOW_DAYS,        /* "yes" matters until date + N days */
} WindowKind;

typedef struct
{
  DermQuestion  question;
  DermSeverity  severity;       /* of a "yes" (inside the window, if any) */
  const char   *code;
  const char   *reason;         /* N_(); %s = details or date, see below */
  WindowKind    window;
  /* A "yes" with no date cannot be placed in the window: it counts as inside. */
  const char   *no_date_reason; /* N_() */
  /* An unanswered question that can rule out treatment must be asked. */
  gboolean      must_answer;
} Rule;

static const Rule rules[] = {
  { DERM_QUESTION_ACTIVE_INFECTION, DERM_SEVERITY_CONTRAINDICATION, "active-infection",
    N_("Active skin infection in the treatment area. Do not treat until it has cleared."),
    WINDOW_NONE, NULL, TRUE },
  { DERM_QUESTION_OPEN_WOUNDS, DERM_SEVERITY_CONTRAINDICATION, "open-wounds",
    N_("Open wounds in the treatment area. Do not treat until they have healed."),
    WINDOW_NONE, NULL, TRUE },
  { DERM_QUESTION_INFLAMED_SKIN, DERM_SEVERITY_CONTRAINDICATION, "inflamed-skin",
    N_("Inflamed skin in the treatment area. Do not treat until the inflammation has settled."),
    WINDOW_NONE, NULL, TRUE },
  { DERM_QUESTION_ISOTRETINOIN, DERM_SEVERITY_CONTRAINDICATION, "isotretinoin-recent",
    N_("Oral isotretinoin within the last %u months (last dose %s). Do not treat before the date shown."),
    WINDOW_MONTHS,
    N_("Oral isotretinoin taken, last dose not recorded. Do not treat until the last dose is known to be more than %u months ago."),
    TRUE },
  { DERM_QUESTION_TOPICAL_RETINOIDS, DERM_SEVERITY_CAUTION, "retinoid-recent",
    N_("Topical retinoid stopped fewer than %u days ago (on %s). Wait until the date shown."),
    WINDOW_DAYS,
    N_("Topical retinoid in use. It should be stopped at least %u days before treatment."),
    FALSE },
  { DERM_QUESTION_ANTICOAGULANTS, DERM_SEVERITY_CAUTION, "anticoagulants",
    N_("Takes anticoagulants or blood thinners: expect more bleeding and bruising; consider a shallower depth."),
    WINDOW_NONE, NULL, FALSE },
  { DERM_QUESTION_KELOID_HISTORY, DERM_SEVERITY_CAUTION, "keloid-history",
    N_("History of keloid or hypertrophic scarring: risk of abnormal scarring. Test a small area first."),
    WINDOW_NONE, NULL, FALSE },
  { DERM_QUESTION_DELAYED_HEALING, DERM_SEVERITY_CAUTION, "delayed-healing",
    N_("Delayed wound healing reported: allow longer between sessions and check healing first."),
    WINDOW_NONE, NULL, FALSE },
  { DERM_QUESTION_PREGNANCY, DERM_SEVERITY_CAUTION, "pregnancy",
    N_("Pregnant or breastfeeding: treatment is usually postponed; avoid serums and anaesthetics not cleared for pregnancy."),
    WINDOW_NONE, NULL, FALSE },
  { DERM_QUESTION_ALLERGIES, DERM_SEVERITY_CAUTION, "allergies",
    N_("Allergies reported: check them against the anaesthetic and serums before use."),
    WINDOW_NONE, NULL, FALSE },
  { DERM_QUESTION_OTHER_MEDICATIONS, DERM_SEVERITY_INFO, "other-medications",
    N_("Takes other medications: review them before treating."),
    WINDOW_NONE, NULL, FALSE },
};

const DermScreeningThresholds *
derm_screening_thresholds (void)
{
  return &thresholds;
}

static DermFinding *
new_finding (DermSeverity  severity,
             const char   *code,
             const char   *reason,
             const char   *details,
             const GDate  *until)
{
  g_autofree char *until_iso = until ? derm_date_format (until) : NULL;
  g_autofree char *text = NULL;

  if (details != NULL && *details != '\0')
    text = g_strdup_printf (_("%s Details: %s"), reason, details);
  else
    text = g_strdup (reason);

  return derm_finding_new (severity, code, text, until_iso);
}

static void
add_finding (GPtrArray    *findings,
             DermSeverity  severity,
             const char   *code,
             const char   *reason,
             const char   *details,
             const GDate  *until)
{
  g_ptr_array_add (findings, new_finding (severity, code, reason, details, until));
}

static gint
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  DermFinding *fa = *(DermFinding **) a;
  DermFinding *fb = *(DermFinding **) b;

  return (int) derm_finding_get_severity (fa) - (int) derm_finding_get_severity (fb);
}

/* What @rule finds in @screening on @today, or NULL. The formats come
 * from the static table above, never from input. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static DermFinding *
rule_finding (const Rule    *rule,
              DermScreening *screening,
              const GDate   *today)
{
  DermAnswer answer = derm_screening_get_answer (screening, rule->question);
  const char *details = derm_screening_get_details (screening, rule->question);
  const char *date_iso = derm_screening_get_date_for (screening, rule->question);
  GDate date, until;
  guint n;

  if (answer == DERM_ANSWER_UNKNOWN && rule->must_answer)
    {
      g_autofree char *reason =
        g_strdup_printf (_("Not answered: “%s” Ask before treating."),
                         derm_question_to_label (rule->question));
      return new_finding (DERM_SEVERITY_CAUTION, "unanswered", reason, NULL, NULL);
    }

  if (answer != DERM_ANSWER_YES)
    return NULL;

  if (rule->window == WINDOW_NONE)
    return new_finding (rule->severity, rule->code, _(rule->reason), details, NULL);

  n = rule->window == WINDOW_MONTHS ? thresholds.isotretinoin_months
                                    : thresholds.retinoid_stop_days;

  if (date_iso == NULL || !derm_date_parse (date_iso, &date))
    {
      g_autofree char *reason = g_strdup_printf (_(rule->no_date_reason), n);
      return new_finding (rule->severity, rule->code, reason, details, NULL);
    }

  until = date;
  if (rule->window == WINDOW_MONTHS)
    g_date_add_months (&until, n);
  else
    g_date_add_days (&until, n);

  if (g_date_compare (today, &until) < 0)
    {
      /* The date as people write it, like every other date shown */
      g_autofree char *shown = derm_date_format_display (date_iso, FALSE);
      g_autofree char *reason = g_strdup_printf (_(rule->reason), n, shown);
      return new_finding (rule->severity, rule->code, reason, details, &until);
    }
  return NULL;
}
#pragma GCC diagnostic pop

static void
evaluate_rule (const Rule    *rule,
               DermScreening *screening,
               const GDate   *today,
               GPtrArray     *findings)
{
  DermFinding *finding = rule_finding (rule, screening, today);

  if (finding != NULL)
    g_ptr_array_add (findings, finding);
}

GPtrArray *
derm_screening_evaluate (DermScreening *latest,
                         const GDate   *today)
{
  g_autoptr (GPtrArray) findings = g_ptr_array_new_with_free_func (g_object_unref);
  GDate real_today, screened, due;

  g_return_val_if_fail (latest == NULL || DERM_IS_SCREENING (latest), NULL);

  if (today == NULL)
    {
      derm_date_today (&real_today);
      today = &real_today;
    }

  if (latest == NULL)
    {
      add_finding (findings, DERM_SEVERITY_CAUTION, "no-screening",
                   _("No medical screening on record. Screen the client before treating."),
                   NULL, NULL);
      return g_steal_pointer (&findings);
    }

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    evaluate_rule (&rules[i], latest, today, findings);

  if (derm_screening_get_answer (latest, DERM_QUESTION_CONSENT) != DERM_ANSWER_YES)
    add_finding (findings, DERM_SEVERITY_CAUTION, "no-consent",
                 _("Signed consent is not recorded. Have the consent form signed before treating."),
                 NULL, NULL);
  else if (derm_screening_get_consent_problem (latest) != NULL)
    add_finding (findings, DERM_SEVERITY_CAUTION, "no-consent",
                 derm_screening_get_consent_problem (latest), NULL, NULL);

  if (derm_date_parse (derm_screening_get_date (latest), &screened))
    {
      due = screened;
      g_date_add_months (&due, thresholds.rescreen_months);
      if (g_date_compare (today, &due) >= 0)
        {
          g_autofree char *screened_text = derm_date_format_display (derm_screening_get_date (latest), FALSE);
          g_autofree char *reason =
            g_strdup_printf (ngettext ("The latest screening (%s) is more than %u month old. Re-screen before treating.",
                                       "The latest screening (%s) is more than %u months old. Re-screen before treating.",
                                       thresholds.rescreen_months),
                             screened_text, thresholds.rescreen_months);
          add_finding (findings, DERM_SEVERITY_CAUTION, "rescreen-due", reason, NULL, NULL);
        }
    }

  /* Stable: keeps table order within a severity */
  g_ptr_array_sort (findings, compare_findings);
  return g_steal_pointer (&findings);
}

const DermQuestion *
derm_screening_contraindication_questions (guint *n_questions)
{
  static DermQuestion questions[G_N_ELEMENTS (rules)];
  static gsize n = 0;

  g_return_val_if_fail (n_questions != NULL, NULL);

  if (g_once_init_enter (&n))
    {
      gsize found = 0;

      for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
        if (rules[i].severity == DERM_SEVERITY_CONTRAINDICATION)
          questions[found++] = rules[i].question;
      g_once_init_leave (&n, found);
    }
  *n_questions = (guint) n;
  return questions;
}

char *
derm_screening_do_not_treat (DermScreening *latest,
                             const GDate   *today)
{
  GDate real_today;

  g_return_val_if_fail (latest == NULL || DERM_IS_SCREENING (latest), NULL);

  /* Never screened is a caution, not a contraindication */
  if (latest == NULL)
    return NULL;

  if (today == NULL)
    {
      derm_date_today (&real_today);
      today = &real_today;
    }

  /* derm_screening_evaluate() sorts stably by severity, so its first
   * contraindication is the first one in table order. Only a "yes" can
   * contraindicate (an unanswered question is a caution): nothing else
   * is looked at and no other text is built. */
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr (DermFinding) finding = NULL;

      if (rules[i].severity != DERM_SEVERITY_CONTRAINDICATION ||
          derm_screening_get_answer (latest, rules[i].question) != DERM_ANSWER_YES)
        continue;
      finding = rule_finding (&rules[i], latest, today);
      if (finding != NULL && derm_finding_get_severity (finding) == DERM_SEVERITY_CONTRAINDICATION)
        return g_strdup (derm_finding_get_reason (finding));
    }
  return NULL;
}

int
derm_findings_worst_severity (GPtrArray *findings)
{
  int worst = -1;

  g_return_val_if_fail (findings != NULL, -1);

  for (guint i = 0; i < findings->len; i++)
    {
      int s = (int) derm_finding_get_severity (g_ptr_array_index (findings, i));
      if (worst < 0 || s < worst)
        worst = s;
    }
  return worst;
}

gboolean
derm_findings_allow_treatment (GPtrArray      *findings,
                               DermTreatment  *treatment,
                               char          **overridden,
                               GError        **error)
{
  g_autoptr (GString) codes = g_string_new (NULL);
  g_autofree char *reason = NULL;
  DermFinding *first = NULL;

  g_return_val_if_fail (findings != NULL, FALSE);
  g_return_val_if_fail (DERM_IS_TREATMENT (treatment), FALSE);

  if (overridden != NULL)
    *overridden = NULL;

  for (guint i = 0; i < findings->len; i++)
    {
      DermFinding *finding = g_ptr_array_index (findings, i);

      if (derm_finding_get_severity (finding) != DERM_SEVERITY_CONTRAINDICATION)
        continue;
      if (first == NULL)
        first = finding;
      g_string_append_printf (codes, "%s%s", codes->len > 0 ? "," : "", derm_finding_get_code (finding));
    }
  if (first == NULL)
    return TRUE;

  reason = g_strstrip (g_strdup (derm_treatment_get_override_reason (treatment)
                                   ? derm_treatment_get_override_reason (treatment) : ""));
  if (g_utf8_strlen (reason, -1) < DERM_OVERRIDE_REASON_MIN_LENGTH)
    {
      if (reason[0] == '\0')
        g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_CONTRAINDICATED,
                     _("Do not treat: %s Nothing was recorded. To record the session anyway, write why the contraindication is overridden."),
                     derm_finding_get_reason (first));
      else
        g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_CONTRAINDICATED,
                     _("Do not treat: %s Nothing was recorded. The reason for overriding must be at least %d characters: say why it is safe to treat."),
                     derm_finding_get_reason (first), DERM_OVERRIDE_REASON_MIN_LENGTH);
      return FALSE;
    }

  if (overridden != NULL)
    *overridden = g_string_free (g_steal_pointer (&codes), FALSE);
  return TRUE;
}

char *
derm_findings_caution_codes (GPtrArray *findings)
{
  GString *codes = g_string_new (NULL);

  g_return_val_if_fail (findings != NULL, NULL);

  for (guint i = 0; i < findings->len; i++)
    {
      DermFinding *finding = g_ptr_array_index (findings, i);

      if (derm_finding_get_severity (finding) == DERM_SEVERITY_CAUTION)
        g_string_append_printf (codes, "%s%s", codes->len > 0 ? "," : "", derm_finding_get_code (finding));
    }
  if (codes->len == 0)
    {
      g_string_free (codes, TRUE);
      return NULL;
    }
  return g_string_free (codes, FALSE);
}
