/* derm-validate.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-validate"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "derm-client.h"
#include "derm-screening.h"
#include "derm-treatment.h"
#include "derm-validate.h"

G_DEFINE_QUARK (derm-validation-error-quark, derm_validation_error)

/* Four digits, a dash, two digits, a dash, two digits */
static gboolean
is_iso_shaped (const char *text)
{
  if (strlen (text) != 10)
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if ((i == 4 || i == 7) ? text[i] != '-' : !g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

gboolean
derm_date_parse (const char *iso,
                 GDate      *out)
{
  guint year, month, day;

  g_return_val_if_fail (out != NULL, FALSE);

  if (iso == NULL || !is_iso_shaped (iso))
    return FALSE;

  year = (guint) g_ascii_strtoull (iso, NULL, 10);
  month = (guint) g_ascii_strtoull (iso + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (iso + 8, NULL, 10);

  if (year < 1 || year > 9999 || month < 1 || month > 12 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

char *
derm_date_format (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

void
derm_date_today (GDate *out)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  derm_date_set_date_time (out, now);
}

void
derm_date_set_date_time (GDate     *out,
                         GDateTime *date_time)
{
  g_date_clear (out, 1);
  g_date_set_dmy (out,
                  (GDateDay) g_date_time_get_day_of_month (date_time),
                  (GDateMonth) g_date_time_get_month (date_time),
                  (GDateYear) g_date_time_get_year (date_time));
}

char *
derm_date_format_display (const char *iso,
                          gboolean    long_month)
{
  g_autoptr (GDateTime) noon = NULL;
  g_autofree char *day = NULL;
  GDate date;

  if (iso == NULL || strlen (iso) < 10)
    return NULL;
  day = g_strndup (iso, 10);
  if (!derm_date_parse (day, &date))
    return NULL;

  noon = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                g_date_get_day (&date), 12, 0, 0);
  /* Translators: dates as in "3 Nov 2026" and "3 November 2026"; see g_date_time_format() */
  return g_date_time_format (noon, long_month ? _("%-d %B %Y") : _("%-d %b %Y"));
}

char *
derm_text_sentence_case (const char *text)
{
  GString *out;
  gunichar first;

  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    return g_strdup (text);

  first = g_unichar_totitle (g_utf8_get_char (text));
  out = g_string_new (NULL);
  g_string_append_unichar (out, first);
  g_string_append (out, g_utf8_next_char (text));

  return g_string_free (out, FALSE);
}

gboolean
derm_time_parse (const char *text,
                 guint      *minutes)
{
  g_autofree char *trimmed = NULL;
  const char *colon;
  guint64 hours, mins;
  char *end;

  g_return_val_if_fail (minutes != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  trimmed = g_strstrip (g_strdup (text));
  colon = strchr (trimmed, ':');
  if (colon == NULL || colon == trimmed || colon - trimmed > 2 || strlen (colon + 1) != 2 ||
      !g_ascii_isdigit (trimmed[0]) || !g_ascii_isdigit (colon[1]) || !g_ascii_isdigit (colon[2]))
    return FALSE;

  hours = g_ascii_strtoull (trimmed, &end, 10);
  if (end != colon)
    return FALSE;
  mins = g_ascii_strtoull (colon + 1, &end, 10);
  if (*end != '\0' || hours > 23 || mins > 59)
    return FALSE;

  *minutes = (guint) (hours * 60 + mins);
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gboolean
derm_validate_date (const char   *field,
                    const char   *iso,
                    DermDateRule  rule,
                    gboolean      required,
                    const GDate  *today,
                    GError      **error)
{
  GDate date;
  GDate real_today;

  if (is_blank (iso))
    {
      if (!required)
        return TRUE;
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("%s is required. Enter it as YYYY-MM-DD."), field);
      return FALSE;
    }

  if (!derm_date_parse (iso, &date))
    {
      g_autofree char *shown = g_utf8_make_valid (iso, MIN (strlen (iso), 40));

      /* "14/03/1985" exists; it is only written another way */
      if (is_iso_shaped (iso))
        g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_DATE,
                     _("%s: “%s” is not a date that exists. Enter it as YYYY-MM-DD, for example 1985-03-14."),
                     field, shown);
      else
        g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_DATE,
                     _("%s: “%s” is not written as year-month-day. Enter it as YYYY-MM-DD, for example 1985-03-14."),
                     field, shown);
      return FALSE;
    }

  if (rule == DERM_DATE_NOT_FUTURE)
    {
      if (today == NULL)
        {
          derm_date_today (&real_today);
          today = &real_today;
        }
      if (g_date_compare (&date, today) > 0)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_FUTURE_DATE,
                       _("%s: %s is in the future. Check the year."), field, iso);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
derm_validate_text (const char  *field,
                    const char  *text,
                    gsize        max_chars,
                    gboolean     required,
                    GError     **error)
{
  if (is_blank (text))
    {
      if (!required)
        return TRUE;
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED,
                   _("%s is required."), field);
      return FALSE;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("%s contains characters that are not valid text."), field);
      return FALSE;
    }

  if ((gsize) g_utf8_strlen (text, -1) > max_chars)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_TOO_LONG,
                   _("%s is too long: at most %lu characters."),
                   field, (unsigned long) max_chars);
      return FALSE;
    }

  /* Short fields are one line; longer texts keep their lines and tabs */
  if (!derm_text_is_clean (text, max_chars > DERM_MAX_SHORT_LENGTH))
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   max_chars > DERM_MAX_SHORT_LENGTH
                     ? _("%s contains control characters. Remove them (line breaks and tabs are fine).")
                     : _("%s contains control characters or line breaks. Keep it to one line of text."),
                   field);
      return FALSE;
    }

  return TRUE;
}

gboolean
derm_text_is_clean (const char *text,
                    gboolean    multi_line)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (multi_line && (c == '\n' || c == '\t' || c == '\r'))
        continue;
      /* C0 and C1 controls (terminal escapes among them), DEL, and the
       * Unicode line and paragraph separators */
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029)
        return FALSE;
    }
  return TRUE;
}

gboolean
derm_validate_line (const char  *field,
                    const char  *text,
                    GError     **error)
{
  return derm_validate_text (field, text, DERM_MAX_SHORT_LENGTH, FALSE, error);
}

gboolean
derm_validate_name (const char  *name,
                    GError     **error)
{
  return derm_validate_text (_("Name"), name, DERM_MAX_NAME_LENGTH, TRUE, error);
}

/* Deliberately permissive: one @, something before it, a dot-separated
 * domain after it, no spaces. Real deliverability is not our business. */
gboolean
derm_validate_email (const char  *email,
                     GError     **error)
{
  const char *at;
  const char *domain;

  if (is_blank (email))
    return TRUE;
  if (!derm_validate_text (_("Email"), email, DERM_MAX_SHORT_LENGTH, FALSE, error))
    return FALSE;

  at = strchr (email, '@');
  domain = at ? at + 1 : NULL;
  if (at == NULL || at == email || strchr (domain, '@') != NULL ||
      strchr (email, ' ') != NULL || strchr (email, '\t') != NULL ||
      domain[0] == '.' || strchr (domain, '.') == NULL ||
      g_str_has_suffix (domain, ".") || strstr (domain, "..") != NULL)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_EMAIL,
                   _("Email: “%s” is not an email address. It should look like name@example.com."),
                   email);
      return FALSE;
    }

  return TRUE;
}

gboolean
derm_validate_phone (const char  *phone,
                     GError     **error)
{
  guint digits = 0;

  if (is_blank (phone))
    return TRUE;
  if (!derm_validate_text (_("Phone"), phone, DERM_MAX_SHORT_LENGTH, FALSE, error))
    return FALSE;

  for (const char *p = phone; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (strchr (" +-().", *p) == NULL)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_PHONE,
                       _("Phone: use digits, spaces and + - ( ) only."));
          return FALSE;
        }
    }

  if (digits < 3 || digits > 20)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_PHONE,
                   _("Phone: a phone number has between 3 and 20 digits."));
      return FALSE;
    }

  return TRUE;
}

gboolean
derm_validate_depth (const char  *zone,
                     double       depth_mm,
                     GError     **error)
{
  if (!isfinite (depth_mm) || depth_mm < DERM_DEPTH_MIN_MM - 1e-9 || depth_mm > DERM_DEPTH_MAX_MM + 1e-9)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Needle depth for %s: %g mm is outside %.1f–%.1f mm."),
                   zone && *zone ? zone : _("a zone"), depth_mm,
                   DERM_DEPTH_MIN_MM, DERM_DEPTH_MAX_MM);
      return FALSE;
    }
  return TRUE;
}

gboolean
derm_validate_fitzpatrick (guint    type,
                           GError **error)
{
  if (type > DERM_FITZPATRICK_MAX)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Fitzpatrick skin type must be I to VI."));
      return FALSE;
    }
  return TRUE;
}

gboolean
derm_validate_client (DermClient   *client,
                      const GDate  *today,
                      GError      **error)
{
  g_return_val_if_fail (DERM_IS_CLIENT (client), FALSE);

  return derm_validate_name (derm_client_get_name (client), error) &&
         derm_validate_date (_("Date of birth"), derm_client_get_date_of_birth (client),
                             DERM_DATE_NOT_FUTURE, FALSE, today, error) &&
         derm_validate_phone (derm_client_get_phone (client), error) &&
         derm_validate_email (derm_client_get_email (client), error) &&
         derm_validate_fitzpatrick (derm_client_get_fitzpatrick (client), error) &&
         derm_validate_text (_("Goals"), derm_client_get_goals (client),
                             DERM_MAX_TEXT_LENGTH, FALSE, error) &&
         derm_validate_text (_("Notes"), derm_client_get_notes (client),
                             DERM_MAX_TEXT_LENGTH, FALSE, error);
}

gboolean
derm_validate_screening (DermScreening *screening,
                         const GDate   *today,
                         GError       **error)
{
  g_return_val_if_fail (DERM_IS_SCREENING (screening), FALSE);

  if (!derm_validate_date (_("Screening date"), derm_screening_get_date (screening),
                           DERM_DATE_NOT_FUTURE, TRUE, today, error))
    return FALSE;

  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      DermAnswer answer = derm_screening_get_answer (screening, q);
      const char *details = derm_screening_get_details (screening, q);
      const char *date = derm_screening_get_date_for (screening, q);

      if (answer != DERM_ANSWER_UNKNOWN && answer != DERM_ANSWER_NO && answer != DERM_ANSWER_YES)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("%s: the answer must be yes, no or unknown."),
                       derm_question_to_label (q));
          return FALSE;
        }

      if (!derm_validate_text (derm_question_to_label (q), details,
                               DERM_MAX_TEXT_LENGTH, FALSE, error))
        return FALSE;

      if (date != NULL)
        {
          g_autofree char *field = NULL;

          if (!derm_question_has_date (q))
            {
              g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                           _("%s does not take a date."), derm_question_to_label (q));
              return FALSE;
            }
          field = g_strdup_printf ("%s (%s)", derm_question_to_label (q),
                                   derm_question_date_label (q));
          if (!derm_validate_date (field, date, DERM_DATE_NOT_FUTURE, FALSE, today, error))
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
derm_validate_treatment (DermTreatment *treatment,
                         const GDate   *today,
                         GError       **error)
{
  guint n;

  g_return_val_if_fail (DERM_IS_TREATMENT (treatment), FALSE);

  if (!derm_validate_date (_("Session date"), derm_treatment_get_date (treatment),
                           DERM_DATE_NOT_FUTURE, TRUE, today, error) ||
      !derm_validate_text (_("Practitioner"), derm_treatment_get_practitioner (treatment),
                           DERM_MAX_SHORT_LENGTH, FALSE, error) ||
      !derm_validate_text (_("Areas"), derm_treatment_get_areas (treatment),
                           DERM_MAX_TEXT_LENGTH, FALSE, error) ||
      !derm_validate_text (_("Device"), derm_treatment_get_device (treatment),
                           DERM_MAX_SHORT_LENGTH, FALSE, error) ||
      !derm_validate_text (_("Cartridge lot"), derm_treatment_get_cartridge_lot (treatment),
                           DERM_MAX_SHORT_LENGTH, FALSE, error) ||
      !derm_validate_text (_("Topical or serum"), derm_treatment_get_topical (treatment),
                           DERM_MAX_TEXT_LENGTH, FALSE, error) ||
      !derm_validate_text (_("Anaesthetic"), derm_treatment_get_anaesthetic (treatment),
                           DERM_MAX_TEXT_LENGTH, FALSE, error) ||
      !derm_validate_text (_("Immediate response"), derm_treatment_get_immediate_response (treatment),
                           DERM_MAX_TEXT_LENGTH, FALSE, error) ||
      !derm_validate_text (_("Notes"), derm_treatment_get_notes (treatment),
                           DERM_MAX_TEXT_LENGTH, FALSE, error))
    return FALSE;

  if (derm_treatment_get_passes (treatment) > 20)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("Passes: %u is more than 20. Check the number."),
                   derm_treatment_get_passes (treatment));
      return FALSE;
    }

  n = derm_treatment_get_n_depths (treatment);
  for (guint i = 0; i < n; i++)
    {
      const char *zone = derm_treatment_get_depth_zone (treatment, i);

      if (!derm_validate_text (_("Zone"), zone, DERM_MAX_SHORT_LENGTH, TRUE, error) ||
          !derm_validate_depth (zone, derm_treatment_get_depth_mm (treatment, i), error))
        return FALSE;
    }

  return TRUE;
}
