/* test-domain.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The domain objects on their own: properties, copies, vocabularies,
 * search folding and needle depths. No store, no files.
 */

#define G_LOG_DOMAIN "test-domain"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib-object.h>

#include "derm-client.h"
#include "derm-enums.h"
#include "derm-finding.h"
#include "derm-screening.h"
#include "derm-treatment.h"
#include "derm-validate.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
count_signal (gpointer  instance,
              gpointer  user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_client_notify_real_change (void)
{
  g_autoptr(DermClient) client = derm_client_new ();
  guint name_count = 0;
  guint key_count = 0;
  guint fitz_count = 0;
  guint concerns_count = 0;
  guint archived_count = 0;
  guint notes_count = 0;

  g_signal_connect (client, "notify::name", G_CALLBACK (count_notify), &name_count);
  g_signal_connect (client, "notify::search-key", G_CALLBACK (count_notify), &key_count);
  g_signal_connect (client, "notify::fitzpatrick", G_CALLBACK (count_notify), &fitz_count);
  g_signal_connect (client, "notify::concerns", G_CALLBACK (count_notify), &concerns_count);
  g_signal_connect (client, "notify::archived", G_CALLBACK (count_notify), &archived_count);
  g_signal_connect (client, "notify::notes", G_CALLBACK (count_notify), &notes_count);

  derm_client_set_name (client, "Anna Berg");
  g_assert_cmpuint (name_count, ==, 1);
  g_assert_cmpuint (key_count, ==, 1);
  derm_client_set_name (client, "Anna Berg");
  g_assert_cmpuint (name_count, ==, 1);
  g_assert_cmpuint (key_count, ==, 1);

  /* Through g_object_set too: EXPLICIT_NOTIFY means no spurious notify */
  g_object_set (client, "name", "Anna Berg", NULL);
  g_assert_cmpuint (name_count, ==, 1);
  g_object_set (client, "name", "Anna Lind", NULL);
  g_assert_cmpuint (name_count, ==, 2);
  g_assert_cmpuint (key_count, ==, 2);
  g_assert_cmpstr (derm_client_get_search_key (client), ==, "anna lind");

  /* Notes are not part of the search key */
  derm_client_set_notes (client, "Prefers mornings");
  derm_client_set_notes (client, "Prefers mornings");
  g_assert_cmpuint (notes_count, ==, 1);
  g_assert_cmpuint (key_count, ==, 2);

  derm_client_set_phone (client, "555 0100");
  g_assert_cmpuint (key_count, ==, 3);

  derm_client_set_fitzpatrick (client, 3);
  derm_client_set_fitzpatrick (client, 3);
  g_assert_cmpuint (fitz_count, ==, 1);

  derm_client_set_concerns (client, DERM_CONCERN_PORES | DERM_CONCERN_REDNESS);
  derm_client_set_concerns (client, DERM_CONCERN_REDNESS | DERM_CONCERN_PORES);
  g_assert_cmpuint (concerns_count, ==, 1);

  derm_client_set_archived (client, TRUE);
  derm_client_set_archived (client, 42);
  g_assert_cmpuint (archived_count, ==, 1);
  g_assert_true (derm_client_get_archived (client));
}

static void
test_client_empty_is_null (void)
{
  g_autoptr(DermClient) client = derm_client_new ();
  g_autofree char *email = NULL;
  guint count = 0;

  g_signal_connect (client, "notify::email", G_CALLBACK (count_notify), &count);

  derm_client_set_email (client, "");
  g_assert_null (derm_client_get_email (client));
  g_assert_cmpuint (count, ==, 0);

  derm_client_set_email (client, "a@example.org");
  g_assert_cmpuint (count, ==, 1);
  derm_client_set_email (client, "");
  g_assert_null (derm_client_get_email (client));
  g_assert_cmpuint (count, ==, 2);
  derm_client_set_email (client, NULL);
  g_assert_cmpuint (count, ==, 2);

  derm_client_set_goals (client, "");
  derm_client_set_date_of_birth (client, "");
  derm_client_set_last_visit (client, "");
  g_assert_null (derm_client_get_goals (client));
  g_assert_null (derm_client_get_date_of_birth (client));
  g_assert_null (derm_client_get_last_visit (client));

  g_object_get (client, "email", &email, NULL);
  g_assert_null (email);
  g_assert_cmpstr (derm_client_get_search_key (client), ==, "");
}

static void
test_client_copy (void)
{
  g_autoptr(DermClient) client = derm_client_new ();
  g_autoptr(DermClient) copy = NULL;
  GParamSpec **pspecs;
  guint n_pspecs;

  derm_client_set_id (client, 17);
  derm_client_set_name (client, "Zoë Müller");
  derm_client_set_date_of_birth (client, "1985-03-14");
  derm_client_set_phone (client, "06 12 34 56 78");
  derm_client_set_email (client, "zoe@example.org");
  derm_client_set_fitzpatrick (client, 4);
  derm_client_set_concerns (client, DERM_CONCERN_ACNE_SCARS | DERM_CONCERN_DULLNESS);
  derm_client_set_goals (client, "Smoother cheeks");
  derm_client_set_notes (client, "Sensitive to cold");
  derm_client_set_archived (client, TRUE);
  derm_client_set_created_at (client, "2024-01-02T10:00:00Z");
  derm_client_set_updated_at (client, "2024-02-03T11:00:00Z");
  derm_client_set_last_visit (client, "2024-02-03");
  derm_client_set_do_not_treat (client, "Active skin infection");

  copy = derm_client_copy (client);
  g_assert_true (copy != client);

  /* Every property, so a field added later cannot be forgotten in copy */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (client), &n_pspecs);
  g_assert_cmpuint (n_pspecs, ==, 15);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) a = G_VALUE_INIT;
      g_auto(GValue) b = G_VALUE_INIT;

      g_value_init (&a, pspecs[i]->value_type);
      g_value_init (&b, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (client), pspecs[i]->name, &a);
      g_object_get_property (G_OBJECT (copy), pspecs[i]->name, &b);

      if (g_param_values_cmp (pspecs[i], &a, &b) != 0)
        g_error ("copy differs in %s", pspecs[i]->name);

      /* and nothing was left at its default */
      if (g_param_value_defaults (pspecs[i], &a))
        g_error ("test leaves %s at its default", pspecs[i]->name);
    }
  g_free (pspecs);

  /* The copy is independent */
  derm_client_set_name (copy, "Someone Else");
  g_assert_cmpstr (derm_client_get_name (client), ==, "Zoë Müller");
  g_assert_true (derm_client_matches (client, "muller"));
  g_assert_false (derm_client_matches (copy, "muller"));
  g_assert_true (derm_client_matches (copy, "someone"));
}

static void
test_concerns_round_trip (void)
{
  DermConcerns concerns = DERM_CONCERN_NONE;
  g_autofree char *bad = NULL;

  for (guint mask = 0; mask <= DERM_CONCERN_ALL; mask++)
    {
      g_autofree char *text = derm_concerns_to_string ((DermConcerns) mask);
      g_autofree char *no_bad = NULL;

      g_assert_true (derm_concerns_from_string (text, &concerns, &no_bad));
      g_assert_null (no_bad);
      g_assert_cmpuint (concerns, ==, mask);
    }

  for (guint i = 0; i < DERM_N_CONCERNS; i++)
    {
      DermConcerns concern = derm_concern_nth (i);
      const char *key = derm_concern_to_key (concern);

      g_assert_nonnull (key);
      g_assert_nonnull (derm_concern_to_label (concern));
      g_assert_cmpuint (derm_concern_from_key (key), ==, concern);
    }
  g_assert_cmpuint (derm_concern_nth (0), ==, DERM_CONCERN_TEXTURE);
  g_assert_cmpuint (derm_concern_nth (6), ==, DERM_CONCERN_DULLNESS);
  g_assert_cmpstr (derm_concern_to_label (DERM_CONCERN_PORES), ==, "Enlarged pores");
  g_assert_null (derm_concern_to_key (DERM_CONCERN_PORES | DERM_CONCERN_REDNESS));

  {
    g_autofree char *text = derm_concerns_to_string (DERM_CONCERN_TEXTURE | DERM_CONCERN_ACNE_SCARS);
    g_autofree char *none = derm_concerns_to_string (DERM_CONCERN_NONE);

    g_assert_cmpstr (text, ==, "texture,acne-scars");
    g_assert_cmpstr (none, ==, "");
  }

  g_assert_true (derm_concerns_from_string ("  redness ,  fine-lines ", &concerns, NULL));
  g_assert_cmpuint (concerns, ==, DERM_CONCERN_REDNESS | DERM_CONCERN_FINE_LINES);
  g_assert_true (derm_concerns_from_string ("", &concerns, NULL));
  g_assert_cmpuint (concerns, ==, DERM_CONCERN_NONE);

  g_assert_false (derm_concerns_from_string ("texture, wrinkles ,pores", &concerns, &bad));
  g_assert_cmpstr (bad, ==, "wrinkles");
  g_assert_cmpuint (derm_concern_from_key ("wrinkles"), ==, DERM_CONCERN_NONE);

  /* The registered flags type agrees with the keys */
  {
    g_autoptr(GFlagsClass) klass = g_type_class_ref (DERM_TYPE_CONCERNS);
    GFlagsValue *value = g_flags_get_value_by_nick (klass, "acne-scars");

    g_assert_nonnull (value);
    g_assert_cmpuint (value->value, ==, DERM_CONCERN_ACNE_SCARS);
  }
}

static void
test_answers (void)
{
  DermAnswer answer = DERM_ANSWER_UNKNOWN;
  const DermAnswer all[] = { DERM_ANSWER_UNKNOWN, DERM_ANSWER_NO, DERM_ANSWER_YES };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_assert_true (derm_answer_from_key (derm_answer_to_key (all[i]), &answer));
      g_assert_cmpint (answer, ==, all[i]);
      g_assert_nonnull (derm_answer_to_label (all[i]));
    }
  g_assert_cmpstr (derm_answer_to_key (DERM_ANSWER_YES), ==, "yes");
  g_assert_false (derm_answer_from_key ("maybe", &answer));
  g_assert_false (derm_answer_from_key (NULL, &answer));
}

static void
test_fitzpatrick (void)
{
  const char *romans[] = { "I", "II", "III", "IV", "V", "VI" };
  const char *bad[] = { "", "0", "7", "VII", "IIII", "iv x", "3.0", "three", NULL };
  guint type = 0;

  g_assert_cmpstr (derm_fitzpatrick_to_roman (DERM_FITZPATRICK_UNSET), ==, "");

  for (guint i = 1; i <= DERM_FITZPATRICK_MAX; i++)
    {
      g_autofree char *lower = g_ascii_strdown (romans[i - 1], -1);
      char digit[2] = { (char) ('0' + i), '\0' };

      g_assert_cmpstr (derm_fitzpatrick_to_roman (i), ==, romans[i - 1]);

      type = 0;
      g_assert_true (derm_fitzpatrick_from_string (romans[i - 1], &type));
      g_assert_cmpuint (type, ==, i);
      type = 0;
      g_assert_true (derm_fitzpatrick_from_string (lower, &type));
      g_assert_cmpuint (type, ==, i);
      type = 0;
      g_assert_true (derm_fitzpatrick_from_string (digit, &type));
      g_assert_cmpuint (type, ==, i);
    }

  g_assert_true (derm_fitzpatrick_from_string (" iv ", &type));
  g_assert_cmpuint (type, ==, 4);

  for (guint i = 0; bad[i] != NULL; i++)
    {
      if (derm_fitzpatrick_from_string (bad[i], &type))
        g_error ("“%s” parsed as Fitzpatrick type %u", bad[i], type);
    }
  g_assert_false (derm_fitzpatrick_from_string (NULL, &type));
}

static void
test_zone_suggestions (void)
{
  const char * const *zones = derm_zone_suggestions ();

  g_assert_nonnull (zones);
  g_assert_true (g_strv_contains (zones, "forehead"));
  g_assert_true (g_strv_contains (zones, "left cheek"));
  for (guint i = 0; zones[i] != NULL; i++)
    {
      g_autofree char *lower = g_utf8_strdown (zones[i], -1);

      g_assert_true (g_utf8_validate (zones[i], -1, NULL));
      g_assert_cmpstr (zones[i], ==, lower);
    }
}

static gboolean
client_matches_query (DermClient *client,
                      const char *query)
{
  g_autofree char *folded = derm_fold_for_search (query);

  return derm_client_matches (client, folded);
}

static void
test_client_search_accents (void)
{
  g_autoptr(DermClient) client = derm_client_new ();
  g_autofree char *folded = derm_fold_for_search ("Zoë Müller");
  g_autofree char *sharp = derm_fold_for_search ("Straße");

  g_assert_cmpstr (folded, ==, "zoe muller");
  g_assert_cmpstr (sharp, ==, "strasse");

  /* Letters with no decomposition fold as typed without them */
  {
    g_autofree char *nordic = derm_fold_for_search ("Søren Ødegård, Æsa");
    g_autofree char *slavic = derm_fold_for_search ("Łukasz Đorđević");

    g_assert_cmpstr (nordic, ==, "soren odegard, aesa");
    g_assert_cmpstr (slavic, ==, "lukasz dordevic");
  }

  derm_client_set_name (client, "Zoë Müller");
  derm_client_set_email (client, "zoe.m@example.org");

  g_assert_true (client_matches_query (client, "zoe mull"));
  g_assert_true (client_matches_query (client, "ZOË"));
  g_assert_true (client_matches_query (client, "müller"));
  g_assert_true (client_matches_query (client, "MULLER zoe"));
  g_assert_true (client_matches_query (client, "example.org"));
  g_assert_false (client_matches_query (client, "zoe smith"));
  g_assert_false (client_matches_query (client, "zoa"));
}

static void
test_client_search_phone (void)
{
  g_autoptr(DermClient) client = derm_client_new ();

  derm_client_set_name (client, "Camille Durand");
  derm_client_set_phone (client, "06 12 34 56 78");

  g_assert_true (client_matches_query (client, "061234"));
  g_assert_true (client_matches_query (client, "0612345678"));
  g_assert_true (client_matches_query (client, "06 12"));
  g_assert_true (client_matches_query (client, "34 56"));
  g_assert_true (client_matches_query (client, "camille 5678"));
  g_assert_false (client_matches_query (client, "0699"));

  /* Changing the phone rebuilds the key */
  derm_client_set_phone (client, "+33 7 00 00 00 00");
  g_assert_false (client_matches_query (client, "061234"));
  g_assert_true (client_matches_query (client, "3370000"));

  derm_client_set_phone (client, NULL);
  g_assert_cmpstr (derm_client_get_search_key (client), ==, "camille durand");
}

static void
test_client_matches_words (void)
{
  g_autoptr(DermClient) client = derm_client_new ();

  derm_client_set_name (client, "Anna Maria Berg");

  g_assert_true (derm_client_matches (client, ""));
  g_assert_true (derm_client_matches (client, "   "));
  g_assert_true (derm_client_matches (client, NULL));
  g_assert_true (derm_client_matches (client, "berg anna"));
  g_assert_true (derm_client_matches (client, "  an   ri  erg "));
  g_assert_true (derm_client_matches (client, "a\tm"));
  g_assert_false (derm_client_matches (client, "anna lind"));
  g_assert_false (derm_client_matches (client, "annamaria"));
  /* Words are matched within the key, not across the whole query */
  g_assert_false (derm_client_matches (client, "anna maria berg x"));
}

static void
test_screening_question_keys (void)
{
  guint n_dated = 0;

  for (guint i = 0; i < DERM_N_QUESTIONS; i++)
    {
      const char *key = derm_question_to_key ((DermQuestion) i);
      DermQuestion question = DERM_N_QUESTIONS;
      g_autofree char *upper = NULL;

      g_assert_nonnull (key);
      g_assert_true (derm_question_from_key (key, &question));
      g_assert_cmpuint (question, ==, i);

      upper = g_ascii_strup (key, -1);
      question = DERM_N_QUESTIONS;
      g_assert_true (derm_question_from_key (upper, &question));
      g_assert_cmpuint (question, ==, i);

      g_assert_nonnull (derm_question_to_label ((DermQuestion) i));

      /* Keys are unique */
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (key, !=, derm_question_to_key ((DermQuestion) j));

      if (derm_question_has_date ((DermQuestion) i))
        {
          n_dated++;
          g_assert_nonnull (derm_question_date_label ((DermQuestion) i));
        }
      else
        {
          g_assert_null (derm_question_date_label ((DermQuestion) i));
        }
    }

  g_assert_cmpuint (n_dated, ==, 3);
  g_assert_true (derm_question_has_date (DERM_QUESTION_ISOTRETINOIN));
  g_assert_true (derm_question_has_date (DERM_QUESTION_TOPICAL_RETINOIDS));
  g_assert_true (derm_question_has_date (DERM_QUESTION_CONSENT));
  g_assert_cmpstr (derm_question_to_key (DERM_QUESTION_ACTIVE_INFECTION), ==, "active-infection");
  g_assert_cmpstr (derm_question_to_key (DERM_QUESTION_CONSENT), ==, "consent");
  g_assert_cmpstr (derm_question_date_label (DERM_QUESTION_ISOTRETINOIN), ==, "Last dose");

  {
    DermQuestion question = DERM_QUESTION_CONSENT;

    g_assert_false (derm_question_from_key ("smoking", &question));
    g_assert_false (derm_question_from_key (NULL, &question));
    g_assert_cmpuint (question, ==, DERM_QUESTION_CONSENT);
  }
}

static void
test_screening_answers (void)
{
  g_autoptr(DermScreening) screening = derm_screening_new ();
  g_autoptr(DermScreening) copy = NULL;
  guint changed = 0;
  guint date_count = 0;

  g_signal_connect (screening, "changed", G_CALLBACK (count_signal), &changed);
  g_signal_connect (screening, "notify::date", G_CALLBACK (count_notify), &date_count);

  for (guint i = 0; i < DERM_N_QUESTIONS; i++)
    {
      g_assert_cmpint (derm_screening_get_answer (screening, (DermQuestion) i), ==, DERM_ANSWER_UNKNOWN);
      g_assert_null (derm_screening_get_details (screening, (DermQuestion) i));
      g_assert_null (derm_screening_get_date_for (screening, (DermQuestion) i));
    }

  derm_screening_set_answer (screening, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES);
  derm_screening_set_answer (screening, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES);
  g_assert_cmpuint (changed, ==, 1);
  derm_screening_set_date_for (screening, DERM_QUESTION_ISOTRETINOIN, "2024-01-10");
  derm_screening_set_date_for (screening, DERM_QUESTION_ISOTRETINOIN, "2024-01-10");
  g_assert_cmpuint (changed, ==, 2);
  derm_screening_set_details (screening, DERM_QUESTION_ALLERGIES, "lidocaine");
  g_assert_cmpuint (changed, ==, 3);
  derm_screening_set_details (screening, DERM_QUESTION_OPEN_WOUNDS, "");
  g_assert_null (derm_screening_get_details (screening, DERM_QUESTION_OPEN_WOUNDS));
  g_assert_cmpuint (changed, ==, 3);
  /* Clearing a date is allowed on any question */
  derm_screening_set_date_for (screening, DERM_QUESTION_PREGNANCY, NULL);
  g_assert_cmpuint (changed, ==, 3);

  derm_screening_set_date (screening, "2024-03-01");
  derm_screening_set_date (screening, "2024-03-01");
  g_assert_cmpuint (date_count, ==, 1);
  derm_screening_set_id (screening, 5);
  derm_screening_set_client_id (screening, 9);
  derm_screening_set_created_at (screening, "2024-03-01T09:00:00Z");

  copy = derm_screening_copy (screening);
  g_assert_cmpint (derm_screening_get_id (copy), ==, 5);
  g_assert_cmpint (derm_screening_get_client_id (copy), ==, 9);
  g_assert_cmpstr (derm_screening_get_date (copy), ==, "2024-03-01");
  g_assert_cmpstr (derm_screening_get_created_at (copy), ==, "2024-03-01T09:00:00Z");
  for (guint i = 0; i < DERM_N_QUESTIONS; i++)
    {
      DermQuestion q = (DermQuestion) i;

      g_assert_cmpint (derm_screening_get_answer (copy, q), ==, derm_screening_get_answer (screening, q));
      g_assert_cmpstr (derm_screening_get_details (copy, q), ==, derm_screening_get_details (screening, q));
      g_assert_cmpstr (derm_screening_get_date_for (copy, q), ==, derm_screening_get_date_for (screening, q));
    }
  g_assert_cmpint (derm_screening_get_answer (copy, DERM_QUESTION_ISOTRETINOIN), ==, DERM_ANSWER_YES);
  g_assert_cmpstr (derm_screening_get_details (copy, DERM_QUESTION_ALLERGIES), ==, "lidocaine");

  derm_screening_set_answer (copy, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_NO);
  g_assert_cmpint (derm_screening_get_answer (screening, DERM_QUESTION_ISOTRETINOIN), ==, DERM_ANSWER_YES);
  g_assert_cmpuint (changed, ==, 3);
}

static void
assert_depth (DermTreatment *treatment,
              guint          index,
              const char    *zone,
              double         mm)
{
  g_assert_cmpstr (derm_treatment_get_depth_zone (treatment, index), ==, zone);
  g_assert_cmpfloat_with_epsilon (derm_treatment_get_depth_mm (treatment, index), mm, 1e-9);
}

static void
test_treatment_depths (void)
{
  g_autoptr(DermTreatment) treatment = derm_treatment_new ();
  g_autoptr(DermTreatment) copy = NULL;
  g_autofree char *text = NULL;
  g_autofree char *empty = NULL;
  guint changed = 0;

  g_signal_connect (treatment, "depths-changed", G_CALLBACK (count_signal), &changed);

  empty = derm_treatment_format_depths (treatment);
  g_assert_cmpstr (empty, ==, "");

  derm_treatment_set_depth (treatment, "forehead", 0.5);
  derm_treatment_set_depth (treatment, "left cheek", 1.5);
  derm_treatment_set_depth (treatment, "chin", 2.25);
  g_assert_cmpuint (derm_treatment_get_n_depths (treatment), ==, 3);
  g_assert_cmpuint (changed, ==, 3);

  /* Replacing keeps the position; zones compare case-insensitively */
  derm_treatment_set_depth (treatment, "Left Cheek", 1.0);
  g_assert_cmpuint (derm_treatment_get_n_depths (treatment), ==, 3);
  assert_depth (treatment, 1, "Left Cheek", 1.0);
  g_assert_cmpuint (changed, ==, 4);
  derm_treatment_set_depth (treatment, "Left Cheek", 1.0);
  g_assert_cmpuint (changed, ==, 4);

  text = derm_treatment_format_depths (treatment);
  g_assert_cmpstr (text, ==, "forehead 0.5 mm, Left Cheek 1 mm, chin 2.25 mm");

  copy = derm_treatment_copy (treatment);

  g_assert_true (derm_treatment_remove_depth (treatment, "LEFT CHEEK"));
  g_assert_false (derm_treatment_remove_depth (treatment, "left cheek"));
  g_assert_cmpuint (derm_treatment_get_n_depths (treatment), ==, 2);
  assert_depth (treatment, 0, "forehead", 0.5);
  assert_depth (treatment, 1, "chin", 2.25);

  /* The copy kept its own depths */
  g_assert_cmpuint (derm_treatment_get_n_depths (copy), ==, 3);
  assert_depth (copy, 1, "Left Cheek", 1.0);

  derm_treatment_clear_depths (treatment);
  g_assert_cmpuint (derm_treatment_get_n_depths (treatment), ==, 0);
  g_assert_cmpuint (changed, ==, 6);
}

static void
test_treatment_parse_depths_good (void)
{
  g_autoptr(DermTreatment) treatment = derm_treatment_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  derm_treatment_set_depth (treatment, "neck", 0.25);

  g_assert_true (derm_treatment_parse_depths (treatment, "forehead=0.5, left cheek = 1.5 ,chin:2.25mm,", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (derm_treatment_get_n_depths (treatment), ==, 3);
  assert_depth (treatment, 0, "forehead", 0.5);
  assert_depth (treatment, 1, "left cheek", 1.5);
  assert_depth (treatment, 2, "chin", 2.25);

  text = derm_treatment_format_depths (treatment);
  g_assert_cmpstr (text, ==, "forehead 0.5 mm, left cheek 1.5 mm, chin 2.25 mm");

  g_assert_true (derm_treatment_parse_depths (treatment, "", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (derm_treatment_get_n_depths (treatment), ==, 0);

  g_assert_true (derm_treatment_parse_depths (treatment, "décolleté=0.3", &error));
  g_assert_no_error (error);
  assert_depth (treatment, 0, "décolleté", 0.3);
}

static void
test_treatment_parse_depths_bad (void)
{
  static const struct {
    const char *text;
    int         code;
    const char *mentions;
  } cases[] = {
    { "forehead=abc",             DERM_VALIDATION_ERROR_INVALID,      "abc" },
    { "=1.0",                     DERM_VALIDATION_ERROR_INVALID,      "zone" },
    { "  : 1.0",                  DERM_VALIDATION_ERROR_INVALID,      "zone" },
    { "forehead=5",               DERM_VALIDATION_ERROR_OUT_OF_RANGE, "forehead" },
    { "forehead=0",               DERM_VALIDATION_ERROR_OUT_OF_RANGE, "forehead" },
    { "forehead=-1",              DERM_VALIDATION_ERROR_OUT_OF_RANGE, "forehead" },
    { "forehead=nan",             DERM_VALIDATION_ERROR_INVALID,      "nan" },
    { "forehead=inf",             DERM_VALIDATION_ERROR_INVALID,      "inf" },
    { "forehead=0x1",             DERM_VALIDATION_ERROR_INVALID,      "0x1" },
    { "forehead=1e0",             DERM_VALIDATION_ERROR_INVALID,      "1e0" },
    { "forehead=0.5x",            DERM_VALIDATION_ERROR_INVALID,      "0.5x" },
    { "forehead=",                DERM_VALIDATION_ERROR_INVALID,      "forehead" },
    { "forehead 0.5",             DERM_VALIDATION_ERROR_INVALID,      "forehead 0.5" },
    { "chin=1, Chin=1.5",         DERM_VALIDATION_ERROR_INVALID,      "Chin" },
    { "chin=1, nose=1,5",         DERM_VALIDATION_ERROR_INVALID,      "5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DermTreatment) treatment = derm_treatment_new ();
      g_autoptr(GError) error = NULL;

      derm_treatment_set_depth (treatment, "neck", 0.25);

      if (derm_treatment_parse_depths (treatment, cases[i].text, &error))
        g_error ("“%s” parsed", cases[i].text);

      g_assert_error (error, DERM_VALIDATION_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].mentions) == NULL)
        g_error ("error for “%s” does not mention “%s”: %s",
                 cases[i].text, cases[i].mentions, error->message);

      /* A failed parse leaves the depths alone */
      g_assert_cmpuint (derm_treatment_get_n_depths (treatment), ==, 1);
      assert_depth (treatment, 0, "neck", 0.25);
    }
}

static void
test_treatment_properties (void)
{
  g_autoptr(DermTreatment) treatment = derm_treatment_new ();
  g_autoptr(DermTreatment) copy = NULL;
  GParamSpec **pspecs;
  guint n_pspecs;
  guint count = 0;

  g_signal_connect (treatment, "notify::practitioner", G_CALLBACK (count_notify), &count);
  derm_treatment_set_practitioner (treatment, "Dr Lee");
  derm_treatment_set_practitioner (treatment, "Dr Lee");
  g_assert_cmpuint (count, ==, 1);
  derm_treatment_set_device (treatment, "");
  g_assert_null (derm_treatment_get_device (treatment));

  derm_treatment_set_id (treatment, 3);
  derm_treatment_set_client_id (treatment, 8);
  derm_treatment_set_date (treatment, "2024-04-01");
  derm_treatment_set_areas (treatment, "full face, neck");
  derm_treatment_set_device (treatment, "Pen A6");
  derm_treatment_set_cartridge_lot (treatment, "LOT-42");
  derm_treatment_set_passes (treatment, 3);
  derm_treatment_set_topical (treatment, "hyaluronic serum");
  derm_treatment_set_anaesthetic (treatment, "lidocaine 5%");
  derm_treatment_set_immediate_response (treatment, "mild erythema");
  derm_treatment_set_aftercare_given (treatment, TRUE);
  derm_treatment_set_notes (treatment, "Tolerated well");
  derm_treatment_set_override_reason (treatment, "Infection cleared, GP letter seen");
  derm_treatment_set_cautions_acknowledged (treatment, "anticoagulants,allergies");
  derm_treatment_set_created_at (treatment, "2024-04-01T10:00:00Z");
  derm_treatment_set_updated_at (treatment, "2024-04-01T11:00:00Z");

  copy = derm_treatment_copy (treatment);
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (treatment), &n_pspecs);
  g_assert_cmpuint (n_pspecs, ==, 17);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) a = G_VALUE_INIT;
      g_auto(GValue) b = G_VALUE_INIT;

      g_value_init (&a, pspecs[i]->value_type);
      g_value_init (&b, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (treatment), pspecs[i]->name, &a);
      g_object_get_property (G_OBJECT (copy), pspecs[i]->name, &b);

      if (g_param_values_cmp (pspecs[i], &a, &b) != 0)
        g_error ("copy differs in %s", pspecs[i]->name);
      if (g_param_value_defaults (pspecs[i], &a))
        g_error ("test leaves %s at its default", pspecs[i]->name);
    }
  g_free (pspecs);
}

static void
test_finding (void)
{
  g_autoptr(DermFinding) finding = NULL;
  g_autoptr(DermFinding) lasting = NULL;

  finding = derm_finding_new (DERM_SEVERITY_CAUTION, "isotretinoin-recent",
                              "Isotretinoin was taken less than 6 months ago.",
                              "2024-07-10");
  g_assert_cmpint (derm_finding_get_severity (finding), ==, DERM_SEVERITY_CAUTION);
  g_assert_cmpstr (derm_finding_get_code (finding), ==, "isotretinoin-recent");
  g_assert_cmpstr (derm_finding_get_reason (finding), ==, "Isotretinoin was taken less than 6 months ago.");
  g_assert_cmpstr (derm_finding_get_until (finding), ==, "2024-07-10");

  lasting = derm_finding_new (DERM_SEVERITY_CONTRAINDICATION, "keloid-history",
                              "History of keloid scarring.", NULL);
  g_assert_null (derm_finding_get_until (lasting));

  g_assert_cmpstr (derm_severity_to_key (DERM_SEVERITY_CONTRAINDICATION), ==, "contraindication");
  g_assert_cmpstr (derm_severity_to_key (DERM_SEVERITY_CAUTION), ==, "caution");
  g_assert_cmpstr (derm_severity_to_key (DERM_SEVERITY_INFO), ==, "info");
  g_assert_cmpstr (derm_severity_to_label (DERM_SEVERITY_CONTRAINDICATION), ==, "Contraindication");
  g_assert_cmpstr (derm_severity_to_label (DERM_SEVERITY_INFO), ==, "Note");
}

int
main (int   argc,
      char *argv[])
{
  /* English strings and '.' decimals whatever the developer's locale */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/notify/real-change-only", test_client_notify_real_change);
  g_test_add_func ("/client/empty-string-is-null", test_client_empty_is_null);
  g_test_add_func ("/client/copy/round-trip", test_client_copy);
  g_test_add_func ("/client/search/accents", test_client_search_accents);
  g_test_add_func ("/client/search/phone-digits", test_client_search_phone);
  g_test_add_func ("/client/search/all-words", test_client_matches_words);
  g_test_add_func ("/enums/concerns/round-trip", test_concerns_round_trip);
  g_test_add_func ("/enums/answers/round-trip", test_answers);
  g_test_add_func ("/enums/fitzpatrick/parse", test_fitzpatrick);
  g_test_add_func ("/enums/zones/lower-case", test_zone_suggestions);
  g_test_add_func ("/screening/questions/key-round-trip", test_screening_question_keys);
  g_test_add_func ("/screening/answers/changed-and-copy", test_screening_answers);
  g_test_add_func ("/treatment/depths/set-replace-remove", test_treatment_depths);
  g_test_add_func ("/treatment/depths/parse-good", test_treatment_parse_depths_good);
  g_test_add_func ("/treatment/depths/parse-bad", test_treatment_parse_depths_bad);
  g_test_add_func ("/treatment/properties/copy", test_treatment_properties);
  g_test_add_func ("/finding/construct", test_finding);

  return g_test_run ();
}
