/* derm-csv.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-csv"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "derm-csv.h"

G_DEFINE_QUARK (derm-csv-error-quark, derm_csv_error)

static void
record_free (gpointer data)
{
  DermCsvRecord *record = data;

  g_strfreev (record->fields);
  g_free (record);
}

static void
finish_record (GPtrArray *records,
               GPtrArray *fields,
               guint      row)
{
  DermCsvRecord *record = g_new0 (DermCsvRecord, 1);

  g_ptr_array_add (fields, NULL);
  record->row = row;
  record->fields = (GStrv) g_ptr_array_steal (fields, NULL);
  g_ptr_array_add (records, record);
}

GPtrArray *
derm_csv_parse (const char  *data,
                gsize        length,
                gsize        max_bytes,
                guint        max_records,
                GError     **error)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (record_free);
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) field = g_string_new (NULL);
  const char *p = data;
  const char *end = data + length;
  const char *bad = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > max_bytes)
    {
      g_autofree char *size = g_format_size (max_bytes);

      g_set_error (error, DERM_CSV_ERROR, DERM_CSV_ERROR_TOO_LARGE,
                   _("The file is larger than %s. Split it into smaller files."), size);
      return NULL;
    }

  if (length >= 3 && memcmp (data, DERM_CSV_BOM, 3) == 0)
    p += 3;

  if (memchr (p, '\0', end - p) != NULL || !g_utf8_validate_len (p, end - p, &bad))
    {
      /* The row of the first bad byte, for whoever opens the file */
      guint row = 1;
      const char *stop = memchr (p, '\0', end - p);

      if (stop == NULL || (bad != NULL && bad < stop))
        stop = bad;
      for (const char *q = p; q < stop; q++)
        row += *q == '\n';
      g_set_error (error, DERM_CSV_ERROR, DERM_CSV_ERROR_ENCODING,
                   _("Line %u is not UTF-8 text. Save the file as “CSV UTF-8” and try again."), row);
      return NULL;
    }

  if (p == end)
    {
      g_set_error_literal (error, DERM_CSV_ERROR, DERM_CSV_ERROR_EMPTY,
                           _("The file is empty. The first line must name the columns."));
      return NULL;
    }

  while (p < end)
    {
      guint row = records->len + 1;

      if (records->len >= max_records)
        {
          g_set_error (error, DERM_CSV_ERROR, DERM_CSV_ERROR_TOO_LARGE,
                       _("The file has more than %u rows. Split it into smaller files."), max_records);
          return NULL;
        }

      /* One record: fields until an unquoted line break or the end */
      for (;;)
        {
          g_string_truncate (field, 0);

          if (p < end && *p == '"')
            {
              p++;
              for (;;)
                {
                  if (p == end)
                    {
                      g_set_error (error, DERM_CSV_ERROR, DERM_CSV_ERROR_SYNTAX,
                                   _("Row %u: a quoted field is not closed. Close it with a double quote (\")."), row);
                      return NULL;
                    }
                  if (*p == '"')
                    {
                      if (p + 1 < end && p[1] == '"')
                        {
                          g_string_append_c (field, '"');
                          p += 2;
                          continue;
                        }
                      p++;
                      break;
                    }
                  g_string_append_c (field, *p++);
                }
              if (p < end && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n'))
                {
                  g_set_error (error, DERM_CSV_ERROR, DERM_CSV_ERROR_SYNTAX,
                               _("Row %u: text follows a quoted field’s closing quote. Write a quote inside a quoted field as two (\"\")."), row);
                  return NULL;
                }
            }
          else
            {
              while (p < end && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n'))
                {
                  if (*p == '"')
                    {
                      g_set_error (error, DERM_CSV_ERROR, DERM_CSV_ERROR_SYNTAX,
                                   _("Row %u: a double quote (\") inside a field that does not start with one. Put the whole field in quotes and write the quote as two (\"\")."), row);
                      return NULL;
                    }
                  g_string_append_c (field, *p++);
                }
            }

          g_ptr_array_add (fields, g_strndup (field->str, field->len));

          if (p < end && *p == ',')
            {
              p++;
              continue;
            }
          break;
        }

      /* The record's line break, CRLF or LF; none at the end of the data */
      if (p < end && *p == '\r')
        p++;
      if (p < end && *p == '\n')
        p++;
      finish_record (records, fields, row);
    }

  return g_steal_pointer (&records);
}

static gboolean
needs_quotes (const char *text)
{
  gsize len = strlen (text);

  if (len == 0)
    return FALSE;

  return strpbrk (text, ",\"\r\n") != NULL ||
         g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1]);
}

void
derm_csv_append_record (GString            *out,
                        const char * const *fields,
                        guint               n_fields)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (fields != NULL || n_fields == 0);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *text = fields[i] != NULL ? fields[i] : "";

      if (i > 0)
        g_string_append_c (out, ',');

      if (!needs_quotes (text))
        {
          g_string_append (out, text);
          continue;
        }

      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }

  g_string_append (out, "\r\n");
}

/* The apostrophes before the first other character, or -1 when that
 * character does not start a formula */
static gssize
formula_quotes (const char *text)
{
  gssize n = 0;

  while (text[n] == '\'')
    n++;
  if (text[n] == '\0' || strchr ("=+-@\t\r", text[n]) == NULL)
    return -1;
  return n;
}

char *
derm_csv_guard_formula (const char *text)
{
  if (text == NULL)
    return NULL;
  if (formula_quotes (text) < 0)
    return g_strdup (text);
  return g_strconcat ("'", text, NULL);
}

const char *
derm_csv_unguard_formula (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (formula_quotes (text) > 0)
    return text + 1;
  return text;
}
