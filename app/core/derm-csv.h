/* derm-csv.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Comma-separated values as RFC 4180 has them, read strictly and written
 * so that spreadsheets and other programs read them back: fields
 * separated by commas, records by CRLF (a bare LF is accepted on
 * reading), a field that holds a comma, a quote, a line break or leading
 * or trailing blanks in double quotes with its quotes doubled. The text
 * is UTF-8; a byte order mark at the start is skipped on reading and
 * written on request (spreadsheets take a file without one for their
 * legacy code page).
 *
 * Debian's libcsv (unmaintained since 2013, no GNOME app uses it) reads
 * a stray quote leniently by default; this reader refuses it, and every
 * error names the row (the record's number, the header being row 1, as a
 * spreadsheet numbers it).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DERM_CSV_ERROR (derm_csv_error_quark ())
GQuark derm_csv_error_quark (void);

typedef enum
{
  DERM_CSV_ERROR_ENCODING,   /* not UTF-8, or a NUL byte */
  DERM_CSV_ERROR_SYNTAX,     /* a stray quote, an unclosed quoted field */
  DERM_CSV_ERROR_TOO_LARGE,  /* more than the caller's byte or row cap */
  DERM_CSV_ERROR_EMPTY,      /* no header row */
} DermCsvError;

/* One record: its fields and its row number (1 for the first record) */
typedef struct
{
  guint   row;
  GStrv   fields;
} DermCsvRecord;

/* Parses @data (@length bytes, a BOM at the start is skipped) into a
 * GPtrArray of DermCsvRecord (freed with the array). Empty lines are
 * records with one empty field; a final line break ends the last record
 * and does not start another. Refuses data that is not UTF-8, holds a
 * NUL byte, is longer than @max_bytes or has more than @max_records
 * records. */
GPtrArray *derm_csv_parse        (const char  *data,
                                  gsize        length,
                                  gsize        max_bytes,
                                  guint        max_records,
                                  GError     **error);

/* Appends one record of @n_fields fields (NULL: empty) to @out, quoted
 * where needed, ended by CRLF */
void       derm_csv_append_record (GString            *out,
                                   const char * const *fields,
                                   guint               n_fields);

/* Formula injection (OWASP "CSV Injection"): a spreadsheet runs a field
 * that starts with = + - @, a tab or a carriage return as a formula.
 * derm_csv_guard_formula() puts an apostrophe before such a field (and
 * before one that already starts with apostrophes followed by such a
 * character), which spreadsheets show as text;
 * derm_csv_unguard_formula() takes exactly that apostrophe away again,
 * so guard then unguard gives back the text as it was. A field that
 * starts with an apostrophe followed by anything else is left alone. */
char      *derm_csv_guard_formula   (const char *text);
/* A pointer into @text past the guarding apostrophe, or @text */
const char *derm_csv_unguard_formula (const char *text);

/* The UTF-8 byte order mark, for derm_csv_append_record()'s output that
 * a spreadsheet will open */
#define DERM_CSV_BOM "\xef\xbb\xbf"

G_END_DECLS
