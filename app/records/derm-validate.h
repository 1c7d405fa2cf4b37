/* derm-validate.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place where user input is judged. The store calls the
 * whole-object validators before every write, so the UI and the CLI get
 * the same answers; the UI also calls the field validators as the user
 * types. Every error message names the field and says why, in words a
 * practitioner understands, and error->code says what kind of problem it is.
 */
#pragma once

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_VALIDATION_ERROR (derm_validation_error_quark ())
GQuark derm_validation_error_quark (void);

typedef enum
{
  DERM_VALIDATION_ERROR_REQUIRED,      /* a required field is empty */
  DERM_VALIDATION_ERROR_INVALID_DATE,  /* not YYYY-MM-DD, or a day that does not exist */
  DERM_VALIDATION_ERROR_FUTURE_DATE,   /* a date that cannot be in the future is */
  DERM_VALIDATION_ERROR_OUT_OF_RANGE,  /* a number outside its range */
  DERM_VALIDATION_ERROR_INVALID_EMAIL,
  DERM_VALIDATION_ERROR_INVALID_PHONE,
  DERM_VALIDATION_ERROR_TOO_LONG,
  DERM_VALIDATION_ERROR_INVALID,       /* anything else malformed */
  DERM_VALIDATION_ERROR_CONTRAINDICATED, /* a finding rules treatment out and no reason overrides it */
} DermValidationError;

/* Length limits, in characters */
#define DERM_MAX_NAME_LENGTH   200
#define DERM_MAX_SHORT_LENGTH  200   /* phone, email, practitioner, device, lot, zone */
#define DERM_MAX_TEXT_LENGTH   10000 /* goals, notes, details, free text */

typedef enum
{
  DERM_DATE_ANY,         /* any existing date (appointments, follow-ups) */
  DERM_DATE_NOT_FUTURE,  /* birth dates, screenings, sessions, last doses */
} DermDateRule;

/* Parses a strict ISO "YYYY-MM-DD" into @out. No GError: for callers that
 * have already validated. */
gboolean derm_date_parse             (const char    *iso,
                                      GDate         *out);
/* Formats @date as "YYYY-MM-DD"; newly allocated */
char    *derm_date_format            (const GDate   *date);
/* Today in local time */
void     derm_date_today             (GDate         *out);
/* The day of @date_time, in its own time zone */
void     derm_date_set_date_time     (GDate         *out,
                                      GDateTime     *date_time);
/* For people: "3 Nov 2026", or "3 November 2026" with @long_month, from
 * "2026-11-03" or an ISO date-time that starts with one. NULL when @iso
 * holds no valid date. */
char    *derm_date_format_display    (const char    *iso,
                                      gboolean       long_month);
/* @text with its first character in upper case, for a phrase shown on its
 * own ("delayed by ..." -> "Delayed by ..."); newly allocated */
char    *derm_text_sentence_case     (const char    *text);
/* Parses "9:30" or "09:30" (surrounding spaces allowed), 00:00 to 23:59,
 * into minutes since midnight. */
gboolean derm_time_parse             (const char    *text,
                                      guint         *minutes);

/* @field is the translated field label that starts the message ("Date of birth").
 * NULL or "" passes unless @required. @today may be NULL for the real today. */
gboolean derm_validate_date          (const char    *field,
                                      const char    *iso,
                                      DermDateRule   rule,
                                      gboolean       required,
                                      const GDate   *today,
                                      GError       **error);
/* FALSE when @text holds C0/C1 control characters (terminal escapes),
 * DEL or Unicode line separators; @multi_line allows \n, \r and \t */
gboolean derm_text_is_clean          (const char    *text,
                                      gboolean       multi_line);
/* An optional single-line field of at most DERM_MAX_SHORT_LENGTH characters */
gboolean derm_validate_line          (const char    *field,
                                      const char    *text,
                                      GError       **error);
gboolean derm_validate_name          (const char    *name,
                                      GError       **error);
gboolean derm_validate_email         (const char    *email,
                                      GError       **error);
gboolean derm_validate_phone         (const char    *phone,
                                      GError       **error);
/* Texts of at most DERM_MAX_SHORT_LENGTH characters are one line (no
 * control characters); longer ones may also hold line breaks and tabs */
gboolean derm_validate_text          (const char    *field,
                                      const char    *text,
                                      gsize          max_chars,
                                      gboolean       required,
                                      GError       **error);
gboolean derm_validate_depth         (const char    *zone,
                                      double         depth_mm,
                                      GError       **error);
gboolean derm_validate_fitzpatrick   (guint          type,
                                      GError       **error);

/* Whole objects: the first problem found, in form order */
gboolean derm_validate_client        (DermClient    *client,
                                      const GDate   *today,
                                      GError       **error);
gboolean derm_validate_screening     (DermScreening *screening,
                                      const GDate   *today,
                                      GError       **error);
gboolean derm_validate_treatment     (DermTreatment *treatment,
                                      const GDate   *today,
                                      GError       **error);

G_END_DECLS
