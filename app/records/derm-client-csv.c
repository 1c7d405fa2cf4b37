/* derm-client-csv.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-records"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "derm-client-csv.h"
#include "derm-client.h"
#include "derm-csv.h"
#include "derm-enums.h"
#include "derm-validate.h"

typedef struct
{
  guint       number;   /* in the file; the header is 1 */
  GStrv       fields;   /* borrowed from the records */
  DermClient *client;   /* NULL when the row has an error */
  char       *error;
} Row;

struct _DermClientCsv
{
  GObject           parent_instance;

  GPtrArray        *records;   /* DermCsvRecord, the header first */
  GArray           *rows;      /* Row */
  DermClientColumn *mapping;   /* one per header column */
  guint             n_columns;
  guint             n_errors;
  char             *mapping_error;
  GDate             today;
  gboolean          has_today;
};

G_DEFINE_FINAL_TYPE (DermClientCsv, derm_client_csv, G_TYPE_OBJECT)

static const struct
{
  const char *key;
  const char *label;
} columns[DERM_N_CLIENT_COLUMNS] = {
  [DERM_CLIENT_COLUMN_IGNORE] = { "id", N_("Not imported") },
  [DERM_CLIENT_COLUMN_NAME] = { "name", N_("Name") },
  [DERM_CLIENT_COLUMN_DATE_OF_BIRTH] = { "date_of_birth", N_("Date of birth") },
  [DERM_CLIENT_COLUMN_PHONE] = { "phone", N_("Phone") },
  [DERM_CLIENT_COLUMN_EMAIL] = { "email", N_("Email") },
  [DERM_CLIENT_COLUMN_FITZPATRICK] = { "fitzpatrick", N_("Skin type") },
  [DERM_CLIENT_COLUMN_CONCERNS] = { "concerns", N_("Concerns") },
  [DERM_CLIENT_COLUMN_GOALS] = { "goals", N_("Goals") },
  [DERM_CLIENT_COLUMN_NOTES] = { "notes", N_("Notes") },
  [DERM_CLIENT_COLUMN_ARCHIVED] = { "archived", N_("Archived") },
};

/* Other names spreadsheets and other programs give the columns */
static const struct
{
  const char       *name;
  DermClientColumn  column;
} aliases[] = {
  { "full name", DERM_CLIENT_COLUMN_NAME },
  { "client", DERM_CLIENT_COLUMN_NAME },
  { "dob", DERM_CLIENT_COLUMN_DATE_OF_BIRTH },
  { "birthday", DERM_CLIENT_COLUMN_DATE_OF_BIRTH },
  { "birth date", DERM_CLIENT_COLUMN_DATE_OF_BIRTH },
  { "telephone", DERM_CLIENT_COLUMN_PHONE },
  { "mobile", DERM_CLIENT_COLUMN_PHONE },
  { "phone number", DERM_CLIENT_COLUMN_PHONE },
  { "e mail", DERM_CLIENT_COLUMN_EMAIL }, /* "E-mail": dashes are blanks here */
  { "email address", DERM_CLIENT_COLUMN_EMAIL },
  { "fitzpatrick skin type", DERM_CLIENT_COLUMN_FITZPATRICK },
  { "skin type", DERM_CLIENT_COLUMN_FITZPATRICK },
};

const char *
derm_client_column_to_key (DermClientColumn column)
{
  g_return_val_if_fail (column < DERM_N_CLIENT_COLUMNS, NULL);

  return columns[column].key;
}

const char *
derm_client_column_to_label (DermClientColumn column)
{
  g_return_val_if_fail (column < DERM_N_CLIENT_COLUMNS, NULL);

  return _(columns[column].label);
}

gboolean
derm_client_column_from_header (const char       *header,
                                DermClientColumn *column)
{
  g_autofree char *stripped = NULL;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (column != NULL, FALSE);

  if (header == NULL)
    return FALSE;

  stripped = g_strstrip (g_strdup (header));
  folded = g_utf8_casefold (stripped, -1);
  /* "Date of birth", "date-of-birth" and "date_of_birth" alike */
  g_strdelimit (folded, "_-", ' ');

  for (guint i = 0; i < DERM_N_CLIENT_COLUMNS; i++)
    {
      g_autofree char *key = g_strdup (columns[i].key);
      g_autofree char *label = g_utf8_casefold (columns[i].label, -1);
      g_autofree char *translated = g_utf8_casefold (_(columns[i].label), -1);

      g_strdelimit (key, "_", ' ');
      if (g_str_equal (folded, key) ||
          (i != DERM_CLIENT_COLUMN_IGNORE && (g_str_equal (folded, label) || g_str_equal (folded, translated))))
        {
          *column = (DermClientColumn) i;
          return TRUE;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      if (g_str_equal (folded, aliases[i].name))
        {
          *column = aliases[i].column;
          return TRUE;
        }
    }

  return FALSE;
}

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_clear_object (&row->client);
  g_clear_pointer (&row->error, g_free);
}

static void
derm_client_csv_finalize (GObject *object)
{
  DermClientCsv *self = DERM_CLIENT_CSV (object);

  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->mapping, g_free);
  g_clear_pointer (&self->mapping_error, g_free);

  G_OBJECT_CLASS (derm_client_csv_parent_class)->finalize (object);
}

static void
derm_client_csv_class_init (DermClientCsvClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = derm_client_csv_finalize;
}

static void
derm_client_csv_init (DermClientCsv *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, row_clear);
}

static gboolean
parse_archived (const char *text,
                gboolean   *archived)
{
  static const char * const yes[] = { "yes", "true", "1", "y", "x", "archived" };
  static const char * const no[] = { "", "no", "false", "0", "n" };
  g_autofree char *folded = g_utf8_casefold (text, -1);

  g_strstrip (folded);
  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_str_equal (folded, yes[i]))
      return (*archived = TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_str_equal (folded, no[i]))
      {
        *archived = FALSE;
        return TRUE;
      }

  return FALSE;
}

/* Spreadsheets write dates in their locale's order: "14/03/1985",
 * "3.14.1985". Day and month in either order, then a four-digit year,
 * are read when only one order gives a date (or both give the same);
 * *@iso stays NULL for anything else, which validation then explains.
 * FALSE with the two readings when both exist. */
static gboolean
read_day_month_year (const char  *text,
                     char       **iso,
                     GError     **error)
{
  guint part[3] = { 0, 0, 0 };
  const char *p = text;
  char sep = 0;
  guint a, b, year;
  gboolean day_first, month_first;
  GDate date;

  *iso = NULL;
  /* One or two digits, a separator, one or two digits, the same
   * separator, four digits */
  for (guint i = 0; i < 3; i++)
    {
      guint n = 0;

      for (; g_ascii_isdigit (*p) && n < (i < 2 ? 2u : 4u); p++, n++)
        part[i] = part[i] * 10 + (guint) (*p - '0');
      if (n == 0 || (i == 2 && (n != 4 || *p != '\0')))
        return TRUE;
      if (i < 2)
        {
          if (*p == '\0' || strchr ("/.-", *p) == NULL || (sep != 0 && *p != sep))
            return TRUE;
          sep = *p++;
        }
    }
  a = part[0];
  b = part[1];
  year = part[2];

  day_first = g_date_valid_dmy ((GDateDay) a, (GDateMonth) b, (GDateYear) year);
  month_first = g_date_valid_dmy ((GDateDay) b, (GDateMonth) a, (GDateYear) year);
  if (day_first && month_first && a != b)
    {
      g_autofree char *one = g_strdup_printf ("%04u-%02u-%02u", year, b, a);
      g_autofree char *other = g_strdup_printf ("%04u-%02u-%02u", year, a, b);
      g_autofree char *one_shown = derm_date_format_display (one, TRUE);
      g_autofree char *other_shown = derm_date_format_display (other, TRUE);

      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_DATE,
                   _("Date of birth: “%s” could be %s or %s. Enter it as YYYY-MM-DD, for example 1985-03-14."),
                   text, one_shown, other_shown);
      return FALSE;
    }
  if (!day_first && !month_first)
    return TRUE;

  g_date_clear (&date, 1);
  if (day_first)
    g_date_set_dmy (&date, (GDateDay) a, (GDateMonth) b, (GDateYear) year);
  else
    g_date_set_dmy (&date, (GDateDay) b, (GDateMonth) a, (GDateYear) year);
  *iso = derm_date_format (&date);
  return TRUE;
}

/* The client of one row, or FALSE with the reason (without the row number) */
static DermClient *
client_from_fields (DermClientCsv  *self,
                    GStrv           fields,
                    GError        **error)
{
  g_autoptr (DermClient) client = derm_client_new ();
  guint n_fields = g_strv_length (fields);

  if (n_fields != self->n_columns)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   ngettext ("it has %u field where the first row names %u columns.",
                             "it has %u fields where the first row names %u columns.", n_fields),
                   n_fields, self->n_columns);
      return NULL;
    }

  for (guint c = 0; c < self->n_columns; c++)
    {
      const char *value = fields[c];
      g_autofree char *trimmed = g_strstrip (g_strdup (value));

      switch (self->mapping[c])
        {
        case DERM_CLIENT_COLUMN_IGNORE:
        case DERM_N_CLIENT_COLUMNS:
          break;
        case DERM_CLIENT_COLUMN_NAME:
          derm_client_set_name (client, trimmed);
          break;
        case DERM_CLIENT_COLUMN_DATE_OF_BIRTH:
          {
            g_autofree char *iso = NULL;

            if (!read_day_month_year (trimmed, &iso, error))
              return NULL;
            derm_client_set_date_of_birth (client, iso != NULL ? iso : trimmed);
          }
          break;
        case DERM_CLIENT_COLUMN_PHONE:
          derm_client_set_phone (client, trimmed);
          break;
        case DERM_CLIENT_COLUMN_EMAIL:
          derm_client_set_email (client, trimmed);
          break;
        case DERM_CLIENT_COLUMN_FITZPATRICK:
          {
            guint type = DERM_FITZPATRICK_UNSET;

            if (trimmed[0] != '\0' && !derm_fitzpatrick_from_string (trimmed, &type))
              {
                g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                             _("Skin type “%s” is not a Fitzpatrick type. Use I, II, III, IV, V or VI."),
                             trimmed);
                return NULL;
              }
            derm_client_set_fitzpatrick (client, type);
          }
          break;
        case DERM_CLIENT_COLUMN_CONCERNS:
          {
            DermConcerns concerns = DERM_CONCERN_NONE;
            g_autofree char *bad_key = NULL;

            if (trimmed[0] != '\0' && !derm_concerns_from_string (trimmed, &concerns, &bad_key))
              {
                g_autofree char *all = derm_concerns_to_string (DERM_CONCERN_ALL);
                g_auto (GStrv) keys = g_strsplit (all, ",", -1);
                g_autofree char *list = g_strjoinv (", ", keys);

                g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                             _("“%s” is not a known concern. Use a comma-separated list of: %s."),
                             bad_key != NULL ? bad_key : trimmed, list);
                return NULL;
              }
            derm_client_set_concerns (client, concerns);
          }
          break;
        case DERM_CLIENT_COLUMN_GOALS:
          /* Free text keeps its line breaks and inner blanks */
          derm_client_set_goals (client, value);
          break;
        case DERM_CLIENT_COLUMN_NOTES:
          derm_client_set_notes (client, value);
          break;
        case DERM_CLIENT_COLUMN_ARCHIVED:
          {
            gboolean archived = FALSE;

            if (!parse_archived (trimmed, &archived))
              {
                g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                             _("Archived: “%s” is neither yes nor no."), trimmed);
                return NULL;
              }
            derm_client_set_archived (client, archived);
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (!derm_validate_client (client, self->has_today ? &self->today : NULL, error))
    return NULL;

  return g_steal_pointer (&client);
}

static void
evaluate (DermClientCsv *self)
{
  gboolean has_name = FALSE;

  g_clear_pointer (&self->mapping_error, g_free);
  for (guint c = 0; c < self->n_columns; c++)
    has_name |= self->mapping[c] == DERM_CLIENT_COLUMN_NAME;
  if (!has_name)
    self->mapping_error = g_strdup (_("No column holds the clients’ names. Choose the name column."));

  self->n_errors = 0;
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);
      g_autoptr (GError) error = NULL;

      g_clear_object (&row->client);
      g_clear_pointer (&row->error, g_free);

      if (has_name)
        row->client = client_from_fields (self, row->fields, &error);
      if (error != NULL)
        {
          /* Translators: "Row 4: Email: “ann@” is not an email address. …" */
          row->error = g_strdup_printf (_("Row %u: %s"), row->number, error->message);
          self->n_errors++;
        }
    }
}

static gboolean
is_blank (GStrv fields)
{
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (fields[i]));

      if (stripped[0] != '\0')
        return FALSE;
    }

  return TRUE;
}

DermClientCsv *
derm_client_csv_new_from_data (const char   *data,
                               gsize         length,
                               const GDate  *today,
                               GError      **error)
{
  g_autoptr (DermClientCsv) self = NULL;
  g_autoptr (GPtrArray) records = NULL;
  DermCsvRecord *header;

  records = derm_csv_parse (data, length, DERM_CLIENT_CSV_MAX_BYTES, DERM_CLIENT_CSV_MAX_ROWS + 1, error);
  if (records == NULL)
    return NULL;

  self = g_object_new (DERM_TYPE_CLIENT_CSV, NULL);
  self->records = g_steal_pointer (&records);
  if (today != NULL)
    {
      self->today = *today;
      self->has_today = TRUE;
    }

  header = g_ptr_array_index (self->records, 0);
  self->n_columns = g_strv_length (header->fields);
  self->mapping = g_new0 (DermClientColumn, self->n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    {
      DermClientColumn column = DERM_CLIENT_COLUMN_IGNORE;
      gboolean taken = FALSE;

      if (!derm_client_column_from_header (header->fields[c], &column))
        continue;
      /* The first of two columns of one field wins */
      for (guint d = 0; d < c; d++)
        taken |= column != DERM_CLIENT_COLUMN_IGNORE && self->mapping[d] == column;
      if (!taken)
        self->mapping[c] = column;
    }

  for (guint i = 1; i < self->records->len; i++)
    {
      DermCsvRecord *record = g_ptr_array_index (self->records, i);
      Row row = { record->row, record->fields, NULL, NULL };

      /* An export's apostrophe before a formula-like field goes, so an
       * export reads back exactly */
      for (guint f = 0; record->fields[f] != NULL; f++)
        {
          char *field = record->fields[f];
          const char *text = derm_csv_unguard_formula (field);

          if (text != field)
            memmove (field, text, strlen (text) + 1);
        }

      if (!is_blank (record->fields))
        g_array_append_val (self->rows, row);
    }

  evaluate (self);
  return g_steal_pointer (&self);
}

DermClientCsv *
derm_client_csv_new_from_file (const char   *path,
                               const GDate  *today,
                               GError      **error)
{
  g_autofree char *data = NULL;
  g_autofree char *display = NULL;
  struct stat st;
  gsize length = 0;
  ssize_t n;
  int fd;
  int saved_errno;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not open “%s”: %s"), display, g_strerror (saved_errno));
      return NULL;
    }

  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("“%s” is not a file. Choose a CSV file."), display);
      return NULL;
    }

  if (st.st_size > DERM_CLIENT_CSV_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (DERM_CLIENT_CSV_MAX_BYTES);

      close (fd);
      g_set_error (error, DERM_CSV_ERROR, DERM_CSV_ERROR_TOO_LARGE,
                   _("The file is larger than %s. Split it into smaller files."), size);
      return NULL;
    }

  /* One byte more than the cap: a file that grew meanwhile is refused
   * by the parser, not cut */
  data = g_malloc (DERM_CLIENT_CSV_MAX_BYTES + 1);
  while (length < DERM_CLIENT_CSV_MAX_BYTES + 1)
    {
      n = read (fd, data + length, DERM_CLIENT_CSV_MAX_BYTES + 1 - length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Could not read “%s”: %s"), display, g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }
  close (fd);

  return derm_client_csv_new_from_data (data, length, today, error);
}

guint
derm_client_csv_get_n_columns (DermClientCsv *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), 0);

  return self->n_columns;
}

const char *
derm_client_csv_get_header (DermClientCsv *self,
                            guint          column)
{
  DermCsvRecord *header;

  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  header = g_ptr_array_index (self->records, 0);
  return header->fields[column];
}

DermClientColumn
derm_client_csv_get_mapping (DermClientCsv *self,
                             guint          column)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), DERM_CLIENT_COLUMN_IGNORE);
  g_return_val_if_fail (column < self->n_columns, DERM_CLIENT_COLUMN_IGNORE);

  return self->mapping[column];
}

void
derm_client_csv_set_mapping (DermClientCsv    *self,
                             guint             column,
                             DermClientColumn  field)
{
  g_return_if_fail (DERM_IS_CLIENT_CSV (self));
  g_return_if_fail (column < self->n_columns);
  g_return_if_fail (field < DERM_N_CLIENT_COLUMNS);

  if (field != DERM_CLIENT_COLUMN_IGNORE)
    for (guint c = 0; c < self->n_columns; c++)
      if (self->mapping[c] == field)
        self->mapping[c] = DERM_CLIENT_COLUMN_IGNORE;
  self->mapping[column] = field;
  evaluate (self);
}

GStrv
derm_client_csv_dup_unknown_headers (DermClientCsv *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), NULL);

  for (guint c = 0; c < self->n_columns; c++)
    {
      const char *header = derm_client_csv_get_header (self, c);
      DermClientColumn column;

      if (!derm_client_column_from_header (header, &column))
        g_strv_builder_add (builder, header);
    }

  return g_strv_builder_end (builder);
}

guint
derm_client_csv_get_n_rows (DermClientCsv *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), 0);

  return self->rows->len;
}

guint
derm_client_csv_get_row_number (DermClientCsv *self,
                                guint          row)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), 0);
  g_return_val_if_fail (row < self->rows->len, 0);

  return g_array_index (self->rows, Row, row).number;
}

const char *
derm_client_csv_get_value (DermClientCsv *self,
                           guint          row,
                           guint          column)
{
  GStrv fields;

  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);

  fields = g_array_index (self->rows, Row, row).fields;
  return column < g_strv_length (fields) ? fields[column] : "";
}

DermClient *
derm_client_csv_get_client (DermClientCsv *self,
                            guint          row)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);

  return g_array_index (self->rows, Row, row).client;
}

const char *
derm_client_csv_get_error (DermClientCsv *self,
                           guint          row)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);

  return g_array_index (self->rows, Row, row).error;
}

guint
derm_client_csv_get_n_errors (DermClientCsv *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), 0);

  return self->n_errors;
}

const char *
derm_client_csv_get_mapping_error (DermClientCsv *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), NULL);

  return self->mapping_error;
}

gboolean
derm_client_csv_is_ready (DermClientCsv *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), FALSE);

  return self->rows->len > 0 && self->mapping_error == NULL && self->n_errors == 0;
}

GPtrArray *
derm_client_csv_dup_clients (DermClientCsv *self)
{
  GPtrArray *clients = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (DERM_IS_CLIENT_CSV (self), clients);

  for (guint i = 0; i < self->rows->len; i++)
    {
      DermClient *client = g_array_index (self->rows, Row, i).client;

      if (client != NULL)
        g_ptr_array_add (clients, derm_client_copy (client));
    }

  return clients;
}

GBytes *
derm_client_csv_export (GPtrArray *clients,
                        gboolean   bom)
{
  GString *out = g_string_new (bom ? DERM_CSV_BOM : NULL);
  const char *header[] = {
    "id",
    columns[DERM_CLIENT_COLUMN_NAME].key,
    columns[DERM_CLIENT_COLUMN_DATE_OF_BIRTH].key,
    columns[DERM_CLIENT_COLUMN_PHONE].key,
    columns[DERM_CLIENT_COLUMN_EMAIL].key,
    columns[DERM_CLIENT_COLUMN_FITZPATRICK].key,
    columns[DERM_CLIENT_COLUMN_CONCERNS].key,
    columns[DERM_CLIENT_COLUMN_GOALS].key,
    columns[DERM_CLIENT_COLUMN_NOTES].key,
    columns[DERM_CLIENT_COLUMN_ARCHIVED].key,
  };

  g_return_val_if_fail (clients != NULL, NULL);

  derm_csv_append_record (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < clients->len; i++)
    {
      DermClient *client = g_ptr_array_index (clients, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, derm_client_get_id (client));
      g_autofree char *concerns = derm_concerns_to_string (derm_client_get_concerns (client));
      const char *fields[] = {
        id,
        derm_client_get_name (client),
        derm_client_get_date_of_birth (client),
        derm_client_get_phone (client),
        derm_client_get_email (client),
        derm_fitzpatrick_to_roman (derm_client_get_fitzpatrick (client)),
        concerns,
        derm_client_get_goals (client),
        derm_client_get_notes (client),
        /* The keys, not translated: the file is read back by any Dermis */
        derm_client_get_archived (client) ? "yes" : "no",
      };

      g_autoptr (GPtrArray) guarded = g_ptr_array_new_with_free_func (g_free);

      /* Spreadsheets open this file: nothing in it may run as a formula */
      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        g_ptr_array_add (guarded, derm_csv_guard_formula (fields[f]));
      derm_csv_append_record (out, (const char * const *) guarded->pdata, guarded->len);
    }

  return g_string_free_to_bytes (out);
}
