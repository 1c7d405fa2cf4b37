/* derm-screening.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-screening"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-screening.h"

struct _DermScreening
{
  GObject     parent_instance;

  gint64      id;
  gint64      client_id;
  char       *date;
  char       *created_at;

  DermAnswer  answers[DERM_N_QUESTIONS];
  char       *details[DERM_N_QUESTIONS];
  char       *dates[DERM_N_QUESTIONS];

  gint64      consent_form_id;   /* the signed form the consent answer points at, or 0 */
  char       *consent_problem;   /* what the consent forms lack (the store's reading), or NULL */
};

G_DEFINE_FINAL_TYPE (DermScreening, derm_screening, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CLIENT_ID,
  PROP_DATE,
  PROP_CREATED_AT,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const struct {
  const char *key;
  const char *label;
  const char *date_label;
} questions[DERM_N_QUESTIONS] = {
  [DERM_QUESTION_ACTIVE_INFECTION] = {
    "active-infection",
    N_("Active skin infection in the treatment area (e.g. cold sores, impetigo)?"),
    NULL },
  [DERM_QUESTION_OPEN_WOUNDS] = {
    "open-wounds",
    N_("Open wounds in the area?"),
    NULL },
  [DERM_QUESTION_INFLAMED_SKIN] = {
    "inflamed-skin",
    N_("Inflamed skin in the area (active acne, eczema, rosacea flare)?"),
    NULL },
  [DERM_QUESTION_KELOID_HISTORY] = {
    "keloid-history",
    N_("History of keloid or hypertrophic scarring?"),
    NULL },
  [DERM_QUESTION_DELAYED_HEALING] = {
    "delayed-healing",
    N_("Delayed or poor wound healing?"),
    NULL },
  [DERM_QUESTION_ISOTRETINOIN] = {
    "isotretinoin",
    N_("Oral isotretinoin (Roaccutane) in the past?"),
    N_("Last dose") },
  [DERM_QUESTION_TOPICAL_RETINOIDS] = {
    "topical-retinoids",
    N_("Topical retinoids (tretinoin, adapalene, retinol)?"),
    N_("Stopped on") },
  [DERM_QUESTION_ANTICOAGULANTS] = {
    "anticoagulants",
    N_("Anticoagulants or blood thinners (e.g. warfarin, daily aspirin)?"),
    NULL },
  [DERM_QUESTION_PREGNANCY] = {
    "pregnancy",
    N_("Pregnant or breastfeeding?"),
    NULL },
  [DERM_QUESTION_ALLERGIES] = {
    "allergies",
    N_("Allergies (e.g. to topical anaesthetic, lidocaine, metals)?"),
    NULL },
  [DERM_QUESTION_OTHER_MEDICATIONS] = {
    "other-medications",
    N_("Other medications?"),
    NULL },
  [DERM_QUESTION_CONSENT] = {
    "consent",
    N_("Consent form signed?"),
    N_("Signed on") },
};

const char *
derm_question_to_key (DermQuestion question)
{
  g_return_val_if_fail (question < DERM_N_QUESTIONS, NULL);

  return questions[question].key;
}

gboolean
derm_question_from_key (const char   *key,
                        DermQuestion *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (key == NULL)
    return FALSE;

  for (guint i = 0; i < DERM_N_QUESTIONS; i++)
    {
      if (g_ascii_strcasecmp (key, questions[i].key) == 0)
        {
          *out = (DermQuestion) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
derm_question_to_label (DermQuestion question)
{
  g_return_val_if_fail (question < DERM_N_QUESTIONS, NULL);

  return _(questions[question].label);
}

gboolean
derm_question_has_date (DermQuestion question)
{
  g_return_val_if_fail (question < DERM_N_QUESTIONS, FALSE);

  return questions[question].date_label != NULL;
}

const char *
derm_question_date_label (DermQuestion question)
{
  g_return_val_if_fail (question < DERM_N_QUESTIONS, NULL);

  if (questions[question].date_label == NULL)
    return NULL;

  return _(questions[question].date_label);
}

/* Empty strings are stored as NULL; TRUE when the value changed */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

static void
derm_screening_finalize (GObject *object)
{
  DermScreening *self = (DermScreening *)object;

  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->created_at, g_free);
  g_clear_pointer (&self->consent_problem, g_free);

  for (guint i = 0; i < DERM_N_QUESTIONS; i++)
    {
      g_clear_pointer (&self->details[i], g_free);
      g_clear_pointer (&self->dates[i], g_free);
    }

  G_OBJECT_CLASS (derm_screening_parent_class)->finalize (object);
}

static void
derm_screening_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DermScreening *self = DERM_SCREENING (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_CLIENT_ID:
      g_value_set_int64 (value, self->client_id);
      break;

    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;

    case PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_screening_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DermScreening *self = DERM_SCREENING (object);

  switch (prop_id)
    {
    case PROP_ID:
      derm_screening_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_CLIENT_ID:
      derm_screening_set_client_id (self, g_value_get_int64 (value));
      break;

    case PROP_DATE:
      derm_screening_set_date (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      derm_screening_set_created_at (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_screening_class_init (DermScreeningClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_screening_finalize;
  object_class->get_property = derm_screening_get_property;
  object_class->set_property = derm_screening_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_CLIENT_ID] =
    g_param_spec_int64 ("client-id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_DATE] =
    g_param_spec_string ("date", NULL, NULL, NULL, rw);
  properties[PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermScreening::changed:
   *
   * Emitted after an answer, its details or its date changed, so a form
   * or the rules view can re-check the screening.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
derm_screening_init (DermScreening *self)
{
  for (guint i = 0; i < DERM_N_QUESTIONS; i++)
    self->answers[i] = DERM_ANSWER_UNKNOWN;
}

DermScreening *
derm_screening_new (void)
{
  return g_object_new (DERM_TYPE_SCREENING, NULL);
}

/**
 * derm_screening_copy:
 * @self: a #DermScreening
 *
 * Returns: (transfer full): a new screening with every field and answer
 *   of @self, including its id
 */
DermScreening *
derm_screening_copy (DermScreening *self)
{
  DermScreening *copy;

  g_return_val_if_fail (DERM_IS_SCREENING (self), NULL);

  copy = derm_screening_new ();
  copy->id = self->id;
  copy->client_id = self->client_id;
  copy->date = g_strdup (self->date);
  copy->created_at = g_strdup (self->created_at);
  copy->consent_form_id = self->consent_form_id;
  copy->consent_problem = g_strdup (self->consent_problem);

  for (guint i = 0; i < DERM_N_QUESTIONS; i++)
    {
      copy->answers[i] = self->answers[i];
      copy->details[i] = g_strdup (self->details[i]);
      copy->dates[i] = g_strdup (self->dates[i]);
    }

  return copy;
}

gint64
derm_screening_get_id (DermScreening *self)
{
  g_return_val_if_fail (DERM_IS_SCREENING (self), 0);

  return self->id;
}

void
derm_screening_set_id (DermScreening *self,
                       gint64         id)
{
  g_return_if_fail (DERM_IS_SCREENING (self));
  g_return_if_fail (id >= 0);

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

gint64
derm_screening_get_client_id (DermScreening *self)
{
  g_return_val_if_fail (DERM_IS_SCREENING (self), 0);

  return self->client_id;
}

void
derm_screening_set_client_id (DermScreening *self,
                              gint64         client_id)
{
  g_return_if_fail (DERM_IS_SCREENING (self));
  g_return_if_fail (client_id >= 0);

  if (self->client_id != client_id)
    {
      self->client_id = client_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_ID]);
    }
}

const char *
derm_screening_get_date (DermScreening *self)
{
  g_return_val_if_fail (DERM_IS_SCREENING (self), NULL);

  return self->date;
}

void
derm_screening_set_date (DermScreening *self,
                         const char    *date)
{
  g_return_if_fail (DERM_IS_SCREENING (self));

  if (set_string (&self->date, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

const char *
derm_screening_get_created_at (DermScreening *self)
{
  g_return_val_if_fail (DERM_IS_SCREENING (self), NULL);

  return self->created_at;
}

void
derm_screening_set_created_at (DermScreening *self,
                               const char    *timestamp)
{
  g_return_if_fail (DERM_IS_SCREENING (self));

  if (set_string (&self->created_at, timestamp))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

DermAnswer
derm_screening_get_answer (DermScreening *self,
                           DermQuestion   question)
{
  g_return_val_if_fail (DERM_IS_SCREENING (self), DERM_ANSWER_UNKNOWN);
  g_return_val_if_fail (question < DERM_N_QUESTIONS, DERM_ANSWER_UNKNOWN);

  return self->answers[question];
}

void
derm_screening_set_answer (DermScreening *self,
                           DermQuestion   question,
                           DermAnswer     answer)
{
  g_return_if_fail (DERM_IS_SCREENING (self));
  g_return_if_fail (question < DERM_N_QUESTIONS);
  g_return_if_fail (answer == DERM_ANSWER_UNKNOWN ||
                    answer == DERM_ANSWER_NO ||
                    answer == DERM_ANSWER_YES);

  if (self->answers[question] != answer)
    {
      self->answers[question] = answer;
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

const char *
derm_screening_get_details (DermScreening *self,
                            DermQuestion   question)
{
  g_return_val_if_fail (DERM_IS_SCREENING (self), NULL);
  g_return_val_if_fail (question < DERM_N_QUESTIONS, NULL);

  return self->details[question];
}

void
derm_screening_set_details (DermScreening *self,
                            DermQuestion   question,
                            const char    *details)
{
  g_return_if_fail (DERM_IS_SCREENING (self));
  g_return_if_fail (question < DERM_N_QUESTIONS);

  if (set_string (&self->details[question], details))
    g_signal_emit (self, signals[CHANGED], 0);
}

const char *
derm_screening_get_date_for (DermScreening *self,
                             DermQuestion   question)
{
  g_return_val_if_fail (DERM_IS_SCREENING (self), NULL);
  g_return_val_if_fail (question < DERM_N_QUESTIONS, NULL);

  return self->dates[question];
}

/**
 * derm_screening_set_date_for:
 * @self: a #DermScreening
 * @question: a question for which derm_question_has_date() is %TRUE
 * @date: (nullable): an ISO date, or %NULL to clear it
 *
 * Clearing is allowed for any question, so callers can reset every
 * question in a loop.
 */
void
derm_screening_set_date_for (DermScreening *self,
                             DermQuestion   question,
                             const char    *date)
{
  g_return_if_fail (DERM_IS_SCREENING (self));
  g_return_if_fail (question < DERM_N_QUESTIONS);
  g_return_if_fail (date == NULL || date[0] == '\0' ||
                    derm_question_has_date (question));

  if (set_string (&self->dates[question], date))
    g_signal_emit (self, signals[CHANGED], 0);
}

gint64
derm_screening_get_consent_form_id (DermScreening *self)
{
  g_return_val_if_fail (DERM_IS_SCREENING (self), 0);
  return self->consent_form_id;
}

void
derm_screening_set_consent_form_id (DermScreening *self,
                                    gint64         form_id)
{
  g_return_if_fail (DERM_IS_SCREENING (self));
  self->consent_form_id = form_id;
}

const char *
derm_screening_get_consent_problem (DermScreening *self)
{
  g_return_val_if_fail (DERM_IS_SCREENING (self), NULL);
  return self->consent_problem;
}

void
derm_screening_set_consent_problem (DermScreening *self,
                                    const char    *problem)
{
  g_return_if_fail (DERM_IS_SCREENING (self));
  g_free (self->consent_problem);
  self->consent_problem = problem != NULL && *problem != '\0' ? g_strdup (problem) : NULL;
}
