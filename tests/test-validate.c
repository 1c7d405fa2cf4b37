/* test-validate.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "derm-client.h"
#include "derm-screening.h"
#include "derm-treatment.h"
#include "derm-validate.h"

static GDate today;

typedef struct
{
  const char *input;
  DermDateRule rule;
  gboolean required;
  int expected;   /* -1 = valid, else DermValidationError code */
} DateCase;

static const DateCase date_cases[] = {
  { "1985-03-14", DERM_DATE_NOT_FUTURE, FALSE, -1 },
  { "2024-02-29", DERM_DATE_NOT_FUTURE, FALSE, -1 },      /* leap day */
  { "2023-02-29", DERM_DATE_NOT_FUTURE, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },
  { "2023-02-30", DERM_DATE_ANY, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },
  { "2100-02-29", DERM_DATE_ANY, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },  /* not a leap year */
  { "2000-02-29", DERM_DATE_ANY, FALSE, -1 },
  { "2026-13-01", DERM_DATE_ANY, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },
  { "2026-00-10", DERM_DATE_ANY, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },
  { "2026-04-31", DERM_DATE_ANY, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },
  { "14/03/1985", DERM_DATE_ANY, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },
  { "1985-3-14", DERM_DATE_ANY, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },
  { "1985-03-14x", DERM_DATE_ANY, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },
  { " 1985-03-14", DERM_DATE_ANY, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },
  { "0000-01-01", DERM_DATE_ANY, FALSE, DERM_VALIDATION_ERROR_INVALID_DATE },
  { "2026-11-24", DERM_DATE_NOT_FUTURE, TRUE, -1 },       /* today itself */
  { "2026-11-25", DERM_DATE_NOT_FUTURE, TRUE, DERM_VALIDATION_ERROR_FUTURE_DATE },
  { "2026-11-25", DERM_DATE_ANY, TRUE, -1 },
  { "", DERM_DATE_ANY, FALSE, -1 },
  { NULL, DERM_DATE_ANY, FALSE, -1 },
  { "", DERM_DATE_ANY, TRUE, DERM_VALIDATION_ERROR_REQUIRED },
  { "   ", DERM_DATE_ANY, TRUE, DERM_VALIDATION_ERROR_REQUIRED },
};

static void
test_dates (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (date_cases); i++)
    {
      const DateCase *c = &date_cases[i];
      g_autoptr (GError) error = NULL;
      gboolean ok = derm_validate_date ("Date of birth", c->input, c->rule, c->required, &today, &error);

      g_test_message ("date case %u: “%s”", i, c->input ? c->input : "(null)");
      if (c->expected < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, DERM_VALIDATION_ERROR, c->expected);
          /* the message names the field */
          g_assert_true (g_str_has_prefix (error->message, "Date of birth"));
        }
    }
}

static void
test_date_format_round_trip (void)
{
  GDate d;
  g_autofree char *s = NULL;

  g_assert_true (derm_date_parse ("0987-01-05", &d));
  s = derm_date_format (&d);
  g_assert_cmpstr (s, ==, "0987-01-05");
}

static void
test_email (void)
{
  const char *good[] = { "a@b.co", "zoë.müller@exämple.de", "first.last+tag@clinic.example.org", "", NULL };
  const char *bad[] = { "plainaddress", "@example.com", "a@b", "a@b.", "a@.com", "a b@c.com", "a@b@c.com", "a@b..com" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (derm_validate_email (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_test_message ("bad email %s", bad[i]);
      g_assert_false (derm_validate_email (bad[i], &error));
      g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_EMAIL);
      g_assert_true (g_str_has_prefix (error->message, "Email"));
    }
}

static void
test_phone (void)
{
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  g_assert_true (derm_validate_phone ("+33 (0)6 12-34.56.78", NULL));
  g_assert_true (derm_validate_phone (NULL, NULL));
  g_assert_false (derm_validate_phone ("call me", &e1));
  g_assert_error (e1, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_PHONE);
  g_assert_false (derm_validate_phone ("12", &e2));
  g_assert_error (e2, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_PHONE);
  g_assert_false (derm_validate_phone ("123456789012345678901", &e3));
  g_assert_error (e3, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_PHONE);
}

static void
test_name_and_lengths (void)
{
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autofree char *long_name = g_strnfill (DERM_MAX_NAME_LENGTH + 1, 'a');
  g_autoptr (GString) accented = g_string_new (NULL);

  g_assert_false (derm_validate_name ("  \t ", &e1));
  g_assert_error (e1, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED);
  g_assert_true (g_str_has_prefix (e1->message, "Name"));
  g_assert_false (derm_validate_name (long_name, &e2));
  g_assert_error (e2, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_TOO_LONG);

  /* limits count characters, not bytes: 200 two-byte characters fit */
  for (guint i = 0; i < DERM_MAX_NAME_LENGTH; i++)
    g_string_append (accented, "é");
  g_assert_true (derm_validate_name (accented->str, NULL));

  g_assert_false (derm_validate_name ("bad \xff utf8", &e3));
  g_assert_error (e3, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
}

static void
test_depth (void)
{
  const double good[] = { 0.1, 0.25, 1.5, 2.5, 3.0 };
  const double bad[] = { 0.0, 0.09, 3.01, -1.0, NAN, INFINITY };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (derm_validate_depth ("forehead", good[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (derm_validate_depth ("forehead", bad[i], &error));
      g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE);
      g_assert_nonnull (strstr (error->message, "forehead"));
    }
}

static void
test_client (void)
{
  g_autoptr (DermClient) c = derm_client_new ();
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  g_assert_false (derm_validate_client (c, &today, &e1));
  g_assert_error (e1, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED);

  derm_client_set_name (c, "Zoë Müller");
  derm_client_set_date_of_birth (c, "1990-06-01");
  derm_client_set_email (c, "zoe@example.com");
  derm_client_set_fitzpatrick (c, 3);
  g_assert_true (derm_validate_client (c, &today, NULL));

  derm_client_set_date_of_birth (c, "2030-01-01");
  g_assert_false (derm_validate_client (c, &today, &e2));
  g_assert_error (e2, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_FUTURE_DATE);

  /* the setter refuses a type past VI; the validator says why for raw input */
  g_assert_false (derm_validate_fitzpatrick (7, &e3));
  g_assert_error (e3, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE);
}

static void
test_screening (void)
{
  g_autoptr (DermScreening) s = derm_screening_new ();
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;

  g_assert_false (derm_validate_screening (s, &today, &e1));
  g_assert_error (e1, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED);

  derm_screening_set_date (s, "2026-11-20");
  g_assert_true (derm_validate_screening (s, &today, NULL));

  derm_screening_set_answer (s, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES);
  derm_screening_set_date_for (s, DERM_QUESTION_ISOTRETINOIN, "2026-02-30");
  g_assert_false (derm_validate_screening (s, &today, &e2));
  g_assert_error (e2, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_DATE);
  g_assert_nonnull (strstr (e2->message, "2026-02-30"));
}

static void
test_treatment (void)
{
  g_autoptr (DermTreatment) t = derm_treatment_new ();
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  g_assert_false (derm_validate_treatment (t, &today, &e1));
  g_assert_error (e1, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED);

  derm_treatment_set_date (t, "2026-11-24");
  derm_treatment_set_depth (t, "forehead", 0.5);
  derm_treatment_set_depth (t, "cheeks", 1.5);
  g_assert_true (derm_validate_treatment (t, &today, NULL));

  derm_treatment_set_depth (t, "cheeks", 3.5);
  g_assert_false (derm_validate_treatment (t, &today, &e2));
  g_assert_error (e2, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE);
  g_assert_nonnull (strstr (e2->message, "cheeks"));

  derm_treatment_set_depth (t, "cheeks", 1.0);
  derm_treatment_set_date (t, "2026-12-01");
  g_assert_false (derm_validate_treatment (t, &today, &e3));
  g_assert_error (e3, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_FUTURE_DATE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  derm_date_parse ("2026-11-24", &today);

  g_test_add_func ("/validate/date/cases", test_dates);
  g_test_add_func ("/validate/date/format-round-trip", test_date_format_round_trip);
  g_test_add_func ("/validate/email", test_email);
  g_test_add_func ("/validate/phone", test_phone);
  g_test_add_func ("/validate/name-and-lengths", test_name_and_lengths);
  g_test_add_func ("/validate/depth", test_depth);
  g_test_add_func ("/validate/client", test_client);
  g_test_add_func ("/validate/screening", test_screening);
  g_test_add_func ("/validate/treatment", test_treatment);

  return g_test_run ();
}
